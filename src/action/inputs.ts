import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";

/** The environment a GitHub Actions runner gives a JavaScript action's process. */
export type RunnerEnv = Readonly<Record<string, string | undefined>>;

/** An input is missing or malformed, or the runner environment is not what a runner gives: exit 2. */
export class ActionInputError extends Error {
  override name = "ActionInputError";
}

export const ACTION_FORMATS = ["github", "sarif", "text", "json"] as const;
export type ActionFormat = (typeof ACTION_FORMATS)[number];

export interface ActionInputs {
  /** The folder to check, absolute. */
  dir: string;
  /** The workspace the annotation and SARIF paths are relative to. */
  workspace: string;
  /** Compare with this commit or ref; undefined: check every service. */
  base: string | undefined;
  /** Where the base came from, for the log (`input`, `pull_request.base.sha`, …). */
  baseSource: string;
  format: ActionFormat;
  sarifFile: string;
  failOnError: boolean;
  summary: boolean;
}

/**
 * An input as the runner passes it: `INPUT_<NAME>` with the name upper-cased
 * and spaces made underscores (hyphens stay), trimmed; "" when not set.
 */
export function input(env: RunnerEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

/** A boolean input: YAML 1.2's core schema spellings, as GitHub's toolkit accepts them. */
export function booleanInput(env: RunnerEnv, name: string, fallback: boolean): boolean {
  const value = input(env, name);
  if (value === "") return fallback;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new ActionInputError(`input \`${name}\` must be true or false, not \`${value}\``);
}

export function readInputs(env: RunnerEnv, cwd: string): ActionInputs {
  const workspace = env["GITHUB_WORKSPACE"] || cwd;
  const format = input(env, "format") || "github";
  if (!(ACTION_FORMATS as readonly string[]).includes(format)) {
    throw new ActionInputError(`input \`format\` must be one of ${ACTION_FORMATS.join(", ")}, not \`${format}\``);
  }
  const repo = input(env, "repo") || ".";
  const sarifFile = input(env, "sarif-file") || "platform-checks.sarif";
  const explicitBase = input(env, "base");
  if (explicitBase.startsWith("-")) throw new ActionInputError(`input \`base\` must be a git ref, not \`${explicitBase}\``);
  const fromEvent = explicitBase === "" ? baseFromEvent(env) : undefined;
  return {
    dir: resolve(workspace, repo),
    workspace,
    base: explicitBase || fromEvent?.sha,
    baseSource: explicitBase ? "the `base` input" : (fromEvent?.source ?? "no base (this event has none): every service"),
    format: format as ActionFormat,
    sarifFile: isAbsolute(sarifFile) ? sarifFile : resolve(workspace, sarifFile),
    failOnError: booleanInput(env, "fail-on-error", true),
    summary: booleanInput(env, "summary", true),
  };
}

const NO_COMMIT = /^0{40}$/;
const SHA = /^[0-9a-f]{40}$/;

/**
 * The commit a pull request would be compared with, from the event payload
 * (`GITHUB_EVENT_PATH`): the pull request's base, a merge group's base, or
 * the commit a push started from. Other events have none.
 */
export function baseFromEvent(env: RunnerEnv): { sha: string; source: string } | undefined {
  const path = env["GITHUB_EVENT_PATH"];
  const event = env["GITHUB_EVENT_NAME"] ?? "";
  if (!path) return undefined;
  let payload: Record<string, any>;
  try {
    payload = JSON.parse(readFileSync(path, "utf8")) as Record<string, any>;
  } catch (error) {
    throw new ActionInputError(`cannot read the event payload at GITHUB_EVENT_PATH (${(error as Error).message})`);
  }
  const pick = (value: unknown, source: string) => (typeof value === "string" && SHA.test(value) && !NO_COMMIT.test(value) ? { sha: value, source } : undefined);
  if (event === "pull_request" || event === "pull_request_target") return pick(payload["pull_request"]?.base?.sha, "pull_request.base.sha");
  if (event === "merge_group") return pick(payload["merge_group"]?.base_sha, "merge_group.base_sha");
  if (event === "push") return pick(payload["before"], "push.before");
  return undefined;
}
