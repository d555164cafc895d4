import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/engine/config.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { runChecks } from "../../src/engine/run.js";
import { CHECK_RUN_TEXT_LIMIT, renderCheckRun, renderFailureOutput } from "../../src/report/check-run.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { markerRule } from "../helpers/fake-rules.js";

const config = parseConfig({ rules: { "service-readme-required": "warning" } });
const rules = [markerRule("health-endpoint-required", "BROKEN_HEALTH"), markerRule("service-readme-required", "TODO_README")];

describe("check run output", () => {
  it("titles with counts, annotates every finding with level, rule and docs link", async () => {
    const files = exampleFiles();
    const base = { ...files };
    files["services/billing-ledger/src/index.ts"] += "\n// BROKEN_HEALTH\n// BROKEN_HEALTH\n";
    files["services/billing-ledger/README.md"] += "\nTODO_README\n";
    const report = await runChecks({ snapshot: new MemorySnapshot({ files, base }), config, rules });
    const output = renderCheckRun(report, config);
    expect(output.title).toBe("1 error, 1 warning in billing-ledger");
    expect(output.annotations).toHaveLength(2);
    expect(output.annotations[0]).toEqual({
      path: "services/billing-ledger/README.md",
      start_line: 20,
      end_line: 20,
      start_column: 1,
      end_column: 1,
      annotation_level: "warning",
      title: "service-readme-required",
      message: expect.stringContaining("docs/rules/service-readme-required.md"),
    });
    expect(output.annotations[1]).toMatchObject({ annotation_level: "failure", path: "services/billing-ledger/src/index.ts" });
    expect(output.summary).toContain("### billing-ledger");
    expect(output.summary).toMatch(/\| \[health-endpoint-required\]\([^)]+\) \| ❌ 1 error \|/);
    expect(output.summary).toMatch(/\| \[production-readiness-checklist\]\([^)]+\) \| ✅ passed \|/);
  });

  it("says all passed, or that no service changed", async () => {
    const files = exampleFiles();
    const passed = await runChecks({ snapshot: new MemorySnapshot({ files, base: { ...files, "services/notifications/RUNBOOK.md": "" } }), config, rules });
    expect(renderCheckRun(passed, config).title).toBe("All checks passed for notifications");
    const none = await runChecks({ snapshot: new MemorySnapshot({ files, base: { ...files, "README.md": "" } }), config, rules });
    expect(renderCheckRun(none, config).title).toBe("No services changed; repository checks passed");
  });

  it("caps the summary at GitHub's limit with a note, and keeps every annotation", async () => {
    const files = exampleFiles();
    for (let i = 0; i < 900; i++) files[`services/svc-${i}/index.ts`] = "// BROKEN_HEALTH";
    const report = await runChecks({ snapshot: new MemorySnapshot({ files }), config, rules });
    const output = renderCheckRun(report, config);
    expect(output.summary.length).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    expect(output.summary).toMatch(/more section\(s\) cut/);
    expect(output.annotations).toHaveLength(900);
    expect(output.title).toBe("900 errors in 902 services");
  });

  it("explains a run that could not finish and how to retry", () => {
    const out = renderFailureOutput({ headline: "GitHub answered 502 Bad Gateway reading services/a/service.yaml", retry: "recheck" });
    expect(out.title).toBe("Could not finish: GitHub answered 502 Bad Gateway reading services/a/service.yaml; comment /recheck to retry");
    expect(out.summary).toMatch(/Nothing in the pull request caused this/);
    const fix = renderFailureOutput({ headline: "rules.x: no rule has this id", detail: "rules.x: no rule has this id. Fix it on main.", retry: "fix" });
    expect(fix.title).toBe("Could not finish: rules.x: no rule has this id");
    expect(fix.summary).toContain("Fix it on main.");
  });
});
