import { gunzipSync, gzipSync } from "node:zlib";
import type { ManualTicks, ServiceChecklist } from "../checklist/checklist.js";
import type { Config } from "../engine/config.js";
import { docsUrl } from "../engine/rule.js";
import type { CheckReport, EngineFinding } from "../engine/run.js";
import { countBySeverity, describeCounts, SEVERITY_ICON } from "./counts.js";
import { GITHUB_LIMITS } from "../github/limits.js";
import { capBlocks, clip, escapeMarkdown, inlineCode, inlineCodeInTable, link } from "./markdown.js";

/** Finds the one sticky comment again (Danger's hidden marker). */
export const COMMENT_MARKER = "<!-- platform-checks:sticky -->";
const STATE_PREFIX = "<!-- platform-checks:state ";
const ITEM_MARKER = /<!-- pc-item:([^:\s]+):([^\s]+) -->/;
/**
 * The body's budget in UTF-8 bytes: GitHub's comment limit less room for the
 * signature the bot appends after rendering.
 */
export const COMMENT_LIMIT = GITHUB_LIMITS.commentBody - 256;
/** Above this the report is not embedded; a tick then triggers a full re-run instead. */
const STATE_LIMIT = 24_000;
/** Findings listed per service before pointing at the check run. */
const FINDINGS_PER_SERVICE = 25;
/** Rows of the services table (and deleted services named) before the rest are counted. */
const SERVICE_ROWS = 100;
/** Characters of a service name shown (folder names are at most 255 bytes anyway). */
const NAME_CHARS = 100;
/** Characters of one finding's message shown in the comment (the annotation has it whole). */
const MESSAGE_CHARS = 1_000;

/**
 * What the embedded report was computed for. The bot signs it with the
 * report and trusts the report for a tick only when every field matches the
 * pull request as it is now; anything else costs a full run.
 */
export interface StateBinding {
  /** `owner/repo`. */
  repository?: string;
  pullNumber?: number;
  headSha: string;
  baseSha?: string;
  /** Digest of the effective configuration the rules ran with. */
  configDigest?: string;
  /** Version of the rule set (rules, their severities and messages). */
  rulesetVersion?: string;
}

export interface CommentContext {
  headSha: string;
  /** The rest of what the embedded report is bound to (see StateBinding). */
  binding?: Omit<StateBinding, "headSha">;
  /** The sticky comment's current body, if there is one. */
  previousBody?: string;
  config?: Pick<Config, "check_name" | "docs_base_url">;
}

/** The report a comment carries, so a tick can be re-evaluated without re-fetching code. */
export interface CommentState {
  headSha: string;
  binding: StateBinding;
  report: CheckReport;
}

/** The bot writes its marker first; a person quoting it further down does not make a sticky comment. */
export function isStickyComment(body: string | null | undefined): boolean {
  return typeof body === "string" && body.trimStart().startsWith(COMMENT_MARKER);
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
    for (const service of report.services.slice(0, SERVICE_ROWS)) {
      const c = describeCounts(countBySeverity(report.findings.filter((f) => f.service === service)));
      blocks.push(`| ${inlineCodeInTable(clip(service, NAME_CHARS))} | ${c ? `${c.includes("error") ? "❌" : "⚠️"} ${c}` : "✅ passed"} |`);
    }
    if (report.services.length > SERVICE_ROWS) blocks.push(`| …and ${report.services.length - SERVICE_ROWS} more | see the check run |`);
    blocks.push("");
  }
  if (report.deletedServices.length > 0) {
    const shown = report.deletedServices.slice(0, SERVICE_ROWS).map((name) => inlineCode(clip(name, NAME_CHARS)));
    if (report.deletedServices.length > SERVICE_ROWS) shown.push(`…and ${report.deletedServices.length - SERVICE_ROWS} more`);
    blocks.push(`Deleted: ${shown.join(", ")} (not checked).`, "");
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

  const state = encodeState({ ...context.binding, headSha: context.headSha }, report);
  const stateBlock = state ? `${STATE_PREFIX}${state} -->` : "";
  const head = blocks.join("\n");
  const budget = COMMENT_LIMIT - Buffer.byteLength(head, "utf8") - stateBlock.length - 8;
  // A blank line after each section keeps the next one from joining the checklist above it.
  const body = capBlocks(sections.map((s) => `${s}\n`), budget, (n) => `\n_…${n} more section(s) cut to stay within GitHub's comment limit; the check run lists every finding._`);
  return `${head}\n${body}\n${stateBlock}\n`;
}

function renderServiceSection(service: string, report: CheckReport, context: CommentContext): string {
  const findings = report.findings.filter((f) => f.service === service && f.severity !== "notice");
  const lines = [`#### ${inlineCode(clip(service, NAME_CHARS))}`, ""];
  if (findings.length > 0) lines.push(...renderFindings(findings, context), "");
  const checklist = report.checklists.find((c) => c.service === service);
  if (checklist) lines.push(...renderChecklist(checklist));
  return lines.join("\n");
}

function renderFindings(findings: readonly EngineFinding[], context: CommentContext): string[] {
  const shown = findings.slice(0, FINDINGS_PER_SERVICE).map((f) => {
    const where = inlineCode(`${clip(f.path, NAME_CHARS * 3)}${f.line !== undefined ? `:${f.line}` : ""}`);
    return `- ${SEVERITY_ICON[f.severity]} ${link(f.rule, docsUrl(f.rule, context.config ?? {}))} ${where}: ${renderMessage(clip(f.message, MESSAGE_CHARS))}`;
  });
  if (findings.length > shown.length) shown.push(`- …and ${findings.length - shown.length} more: see the check run's annotations.`);
  return shown;
}

function renderChecklist(checklist: ServiceChecklist): string[] {
  const done = checklist.items.filter((i) => i.checked).length;
  const gate = checklist.gated
    ? `**gates this merge**: the status becomes ${inlineCode(clip(checklist.statusAfter ?? "", 100))}, so every box must be ticked.`
    : "for reference; it gates the merge when the service is promoted to stable.";
  return [
    `**Production-readiness checklist** (${done}/${checklist.items.length}), ${gate}`,
    "",
    ...checklist.items.map(
      (item) =>
        // Only manual items carry the pc-item marker that parseManualTicks reads back.
        `- [${item.checked ? "x" : " "}] ${escapeMarkdown(clip(item.label, 300))}${item.kind === "auto" ? " _(auto)_" : ""} <!-- ${item.kind === "auto" ? "pc-auto" : "pc-item"}:${markerPart(checklist.service)}:${markerPart(item.id)} -->`,
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
    const service = decodeMarker(marker[1]!);
    const item = decodeMarker(marker[2]!);
    const known = report?.checklists.find((c) => c.service === service)?.items.find((i) => i.id === item);
    if (known && known.kind !== "manual") continue;
    if (!ticks.has(service)) ticks.set(service, new Set());
    ticks.get(service)!.add(item);
  }
  return ticks;
}

/**
 * The report the comment carries: the LAST state block in the body, where
 * the bot writes it (repository text is escaped so it cannot contain one,
 * and a block a person adds is caught by the signature, see CommentSigner).
 */
export function readCommentState(body: string | null | undefined): CommentState | undefined {
  const start = body?.lastIndexOf(STATE_PREFIX) ?? -1;
  if (!body || start < 0) return undefined;
  const end = body.indexOf(" -->", start);
  if (end < 0) return undefined;
  const encoded = body.slice(start + STATE_PREFIX.length, end);
  if (!/^[A-Za-z0-9+/=]+$/.test(encoded) || encoded.length > STATE_LIMIT) return undefined;
  try {
    const json = gunzipSync(Buffer.from(encoded, "base64"), { maxOutputLength: 16 * 1024 * 1024 }).toString("utf8");
    const state = JSON.parse(json) as { v?: number; binding?: StateBinding; report?: CheckReport };
    if (state.v !== 2 || typeof state.binding?.headSha !== "string" || !state.report) return undefined;
    return { headSha: state.binding.headSha, binding: state.binding, report: state.report };
  } catch {
    return undefined; // a mangled state only costs a full re-run
  }
}

function encodeState(binding: StateBinding, report: CheckReport): string | undefined {
  const encoded = gzipSync(JSON.stringify({ v: 2, binding, report })).toString("base64");
  return encoded.length <= STATE_LIMIT ? encoded : undefined;
}

/**
 * A name inside an item marker: URI-encoded, and no `--` left (GitHub's
 * Markdown ends an HTML comment's validity at `--`, which would show the marker).
 */
function markerPart(name: string): string {
  return encodeURIComponent(name).replace(/-(?=-)|(?<=-)-/g, "%2D");
}

/** Marker parts are URI-encoded by the bot; a person's malformed edit decodes to nothing rather than throwing. */
function decodeMarker(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return "";
  }
}

function checkName(context: CommentContext): string {
  return context.config?.check_name ?? "Loop Platform / pre-merge";
}
