import type { Finding } from "../engine/types.js";

export interface SeverityCounts {
  errors: number;
  warnings: number;
  notices: number;
}

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = { errors: 0, warnings: 0, notices: 0 };
  for (const f of findings) {
    if (f.severity === "error") counts.errors++;
    else if (f.severity === "warning") counts.warnings++;
    else counts.notices++;
  }
  return counts;
}

/** `2 errors, 1 warning` (empty string when there is nothing). */
export function describeCounts(counts: SeverityCounts): string {
  const part = (n: number, word: string) => (n === 0 ? [] : [`${n} ${word}${n === 1 ? "" : "s"}`]);
  return [...part(counts.errors, "error"), ...part(counts.warnings, "warning"), ...part(counts.notices, "notice")].join(", ");
}

export const SEVERITY_ICON = { error: "❌", warning: "⚠️", notice: "ℹ️" } as const;
