import type { Config } from "../engine/config.js";
import type { CheckReport } from "../engine/run.js";
import { COMMENT_MARKER, renderComment } from "./comment.js";
import { escapeMarkdown } from "./markdown.js";

export interface StepSummaryOptions {
  /** The commit checked, if known (it only names the comment's embedded report, which is dropped here). */
  headSha?: string;
  config?: Pick<Config, "check_name" | "docs_base_url">;
  /** What was checked, for the closing line (`changed since origin/main`, `every service`). */
  scope: string;
}

/**
 * The Markdown a workflow step writes to `$GITHUB_STEP_SUMMARY`: the bot's
 * sticky comment as the comment renderer writes it (same table per service,
 * same findings, same checklist), without what only makes sense in a pull
 * request comment — the hidden marker, the embedded report, and the footer
 * about ticking boxes and `/recheck`.
 */
export function renderStepSummary(report: CheckReport, options: StepSummaryOptions): string {
  const body = renderComment(report, { headSha: options.headSha ?? "", ...(options.config ? { config: options.config } : {}) });
  const scope = escapeMarkdown(options.scope);
  if (body === undefined) {
    return `### ✅ ${escapeMarkdown(options.config?.check_name ?? "Loop Platform / pre-merge")}\n\nNo service in scope (${scope}), and the repository checks pass.\n`;
  }
  const lines = body
    .split("\n")
    .filter((line) => line !== COMMENT_MARKER && !line.startsWith("<!-- platform-checks:") && !isCommentFooter(line));
  // The comment renderer keeps the body within a comment's 64 KiB, far below a step summary's 1 MiB.
  return `${lines.join("\n").trimEnd()}\n\n<sub>Checked ${scope}. Manual checklist items are ticked in the pull request's platform-checks comment, not here.</sub>\n`;
}

/** The comment's closing note is about ticking boxes in the comment and `/recheck`: neither works in a step summary. */
function isCommentFooter(line: string): boolean {
  return line.startsWith("<sub>") && line.includes("/recheck");
}
