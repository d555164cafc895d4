/**
 * Starting the real server process (what `npm start` runs: `node dist/server/main.js`)
 * for end-to-end tests, configured through the environment alone, and talking
 * to it over HTTP with signed webhooks.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { testPrivateKey } from "../support/bot-harness.js";
import type { FakeGitHub } from "../support/fake-github.js";
import { freePort } from "../support/redis-server.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SECRET = "e2e-webhook-secret";

/**
 * Builds dist/ as `npm start` does (its prestart), one test file at a time (a
 * lock directory), so that parallel e2e files never read half-written output.
 * Type errors elsewhere are the typecheck's business (npm test runs it first);
 * tsc still emits, and the server must start from dist.
 */
export async function buildServer(): Promise<void> {
  const lock = `${tmpdir()}/platform-checks-e2e-build.lock`;
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - started > 170_000) throw new Error(`the build lock ${lock} stayed taken`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    execFileSync(process.execPath, [`${ROOT}/node_modules/typescript/bin/tsc`, "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "pipe" });
  } catch (error) {
    if (!existsSync(`${ROOT}/dist/server/main.js`)) throw error;
  } finally {
    rmdirSync(lock);
  }
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000, context: () => string = () => ""): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}\n${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  output: string[];
  /** Signed webhook; a fresh delivery id unless one is given. */
  send(event: string, payload: unknown, options?: { secret?: string; delivery?: string }): Promise<{ status: number; ms: number }>;
  json(path: string): Promise<any>;
  text(path: string): Promise<string>;
  /** SIGTERM, then SIGKILL after 15 s; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** `kill -9`: no shutdown code runs. */
  kill9(): Promise<void>;
  /** The last lines of the server's output, for failure messages. */
  tail(): string;
}

/** Starts `node dist/server/main.js` against the fake GitHub, and waits for /healthz. */
export async function startServer(fake: FakeGitHub, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child = spawn(process.execPath, ["dist/server/main.js"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      APP_ID: String(fake.appId),
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: fake.host,
      GHE_PROTOCOL: "http",
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  const tail = () => `--- server output (${baseUrl}) ---\n${output.join("").split("\n").slice(-40).join("\n")}`;
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));

  await waitFor(
    "the server to answer /healthz",
    async () => {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}\n${tail()}`);
      try {
        return (await fetch(`${baseUrl}/healthz`)).ok || undefined;
      } catch {
        return undefined;
      }
    },
    60_000,
    tail,
  );

  return {
    baseUrl,
    child,
    output,
    tail,
    async send(event, payload, options = {}) {
      const body = JSON.stringify(payload);
      const started = Date.now();
      const response = await fetch(`${baseUrl}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": event,
          "x-github-delivery": options.delivery ?? randomUUID(),
          "x-hub-signature-256": `sha256=${createHmac("sha256", options.secret ?? SECRET).update(body).digest("hex")}`,
        },
        body,
      });
      await response.text();
      return { status: response.status, ms: Date.now() - started };
    },
    json: async (path) => (await fetch(`${baseUrl}${path}`)).json(),
    text: async (path) => (await fetch(`${baseUrl}${path}`)).text(),
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill9() {
      if (child.exitCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}
