import type { Config } from "../engine/config.js";
import { docsUrl } from "../engine/rule.js";
import type { CheckReport, RuleRun } from "../engine/run.js";
import type { Finding } from "../engine/types.js";
import { countBySeverity, describeCounts, SEVERITY_ICON } from "./counts.js";
import { fitPlainText, GITHUB_LIMITS } from "../github/limits.js";
import { capBlocks, clip, codeBlock, escapeMarkdown, inlineCode, link, plainInline, stripControl } from "./markdown.js";

/** The summary's budget in UTF-8 bytes (GitHub's limit less room for the notes the bot puts above it). */
export const CHECK_RUN_TEXT_LIMIT = GITHUB_LIMITS.checkRunSummary - 4_096;
/** Characters of a finding message in an annotation (GitHub's byte limit is enforced when writing). */
const ANNOTATION_MESSAGE_CHARS = 16_000;

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

/**
 * `notes`: things the snapshot wants said above the summary (a capped file
 * list, folders left out of a huge tree); they may quote repository paths,
 * so they are escaped like everything else.
 */
export function renderCheckRun(report: CheckReport, config: Config, notes: readonly string[] = []): CheckRunOutput {
  const summary = renderSummary(report, config);
  return {
    title: renderTitle(report),
    summary: notes.length === 0 ? summary : `${notes.map((n) => `> **Note:** ${escapeMarkdown(clip(n, 1_000))}`).join("\n>\n")}\n\n${summary}`,
    annotations: report.findings.map((f) => toAnnotation(f, config)),
  };
}

/** `2 errors, 1 warning in billing-ledger`; `All checks passed for billing-ledger, notifications`. */
export function renderTitle(report: CheckReport): string {
  const counts = describeCounts(countBySeverity(report.findings));
  // Plain text: GitHub shows the title as it is, so only control characters and line breaks go.
  const where =
    report.services.length === 0
      ? ""
      : report.services.length <= 3
        ? report.services.map((s) => plainInline(clip(s, 60))).join(", ")
        : `${report.services.length} services`;
  if (!counts) return where ? `All checks passed for ${where}` : "No services changed; repository checks passed";
  return where ? `${counts} in ${where}` : `${counts} in repository checks`;
}

function renderSummary(report: CheckReport, config: Config): string {
  const blocks: string[] = [];
  if (report.services.length === 0) blocks.push("This pull request changes no service; only the repository-level rules ran.");
  if (report.deletedServices.length > 0) {
    const names = report.deletedServices.slice(0, 100).map((name) => inlineCode(clip(name, 100)));
    if (report.deletedServices.length > 100) names.push(`…and ${report.deletedServices.length - 100} more`);
    blocks.push(`Deleted services (not checked; repository rules still see they are gone): ${names.join(", ")}.`);
  }
  for (const service of report.services) {
    const runs = report.ruleRuns.filter((r) => r.service === service);
    blocks.push(`### ${escapeMarkdown(clip(service, 100))}\n\n${ruleTable(runs, config)}\n`);
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
  const rows = runs.map((run) => `| ${link(run.rule, docsUrl(run.rule, config))} | ${resultCell(run)} |`);
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
  // Annotations are plain text on GitHub (no Markdown, no mentions): only control characters go.
  const message = `${stripControl(clip(finding.message, ANNOTATION_MESSAGE_CHARS))}\n\nRule: ${docsUrl(finding.rule, config)}`;
  return {
    path: finding.path,
    start_line: line,
    end_line: line,
    // Columns are only allowed when the annotation is on one line, which ours always are.
    ...(finding.column !== undefined ? { start_column: finding.column, end_column: finding.column } : {}),
    annotation_level: LEVEL[finding.severity],
    title: finding.rule,
    message,
  };
}

/** Why a run could not finish, as the bot tells it (see check-job's describeFailure). */
export interface RunFailure {
  /** One line: what happened, e.g. `GitHub answered 502 Bad Gateway reading services/x/service.yaml`. */
  headline: string;
  /** More for the summary: the request, the attempts, the full error message. */
  detail?: string;
  /**
   * `recheck`: trying again can help (GitHub failed, a budget ran out), so the
   * title says `/recheck` retries; `fix`: the headline says what to fix first.
   */
  retry: "recheck" | "fix";
}

/** Output of a run that could not finish: it still completes, as a failure that says why and how to retry. */
export function renderFailureOutput(failure: RunFailure): { title: string; summary: string } {
  // Bytes, so the `/recheck` hint always fits in GitHub's title limit.
  const headline = fitPlainText(plainInline(clip(failure.headline, 200)), GITHUB_LIMITS.checkRunTitle - 64);
  const detail = failure.detail ?? failure.headline;
  return {
    title: failure.retry === "recheck" ? `Could not finish: ${headline}; comment /recheck to retry` : `Could not finish: ${headline}`,
    summary: [
      "platform-checks could not finish this run, so it reports **failure** rather than a silent pass.",
      "",
      codeBlock(clip(detail, 4_000)),
      "",
      failure.retry === "recheck"
        ? "Nothing in the pull request caused this. Retry with the **Re-run** button on this check, or comment `/recheck` on the pull request. If it keeps failing, tell the platform team."
        : "Fix the cause above, then retry with the **Re-run** button on this check, or comment `/recheck` on the pull request.",
    ].join("\n"),
  };
}
