import { CONFIG_PATH, ConfigError, parseConfig, type Config } from "../engine/config.js";
import type { GitHubApi, RepoRef } from "../github/api.js";

export interface LoadedConfig {
  config: Config;
  /** Where the configuration came from, for messages (`owner/repo:.github/platform-checks.yml@main`). */
  sources: string[];
}

/**
 * Reads `.github/platform-checks.yml` from the pull request's BASE branch
 * through Probot's config loader (@probot/octokit-plugin-config): the org's
 * `.github` repository is the fallback and `_extends` is followed. Files are
 * merged with the nearer one winning, key by key (maps such as `rules` merge,
 * lists replace). Throws a ConfigError naming the bad key when the result is
 * invalid; other errors (GitHub unreachable) propagate.
 */
export async function loadRepoConfig(api: GitHubApi, repo: RepoRef & { branch: string }, knownRuleIds: ReadonlySet<string>): Promise<LoadedConfig> {
  let loaded: { config: Record<string, unknown>; files: { owner: string; repo: string; path: string; config: unknown }[] };
  try {
    loaded = await api.config.get({
      owner: repo.owner,
      repo: repo.repo,
      path: CONFIG_PATH,
      branch: repo.branch,
      // `configs` arrive farthest first (the extended file before the one extending it).
      // A file that is not a mapping is passed on as it is, so that validation names the problem.
      defaults: (configs) =>
        configs.reduce<Record<string, unknown>>((merged, next) => (isPlainObject(next) && isPlainObject(merged) ? mergeConfig(merged, next) : next), {}),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const source = `${CONFIG_PATH} on ${repo.branch}`;
    if (/could not be parsed/i.test(message)) {
      const cause = (error as { cause?: unknown }).cause;
      const detail = cause instanceof Error ? `: ${cause.message.split("\n")[0]}` : "";
      throw new ConfigError([`(top level): not valid YAML${detail}`], source);
    }
    if (/Recursion detected|extension is not support/i.test(message)) {
      throw new ConfigError([`_extends: ${message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, "")}`], source);
    }
    throw error;
  }
  const sources = loaded.files
    .filter((f) => f.config !== null)
    .map((f) => `${f.owner}/${f.repo}:${f.path}${f.owner === repo.owner && f.repo === repo.repo ? `@${repo.branch}` : ""}`);
  const source = sources.length === 0 ? `${CONFIG_PATH} (defaults)` : sources.join(" + ");
  return { config: parseConfig(stripExtends(loaded.config), source, knownRuleIds), sources };
}

function stripExtends(config: unknown): unknown {
  if (!isPlainObject(config)) return config;
  const { _extends: _ignored, ...rest } = config;
  return rest;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deep merge where `override` wins: objects merge key by key, lists and scalars replace. */
export function mergeConfig(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const before = out[key];
    out[key] = isPlainObject(before) && isPlainObject(value) ? mergeConfig(before, value) : value;
  }
  return out;
}
