import { z } from "zod";
import { ConfigError } from "./config-error.js";

/** Where the bot reads its configuration, always from the base branch. */
export const CONFIG_FILE = "platform-checks.yml";
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

const ruleSeverity = z.enum(["error", "warning", "notice", "off"]);

/** `.github/platform-checks.yml` (SPEC section 6). Unknown keys are errors, so a typo never silently does nothing. */
export const configSchema = z
  .object({
    check_name: z.string().min(1).default("Loop Platform / pre-merge"),
    services_dir: z
      .string()
      .min(1)
      .regex(/^[^/].*[^/]$|^[^/]$/, "a folder relative to the repository root, without leading or trailing slash")
      .default("services"),
    /** Folder names under the services folder that are not services (scaffolds starting with `_` are always ignored). */
    ignored_folders: z.array(z.string().min(1)).default([]),
    brands: z.array(z.string().min(1)).min(1).default(["loop", "loopbio"]),
    /** Per-rule severity override, by rule id. */
    rules: z.record(z.string(), ruleSeverity).default({}),
    /** Route paths exempt from scope checks (Hono patterns, e.g. `/healthz`, `/internal/*`). */
    scope_exempt_routes: z.array(z.string().min(1)).default(["/healthz", "/readyz", "/livez"]),
    /** The module whose `requireScope` protects a route; the same name imported from anywhere else does not count. */
    scopes_module: z.string().min(1).default("@platform/scopes"),
    /** Globs of changed files that never require a changeset. */
    changeset_ignore: z.array(z.string().min(1)).default([]),
    /** Statuses whose promotion is gated by the production-readiness checklist. */
    checklist_statuses: z.array(z.enum(["alpha", "beta", "stable"])).default(["stable"]),
    /** Extra manual checklist items. */
    checklist_items: z.array(z.string().min(1).max(200)).default([]),
    /** Base URL that rule ids are appended to for annotation links (`<base>/<rule-id>.md`). */
    docs_base_url: z.string().url().optional(),
  })
  .strict();

export type Config = z.output<typeof configSchema>;

export const DEFAULT_CONFIG: Config = configSchema.parse({});

export { ConfigError };

/**
 * Validates a parsed configuration object. Throws a ConfigError whose problems
 * each name the offending key (`rules.changeset-required: …`).
 */
export function parseConfig(raw: unknown, source = CONFIG_PATH, knownRuleIds?: ReadonlySet<string>): Config {
  const tooBig = treeProblem(raw);
  if (tooBig) throw new ConfigError([`(top level): ${tooBig}`], source);
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const keys = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k].join(".")) : [];
        const where = keys.length > 0 ? keys.join(", ") : issue.path.join(".") || "(top level)";
        return `${where}: ${issue.message}`;
      }),
      source,
    );
  }
  if (knownRuleIds) {
    const unknown = Object.keys(result.data.rules).filter((id) => !knownRuleIds.has(id));
    if (unknown.length > 0) {
      throw new ConfigError(
        unknown.map((id) => `rules.${id}: no rule has this id`),
        source,
      );
    }
  }
  return result.data;
}

/** Values a configuration may hold: far above any real one, far below what an alias bomb expands to. */
const MAX_CONFIG_VALUES = 10_000;
const MAX_CONFIG_DEPTH = 32;

/**
 * Whether a parsed configuration is small enough to validate. YAML loaders
 * share aliased nodes, so a few lines (an alias bomb) can stand for billions
 * of values; the walk counts values as validation would visit them, with an
 * explicit stack, and stops at the bound.
 */
function treeProblem(raw: unknown): string | undefined {
  let values = 0;
  const stack: [unknown, number][] = [[raw, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (++values > MAX_CONFIG_VALUES) return `it expands to more than ${MAX_CONFIG_VALUES} values (YAML aliases repeated many times?)`;
    if (value === null || typeof value !== "object") continue;
    if (depth > MAX_CONFIG_DEPTH) return `it nests more than ${MAX_CONFIG_DEPTH} levels deep`;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return undefined;
}
