import { readFileSync } from "node:fs";
import { readinessMeta } from "../checklist/readiness-rule.js";
import type { Config } from "../engine/config.js";
import { docsUrl, type RuleMeta } from "../engine/rule.js";
import type { ConfiguredSeverity, Severity } from "../engine/types.js";
import { RULES } from "../rules/index.js";

/** Every rule's metadata, the readiness rule last (it runs after the others), in SPEC order. */
export const RULE_METAS: readonly RuleMeta[] = [...RULES.map((r) => r.meta), readinessMeta];

/**
 * The rule doc pages shipped with the package (`files` in package.json):
 * `docs/rules/` two folders up from this module, in `src/cli/` and `dist/cli/` alike.
 */
const RULE_DOCS = new URL("../../docs/rules/", import.meta.url);

/** A rule's doc page (Markdown), or undefined when the id is not a rule's or the page is missing. */
export function ruleDocPage(ruleId: string): string | undefined {
  // Only known ids reach the file system: a rule id never names another file.
  if (!RULE_METAS.some((m) => m.id === ruleId)) return undefined;
  try {
    return readFileSync(new URL(`${ruleId}.md`, RULE_DOCS), "utf8");
  } catch {
    return undefined;
  }
}

export interface RuleListing {
  id: string;
  /** Under the configuration: `off` when switched off. */
  severity: ConfiguredSeverity;
  defaultSeverity: Severity;
  title: string;
  docs: string;
}

export function listRules(config: Pick<Config, "rules" | "docs_base_url">): RuleListing[] {
  return RULE_METAS.map((meta) => ({
    id: meta.id,
    severity: config.rules[meta.id] ?? meta.defaultSeverity,
    defaultSeverity: meta.defaultSeverity,
    title: meta.title,
    docs: docsUrl(meta.id, config),
  }));
}

/** `platform-checks rules` in text: one rule a line, the severity first, marked when the configuration changed it. */
export function renderRuleList(rules: readonly RuleListing[], configSource: string): string {
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const lines = rules.map((r) => {
    const changed = r.severity !== r.defaultSeverity ? ` (default ${r.defaultSeverity})` : "";
    return `${`${r.severity}${changed}`.padEnd(26)}${r.id.padEnd(idWidth + 2)}${r.title}`;
  });
  const changed = rules.filter((r) => r.severity !== r.defaultSeverity).length;
  return `${[
    `${rules.length} rules; severities under ${configSource}${changed > 0 ? ` (${changed} changed from the default)` : ""}:`,
    "",
    ...lines,
    "",
    "`platform-checks explain <rule>` prints a rule's documentation.",
  ].join("\n")}\n`;
}

/** Known ids that look like what was typed: those containing it or contained in it. */
export function similarRuleIds(text: string): string[] {
  const wanted = text.toLowerCase();
  return RULE_METAS.map((m) => m.id).filter((id) => id.includes(wanted) || wanted.includes(id) || sharedWords(id, wanted) >= 2);
}

function sharedWords(a: string, b: string): number {
  const words = new Set(b.split(/[^a-z0-9]+/));
  return a.split("-").filter((w) => words.has(w)).length;
}
