import { gunzipSync, gzipSync } from "node:zlib";
import type { ManualTicks, ServiceChecklist } from "../checklist/checklist.js";
import type { Config } from "../engine/config.js";
import { docsUrl } from "../engine/rule.js";
import type { CheckReport, EngineFinding } from "../engine/run.js";
import { countBySeverity, describeCounts, SEVERITY_ICON } from "./counts.js";
import { capBlocks, escapeMarkdown, inlineCode } from "./markdown.js";

/** Finds the one sticky comment again (Danger's hidden marker). */
export const COMMENT_MARKER = "<!-- platform-checks:sticky -->";
const STATE_PREFIX = "<!-- platform-checks:state ";
const ITEM_MARKER = /<!-- pc-item:([^:\s]+):([^\s]+) -->/;
/** GitHub's limit on a comment body. */
export const COMMENT_LIMIT = 65_536;
/** Above this the report is not embedded; a tick then triggers a full re-run instead. */
const STATE_LIMIT = 24_000;
/** Findings listed per service before pointing at the check run. */
const FINDINGS_PER_SERVICE = 25;

export interface CommentContext {
  headSha: string;
  /** The sticky comment's current body, if there is one. */
  previousBody?: string;
  config?: Pick<Config, "check_name" | "docs_base_url">;
}

/** The report a comment carries, so a tick can be re-evaluated without re-fetching code. */
export interface CommentState {
  headSha: string;
  report: CheckReport;
}

export function isStickyComment(body: string | null | undefined): boolean {
  return typeof body === "string" && body.includes(COMMENT_MARKER);
}

/**
 * The sticky comment's body, or `undefined` when there is nothing to say and
 * no comment yet (a PR that touches no service and has no findings).
 */
export function renderComment(report: CheckReport, context: CommentContext): string | undefined {
  const nothingToSay = report.services.length === 0 && report.findings.length === 0;
  if (nothingToSay) {
    if (!isStickyComment(context.previousBody)) return undefined;
    return `${COMMENT_MARKER}\n### ✅ ${escapeMarkdown(checkName(context))}\n\nThis pull request no longer changes any service, and the repository checks pass.\n`;
  }

  const counts = describeCounts(countBySeverity(report.findings));
  const icon = report.conclusion === "failure" ? "❌" : counts ? "⚠️" : "✅";
  const blocks: string[] = [
    COMMENT_MARKER,
    `### ${icon} ${escapeMarkdown(checkName(context))}: ${counts ? escapeMarkdown(counts) : "all checks passed"}`,
    "",
  ];
  if (report.services.length > 0) {
    blocks.push("| Service | Result |", "|---|---|");
    for (const service of report.services) {
      const c = describeCounts(countBySeverity(report.findings.filter((f) => f.service === service)));
      blocks.push(`| ${inlineCode(service)} | ${c ? `${c.includes("error") ? "❌" : "⚠️"} ${c}` : "✅ passed"} |`);
    }
    blocks.push("");
  }
  if (report.deletedServices.length > 0) {
    blocks.push(`Deleted: ${report.deletedServices.map(inlineCode).join(", ")} (not checked).`, "");
  }

  const sections: string[] = [];
  for (const service of report.services) {
    sections.push(renderServiceSection(service, report, context));
  }
  const repoFindings = report.findings.filter((f) => f.service === null);
  if (repoFindings.length > 0) {
    sections.push(["#### Repository", "", ...renderFindings(repoFindings, context)].join("\n"));
  }
  sections.push(
    "<sub>Tick a manual item once it is done; the check re-evaluates on each tick. Auto items follow the rules and are set by the bot. Comment `/recheck` to run again.</sub>",
  );

  const state = encodeState({ headSha: context.headSha, report });
  const stateBlock = state ? `${STATE_PREFIX}${state} -->` : "";
  const head = blocks.join("\n");
  const budget = COMMENT_LIMIT - head.length - stateBlock.length - 200;
  // A blank line after each section keeps the next one from joining the checklist above it.
  const body = capBlocks(sections.map((s) => `${s}\n`), budget, (n) => `\n_…${n} more section(s) cut to stay within GitHub's comment limit; the check run lists every finding._`);
  return `${head}\n${body}\n${stateBlock}\n`;
}

function renderServiceSection(service: string, report: CheckReport, context: CommentContext): string {
  const findings = report.findings.filter((f) => f.service === service && f.severity !== "notice");
  const lines = [`#### ${inlineCode(service)}`, ""];
  if (findings.length > 0) lines.push(...renderFindings(findings, context), "");
  const checklist = report.checklists.find((c) => c.service === service);
  if (checklist) lines.push(...renderChecklist(checklist));
  return lines.join("\n");
}

function renderFindings(findings: readonly EngineFinding[], context: CommentContext): string[] {
  const shown = findings.slice(0, FINDINGS_PER_SERVICE).map((f) => {
    const where = inlineCode(`${f.path}${f.line !== undefined ? `:${f.line}` : ""}`);
    return `- ${SEVERITY_ICON[f.severity]} [${f.rule}](${docsUrl(f.rule, context.config ?? {})}) ${where}: ${renderMessage(f.message)}`;
  });
  if (findings.length > shown.length) shown.push(`- …and ${findings.length - shown.length} more: see the check run's annotations.`);
  return shown;
}

function renderChecklist(checklist: ServiceChecklist): string[] {
  const done = checklist.items.filter((i) => i.checked).length;
  const gate = checklist.gated
    ? `**gates this merge**: the status becomes ${inlineCode(checklist.statusAfter ?? "")}, so every box must be ticked.`
    : "for reference; it gates the merge when the service is promoted to stable.";
  return [
    `**Production-readiness checklist** (${done}/${checklist.items.length}), ${gate}`,
    "",
    ...checklist.items.map(
      (item) =>
        // Only manual items carry the pc-item marker that parseManualTicks reads back.
        `- [${item.checked ? "x" : " "}] ${escapeMarkdown(item.label)}${item.kind === "auto" ? " _(auto)_" : ""} <!-- ${item.kind === "auto" ? "pc-auto" : "pc-item"}:${encodeURIComponent(checklist.service)}:${encodeURIComponent(item.id)} -->`,
    ),
  ];
}

/** Messages quote code in backticks: keep those spans, escape everything else. */
function renderMessage(message: string): string {
  return message
    .split(/(`[^`\n]*`)/)
    .map((part) => (part.startsWith("`") && part.endsWith("`") && part.length >= 2 ? inlineCode(part.slice(1, -1)) : escapeMarkdown(part)))
    .join("");
}

/** The manual ticks a person set in the comment: only `manual` items count, auto items belong to the bot. */
export function parseManualTicks(body: string | null | undefined, report?: Pick<CheckReport, "checklists">): ManualTicks {
  const ticks = new Map<string, Set<string>>();
  for (const line of (body ?? "").split("\n")) {
    const box = /^\s*[-*+]\s+\[([ xX])\]/.exec(line);
    const marker = ITEM_MARKER.exec(line);
    if (!box || !marker || box[1] === " ") continue;
    const service = decodeURIComponent(marker[1]!);
    const item = decodeURIComponent(marker[2]!);
    const known = report?.checklists.find((c) => c.service === service)?.items.find((i) => i.id === item);
    if (known && known.kind !== "manual") continue;
    if (!ticks.has(service)) ticks.set(service, new Set());
    ticks.get(service)!.add(item);
  }
  return ticks;
}

export function readCommentState(body: string | null | undefined): CommentState | undefined {
  const start = body?.indexOf(STATE_PREFIX) ?? -1;
  if (!body || start < 0) return undefined;
  const end = body.indexOf(" -->", start);
  if (end < 0) return undefined;
  try {
    const json = gunzipSync(Buffer.from(body.slice(start + STATE_PREFIX.length, end), "base64")).toString("utf8");
    const state = JSON.parse(json) as { v?: number } & CommentState;
    if (state.v !== 1 || typeof state.headSha !== "string" || !state.report) return undefined;
    return { headSha: state.headSha, report: state.report };
  } catch {
    return undefined; // a mangled state only costs a full re-run
  }
}

function encodeState(state: CommentState): string | undefined {
  const encoded = gzipSync(JSON.stringify({ v: 1, ...state })).toString("base64");
  return encoded.length <= STATE_LIMIT ? encoded : undefined;
}

function checkName(context: CommentContext): string {
  return context.config?.check_name ?? "Loop Platform / pre-merge";
}
