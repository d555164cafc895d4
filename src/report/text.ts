import type { ServiceChecklist } from "../checklist/checklist.js";
import type { CheckReport, EngineFinding } from "../engine/run.js";
import { countBySeverity, describeCounts } from "./counts.js";
import { plainInline } from "./markdown.js";

export interface TextReportOptions {
  /** What was checked, e.g. `every service` or `services changed since origin/main`. */
  scope: string;
  /** Statuses whose promotion the checklist gates (config `checklist_statuses`), for the checklist's heading. */
  gatedStatuses?: readonly string[];
}

/** Widest location column before the message; longer locations simply push the message right. */
const MAX_LOCATION_WIDTH = 64;

/**
 * The CLI's human report: findings grouped by service (repo-level findings
 * last, under "repository"), each as `path:line:col  severity  rule  message`;
 * each service's production-readiness checklist; then a one-line total.
 */
export function renderText(unsafe: CheckReport, options: TextReportOptions): string {
  const report = plainReport(unsafe);
  const out: string[] = [];
  const names = report.services;
  out.push(
    names.length === 0
      ? `platform-checks: no service in scope (${plainInline(options.scope)}); repository-level rules ran.`
      : `platform-checks: ${names.length} service${names.length === 1 ? "" : "s"} checked (${plainInline(options.scope)}): ${names.join(", ")}`,
  );
  if (report.deletedServices.length > 0) {
    out.push(`Deleted, not checked: ${report.deletedServices.join(", ")} (repository-level rules still check that nothing refers to them).`);
  }

  const byService = new Map<string | null, EngineFinding[]>();
  for (const f of report.findings) byService.set(f.service, [...(byService.get(f.service) ?? []), f]);
  const checklists = new Map(report.checklists.map((c) => [c.service, c]));
  // Services in scope first (even without findings, for their checklist), then any other service a finding names.
  const groups: (string | null)[] = [...names, ...[...byService.keys()].filter((s): s is string => s !== null && !names.includes(s)).sort()];
  if (byService.has(null)) groups.push(null);

  for (const service of groups) {
    const findings = byService.get(service) ?? [];
    const counts = describeCounts(countBySeverity(findings));
    out.push("", `${service ?? "repository"} — ${counts || "no findings"}`);
    out.push(...findingLines(findings));
    const checklist = service === null ? undefined : checklists.get(service);
    if (checklist) out.push("", ...checklistLines(checklist, (options.gatedStatuses ?? ["stable"]).map(plainInline)));
  }

  const total = describeCounts(countBySeverity(report.findings));
  out.push("", `${total || "No findings"}${groups.length > 0 ? ` in ${describeGroups(groups)}` : ""}: ${report.conclusion}.`);
  return `${out.map(noWorkflowCommand).join("\n")}\n`;
}

/**
 * The report with every piece of repository text on one line, without ANSI
 * escapes or control characters: a name cannot recolour the terminal, move
 * the cursor, or start a line of its own.
 */
function plainReport(report: CheckReport): CheckReport {
  return {
    ...report,
    services: report.services.map(plainInline),
    deletedServices: report.deletedServices.map(plainInline),
    findings: report.findings.map((f) => ({ ...f, service: f.service === null ? null : plainInline(f.service), path: plainInline(f.path), message: plainInline(f.message) })),
    checklists: report.checklists.map((c) => ({
      ...c,
      service: plainInline(c.service),
      ...(c.statusBefore ? { statusBefore: plainInline(c.statusBefore) } : {}),
      ...(c.statusAfter ? { statusAfter: plainInline(c.statusAfter) } : {}),
      items: c.items.map((item) => ({ ...item, label: plainInline(item.label) })),
    })),
  };
}

/**
 * In a CI log, a line starting with `::name` (or the older `##[name]`) is a
 * workflow command (GitHub Actions, also after leading spaces). A word joiner
 * after the first character keeps the line as it reads and makes it text.
 */
function noWorkflowCommand(line: string): string {
  return line.replace(/^(\s*)(:(?=:)|#(?=#\[))/, "$1$2\u2060");
}

function findingLines(findings: readonly EngineFinding[]): string[] {
  const location = (f: EngineFinding) => (f.line === undefined ? f.path : `${f.path}:${f.line}${f.column === undefined ? "" : `:${f.column}`}`);
  const width = Math.min(MAX_LOCATION_WIDTH, Math.max(0, ...findings.map((f) => location(f).length)));
  return findings.map((f) => `  ${location(f).padEnd(width)}  ${f.severity.padEnd(7)}  ${f.rule}  ${f.message}`);
}

function checklistLines(checklist: ServiceChecklist, gatedStatuses: readonly string[]): string[] {
  const lines: string[] = [];
  if (checklist.gated) {
    const from = checklist.statusBefore ? `from ${checklist.statusBefore} ` : "";
    lines.push(`  Production-readiness checklist — ${checklist.service} is promoted ${from}to ${checklist.statusAfter}, so every box must be ticked:`);
  } else {
    const status = checklist.statusAfter ? `status ${checklist.statusAfter}, ` : "";
    lines.push(`  Production-readiness checklist (${status}for information: only a promotion to ${gatedStatuses.join(" or ")} must tick every box):`);
  }
  for (const item of checklist.items) {
    const why = item.checked ? "" : item.kind === "auto" ? "  (auto: fix the findings above)" : "  (manual)";
    lines.push(`    [${item.checked ? "x" : " "}] ${item.label}${why}`);
  }
  const manual = checklist.items.filter((i) => i.kind === "manual" && !i.checked);
  if (checklist.gated && manual.length > 0) {
    lines.push(
      `  Manual items cannot be ticked locally: tick them in the platform-checks comment on the pull request (${manual.length} to tick). Until then this promotion fails here.`,
    );
  }
  return lines;
}

function describeGroups(groups: readonly (string | null)[]): string {
  const services = groups.filter((g) => g !== null).length;
  const parts = services > 0 ? [`${services} service${services === 1 ? "" : "s"}`] : [];
  if (groups.includes(null)) parts.push("the repository");
  return parts.join(" and ");
}
