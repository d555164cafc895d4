import { DEFAULT_CONFIG, parseConfig, type Config } from "../../src/engine/config.js";
import { MemorySnapshot, type MemorySnapshotInit } from "../../src/engine/memory-snapshot.js";
import type { Rule } from "../../src/engine/rule.js";
import { runChecks, type CheckReport, type EngineFinding } from "../../src/engine/run.js";
import { RULES } from "../../src/rules/index.js";
import { exampleFiles } from "./example-repo.js";

export interface HarnessOptions {
  /** Base files; when given, changed files are derived by diffing base and head. */
  base?: Record<string, string>;
  changed?: MemorySnapshotInit["changed"];
  /** Partial `.github/platform-checks.yml` contents. */
  config?: Record<string, unknown>;
}

/** Runs one rule over an in-memory repository and returns its findings (no HTTP, no disk). */
export async function runRule(rule: Rule, files: Record<string, string>, options: HarnessOptions = {}): Promise<EngineFinding[]> {
  const report = await runRules([rule], files, options);
  return report.findings.filter((f) => f.rule === rule.meta.id);
}

export async function runRules(rules: readonly Rule[], files: Record<string, string>, options: HarnessOptions = {}): Promise<CheckReport> {
  const config: Config = options.config ? parseConfig(options.config) : DEFAULT_CONFIG;
  const snapshot = new MemorySnapshot({
    files,
    ...(options.base ? { base: options.base } : {}),
    ...(options.changed ? { changed: options.changed } : {}),
  });
  return runChecks({ snapshot, config, rules });
}

/** Every rule over the example monorepo (optionally edited): the whole engine, as the CLI's `--all` runs it. */
export async function runAllOnExample(edit?: (files: Record<string, string>) => void, options: HarnessOptions = {}): Promise<CheckReport> {
  const files = exampleFiles();
  edit?.(files);
  return runRules(RULES, files, options);
}

/** One rule's findings when every rule runs over the example monorepo (optionally edited): what the CLI's `--all` would report for it. */
export async function exampleFindingsOf(ruleId: string, edit?: (files: Record<string, string>) => void): Promise<EngineFinding[]> {
  return (await runAllOnExample(edit)).findings.filter((f) => f.rule === ruleId);
}

/** Compact `path:line:col rule message` lines, for readable assertions and snapshots. */
export function describeFindings(findings: readonly EngineFinding[]): string[] {
  return findings.map((f) => `${f.path}:${f.line ?? "-"}:${f.column ?? "-"} ${f.severity} ${f.rule} ${f.message}`);
}

/** Replaces the first occurrence of `search` in a file, failing loudly when it is not there (so fixtures cannot rot). */
export function edit(files: Record<string, string>, path: string, search: string | RegExp, replacement: string): void {
  const before = files[path];
  if (before === undefined) throw new Error(`fixture edit: no file ${path}`);
  const after = before.replace(search, replacement);
  if (after === before) throw new Error(`fixture edit: ${String(search)} not found in ${path}`);
  files[path] = after;
}
