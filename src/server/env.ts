import { existsSync } from "node:fs";

/**
 * `PRIVATE_KEY` may hold the PEM text (Probot's own convention, also base64 or
 * with `\n` escapes) or, as a convenience, a path to the .pem file: a value
 * that is not a key but names an existing file is moved to `PRIVATE_KEY_PATH`,
 * which Probot reads.
 */
export function normalisePrivateKeyEnv(env: NodeJS.ProcessEnv): void {
  const value = env.PRIVATE_KEY?.trim();
  if (!value) return;
  const looksLikeKey = value.includes("-----BEGIN") || Buffer.from(value, "base64").toString("utf8").includes("-----BEGIN");
  if (!looksLikeKey && existsSync(value)) {
    env.PRIVATE_KEY_PATH = value;
    delete env.PRIVATE_KEY;
  }
}

/** Logs are pino JSON unless asked otherwise (`LOG_FORMAT=pretty` for local reading). */
export function defaultLogFormat(env: NodeJS.ProcessEnv): void {
  if (!env.LOG_FORMAT) env.LOG_FORMAT = "json";
}
