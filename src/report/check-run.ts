import type { Config } from "../engine/config.js";
import { docsUrl } from "../engine/rule.js";
import type { CheckReport, RuleRun } from "../engine/run.js";
import type { Finding } from "../engine/types.js";
import { countBySeverity, describeCounts, SEVERITY_ICON } from "./counts.js";
import { capBlocks, escapeMarkdown, inlineCode } from "./markdown.js";

/** GitHub's limit on a check run's output.summary and output.text. */
export const CHECK_RUN_TEXT_LIMIT = 65_535;
/** GitHub rejects longer annotation messages. */
const ANNOTATION_MESSAGE_LIMIT = 64_000;

/** An annotation in the shape of GitHub's checks API. */
export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "failure" | "warning" | "notice";
  title: string;
  message: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  annotations: CheckRunAnnotation[];
}

const LEVEL = { error: "failure", warning: "warning", notice: "notice" } as const;

export function renderCheckRun(report: CheckReport, config: Config): CheckRunOutput {
  return {
    title: renderTitle(report),
    summary: renderSummary(report, config),
    annotations: report.findings.map((f) => toAnnotation(f, config)),
  };
}

/** `2 errors, 1 warning in billing-ledger`; `All checks passed for billing-ledger, notifications`. */
export function renderTitle(report: CheckReport): string {
  const counts = describeCounts(countBySeverity(report.findings));
  const where =
    report.services.length === 0 ? "" : report.services.length <= 3 ? report.services.join(", ") : `${report.services.length} services`;
  if (!counts) return where ? `All checks passed for ${where}` : "No services changed; repository checks passed";
  return where ? `${counts} in ${where}` : `${counts} in repository checks`;
}

function renderSummary(report: CheckReport, config: Config): string {
  const blocks: string[] = [];
  if (report.services.length === 0) blocks.push("This pull request changes no service; only the repository-level rules ran.");
  if (report.deletedServices.length > 0) {
    blocks.push(`Deleted services (not checked; repository rules still see they are gone): ${report.deletedServices.map(inlineCode).join(", ")}.`);
  }
  for (const service of report.services) {
    const runs = report.ruleRuns.filter((r) => r.service === service);
    blocks.push(`### ${escapeMarkdown(service)}\n\n${ruleTable(runs, config)}\n`);
  }
  const repoRuns = report.ruleRuns.filter((r) => r.service === null);
  if (repoRuns.length > 0) blocks.push(`### Repository\n\n${ruleTable(repoRuns, config)}\n`);
  const repoLevelElsewhere = report.findings.filter((f) => f.service === null && !repoRuns.some((r) => r.rule === f.rule));
  if (repoLevelElsewhere.length > 0) {
    blocks.push(`Repository-level findings of service rules: ${describeCounts(countBySeverity(repoLevelElsewhere))} (see the annotations).`);
  }
  blocks.push("Every finding is annotated at its file and line below. Re-run with the **Re-run** button or by commenting `/recheck`.");
  return capBlocks(blocks, CHECK_RUN_TEXT_LIMIT, (n) => `\n_…${n} more section(s) cut to stay within GitHub's size limit; every finding is still annotated._`);
}

function ruleTable(runs: readonly RuleRun[], config: Config): string {
  const rows = runs.map((run) => `| [${run.rule}](${docsUrl(run.rule, config)}) | ${resultCell(run)} |`);
  return ["| Rule | Result |", "|---|---|", ...rows].join("\n");
}

function resultCell(run: RuleRun): string {
  if (run.severity === "off") return "➖ off";
  if (run.crashed) return "❌ could not finish";
  const counts = describeCounts(run);
  if (!counts) return "✅ passed";
  return `${run.errors > 0 ? SEVERITY_ICON.error : run.warnings > 0 ? SEVERITY_ICON.warning : SEVERITY_ICON.notice} ${counts}`;
}

export function toAnnotation(finding: Finding, config: Pick<Config, "docs_base_url">): CheckRunAnnotation {
  // GitHub needs a line; file-level findings (a missing file) sit on line 1 of that path.
  const line = finding.line ?? 1;
  const message = `${finding.message}\n\nRule: ${docsUrl(finding.rule, config)}`;
  return {
    path: finding.path,
    start_line: line,
    end_line: line,
    // Columns are only allowed when the annotation is on one line, which ours always are.
    ...(finding.column !== undefined ? { start_column: finding.column, end_column: finding.column } : {}),
    annotation_level: LEVEL[finding.severity],
    title: finding.rule,
    message: message.length > ANNOTATION_MESSAGE_LIMIT ? `${message.slice(0, ANNOTATION_MESSAGE_LIMIT - 1)}…` : message,
  };
}

/** Output of a run that could not finish: it still completes, as a failure that says why and how to retry. */
export function renderFailureOutput(reason: string): { title: string; summary: string } {
  return {
    title: `Could not finish: ${reason.split("\n")[0]!.slice(0, 120)}`,
    summary: [
      "platform-checks could not finish this run, so it reports **failure** rather than a silent pass.",
      "",
      "```",
      reason.slice(0, 4000).replace(/```/g, "'''"),
      "```",
      "",
      "Retry with the **Re-run** button on this check, or comment `/recheck` on the pull request. If it keeps failing, tell the platform team.",
    ].join("\n"),
  };
}
