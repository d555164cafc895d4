import { describe, expect, it } from "vitest";
import { renderComment } from "../../src/report/comment.js";
import { renderStepSummary } from "../../src/report/step-summary.js";
import { hostileReport } from "../helpers/report-fixture.js";

describe("step summary (--format markdown, $GITHUB_STEP_SUMMARY)", () => {
  it("is the bot's comment without the marker, the embedded report and the /recheck footer", () => {
    const report = hostileReport();
    const comment = renderComment(report, { headSha: "a".repeat(40) })!;
    const summary = renderStepSummary(report, { headSha: "a".repeat(40), scope: "changed since main" });
    expect(summary).not.toContain("<!-- platform-checks:");
    expect(summary).not.toContain("/recheck");
    expect(summary.trimEnd().split("\n").at(-1)).toBe(
      "<sub>Checked changed since main. Manual checklist items are ticked in the pull request's platform-checks comment, not here.</sub>",
    );
    // Every other line is the comment renderer's, in the same order.
    const kept = summary.trimEnd().split("\n").slice(0, -2);
    const commentLines = comment.split("\n");
    let at = 0;
    for (const line of kept) {
      at = commentLines.indexOf(line, at);
      expect(at, line).toBeGreaterThanOrEqual(0);
    }
    expect(summary).toContain("| `billing-ledger` | ❌ 1 error, 1 warning, 1 notice |");
  });

  it("escapes repository text as the comment does (no mention, no HTML)", () => {
    const summary = renderStepSummary(hostileReport(), { scope: "every service" });
    expect(summary).not.toContain("@everyone");
    expect(summary).not.toContain("<img");
  });

  it("says so when nothing is in scope, instead of writing nothing", () => {
    const report = { ...hostileReport(), services: [], findings: [], conclusion: "success" as const };
    expect(renderStepSummary(report, { scope: "changed since main" })).toBe(
      "### ✅ Loop Platform / pre-merge\n\nNo service in scope (changed since main), and the repository checks pass.\n",
    );
  });
});
