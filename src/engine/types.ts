/** Severity a finding carries; `error` fails the check run, the others annotate only. */
export type Severity = "error" | "warning" | "notice";
/** What configuration may set a rule to. */
export type ConfiguredSeverity = Severity | "off";

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, notice: 1 };

/** A finding as the engine reports it: the shape of SPEC section 7's JSON. */
export interface Finding {
  rule: string;
  severity: Severity;
  /** null for repo-level findings. */
  service: string | null;
  /** Relative to the repository root. */
  path: string;
  /** 1-based; absent only when the finding is about a file as a whole (e.g. it is missing). */
  line?: number;
  /** 1-based. */
  column?: number;
  message: string;
}

/** A position in a file, 1-based. */
export interface Position {
  line: number;
  column: number;
}

/**
 * What a rule returns. Severity is optional: when absent the rule's configured
 * severity applies; a rule sets `severity` only to report something softer than
 * its default (an unknown key, a construct it cannot decide statically).
 */
export interface RawFinding {
  path: string;
  line?: number;
  column?: number;
  message: string;
  severity?: Severity;
  /** Overrides the service the rule ran for; `null` makes the finding repo-level. */
  service?: string | null;
}
