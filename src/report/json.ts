import type { CheckReport } from "../engine/run.js";
import type { Severity } from "../engine/types.js";

/** One finding in the CLI's JSON (SPEC section 7). */
export interface JsonFinding {
  rule: string;
  severity: Severity;
  /** null for repo-level findings. */
  service: string | null;
  /** Relative to the repository root. */
  path: string;
  /** 1-based; null when the finding is about a file as a whole (e.g. the file is missing). */
  line: number | null;
  /** 1-based; null when unknown. */
  column: number | null;
  message: string;
}

/** The object `platform-checks check --format json` prints: exactly SPEC section 7's shape. */
export interface JsonReport {
  conclusion: "success" | "failure";
  services: string[];
  findings: JsonFinding[];
}

/**
 * Keeps only the contract's fields, in the contract's order. Internal fields
 * (message ids, rule runs, checklists) stay out, and `line`/`column` are always
 * present (null when unknown) so consumers never test for a missing key.
 */
export function toJsonReport(report: Pick<CheckReport, "conclusion" | "services" | "findings">): JsonReport {
  return {
    conclusion: report.conclusion,
    services: [...report.services],
    findings: report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      service: f.service,
      path: f.path,
      line: f.line ?? null,
      column: f.column ?? null,
      message: f.message,
    })),
  };
}

export function renderJson(report: Pick<CheckReport, "conclusion" | "services" | "findings">): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
