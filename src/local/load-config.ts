import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { positionAt } from "../engine/positions.js";
import { parseBoundedYaml } from "../engine/yaml-document.js";
import { CONFIG_PATH, ConfigError, DEFAULT_CONFIG, parseConfig, type Config } from "../engine/config.js";

export interface LocalConfig {
  config: Config;
  /** Things worth telling the user on stderr (e.g. an `_extends` that is not followed). */
  notes: string[];
}

/**
 * Reads `.github/platform-checks.yml` from the folder being checked (the
 * working tree: locally you are trying out your own configuration). No file
 * means the defaults. Unlike the bot, `_extends` and org-wide defaults are not
 * followed: there is no GitHub to fetch them from. Throws a ConfigError naming
 * the offending key (or line, for a YAML syntax error). Without `ruleIds`, the
 * keys of `rules:` are not checked.
 */
export async function loadLocalConfig(dir: string, ruleIds?: ReadonlySet<string>): Promise<LocalConfig> {
  let text: string;
  try {
    text = await readFile(join(dir, CONFIG_PATH), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { config: DEFAULT_CONFIG, notes: [] };
    throw new ConfigError([`cannot be read (${(error as Error).message})`], CONFIG_PATH);
  }
  // Bounded like every repository file: an alias bomb or deep nesting is a config error naming the file.
  const parsed = parseBoundedYaml(text);
  if (parsed.error) {
    const at = positionAt(text, parsed.error.offset);
    throw new ConfigError([`line ${at.line}, column ${at.column}: ${parsed.error.message}`], CONFIG_PATH);
  }
  const raw: unknown = parsed.data;
  // `_extends` is how the bot pulls org-wide defaults; locally there is nothing to pull, so it is ignored.
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw) && "_extends" in raw) {
    const { _extends: extendsFrom, ...rest } = raw as Record<string, unknown>;
    return {
      config: parseConfig(rest, CONFIG_PATH, ruleIds),
      notes: [`${CONFIG_PATH}: \`_extends: ${String(extendsFrom)}\` is not followed locally; only this file's own keys apply.`],
    };
  }
  return { config: parseConfig(raw, CONFIG_PATH, ruleIds), notes: [] };
}
