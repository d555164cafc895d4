import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createRequire } from "node:module";
import type { Config } from "../engine/config.js";
import type { Rule } from "../engine/rule.js";
import { readCommentState, type CommentState, type StateBinding } from "../report/comment.js";

const SIGNATURE = /\n?<!-- platform-checks:signature ([0-9a-f]{64}) -->\n?/g;

/** Why a comment's report cannot be used for a tick (logged; each one costs a full run). */
export type StateProblem = "no-state" | "unsigned" | "bad-signature" | `changed:${keyof StateBinding}`;

/**
 * The sticky comment carries the last report so a checklist tick can be
 * re-evaluated without reading code. Anyone who can edit the comment could
 * also edit that report (say, drop its findings), or paste back an older body
 * from the comment's edit history, so the bot signs the report together with
 * what it was computed for (StateBinding: repository, pull request, head and
 * base sha, configuration digest, rule-set version) with a key only it knows.
 * It trusts the report only when the signature matches and every bound field
 * equals the pull request as it is now; otherwise a tick costs a full run from
 * the code, which nothing in the comment can influence but the manual ticks.
 */
export class CommentSigner {
  private readonly key: Buffer;

  /** `secret`: e.g. the webhook secret; without one, a random key (signatures then last as long as the process). */
  constructor(secret?: string) {
    this.key = secret ? createHmac("sha256", secret).update("platform-checks comment state").digest() : randomBytes(32);
  }

  /** Adds (or replaces) the signature of the report the comment carries. */
  sign(body: string): string {
    const unsigned = body.replace(SIGNATURE, "\n");
    const state = readCommentState(unsigned);
    if (!state) return unsigned;
    return `${unsigned.replace(/\n*$/, "\n")}<!-- platform-checks:signature ${this.mac(state)} -->\n`;
  }

  /** The report the comment carries, if the bot signed exactly that report and binding (the last signature counts). */
  verifiedState(body: string): CommentState | undefined {
    const result = this.check(body);
    return "state" in result ? result.state : undefined;
  }

  /**
   * The report the comment carries, if the bot signed it and it was computed
   * for exactly `expected`; otherwise why not.
   */
  boundState(body: string, expected: StateBinding): { state: CommentState } | { problem: StateProblem } {
    const result = this.check(body);
    if (!("state" in result)) return result;
    for (const key of Object.keys(expected) as (keyof StateBinding)[]) {
      if (result.state.binding[key] !== expected[key]) return { problem: `changed:${key}` };
    }
    for (const key of Object.keys(result.state.binding) as (keyof StateBinding)[]) {
      if (!(key in expected)) return { problem: `changed:${key}` };
    }
    return result;
  }

  private check(body: string): { state: CommentState } | { problem: StateProblem } {
    const state = readCommentState(body);
    if (!state) return { problem: "no-state" };
    const signature = [...body.matchAll(SIGNATURE)].at(-1)?.[1];
    if (!signature) return { problem: "unsigned" };
    const expected = Buffer.from(this.mac(state), "hex");
    const actual = Buffer.from(signature, "hex");
    return actual.length === expected.length && timingSafeEqual(actual, expected) ? { state } : { problem: "bad-signature" };
  }

  private mac(state: CommentState): string {
    return createHmac("sha256", this.key).update(JSON.stringify({ binding: state.binding, report: state.report })).digest("hex");
  }
}

/** A digest of the effective configuration: any change to it (severities, brands, checklist items…) changes this. */
export function configDigest(config: Config): string {
  return createHash("sha256").update(stableJson(config)).digest("hex").slice(0, 32);
}

const packageVersion = (createRequire(import.meta.url)("../../package.json") as { version: string }).version;

/**
 * The rule set's version: the package version plus a digest of every rule's
 * id, severity, messages and code, so a deploy that changes what a rule says
 * or checks invalidates the reports that comments carry.
 */
export function rulesetVersion(rules: readonly Rule[]): string {
  let version = versions.get(rules);
  if (version === undefined) {
    const hash = createHash("sha256");
    for (const rule of rules) hash.update(stableJson({ kind: rule.kind, meta: rule.meta, check: String(rule.check) }));
    version = `${packageVersion}+${hash.digest("hex").slice(0, 16)}`;
    versions.set(rules, version);
  }
  return version;
}

const versions = new WeakMap<readonly Rule[], string>();

/** JSON with object keys sorted, so equal values always give equal text. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
