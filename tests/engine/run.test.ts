import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/engine/config.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { defineRepoRule, defineServiceRule } from "../../src/engine/rule.js";
import { runChecks } from "../../src/engine/run.js";
import { SnapshotReadError } from "../../src/engine/snapshot.js";
import { exampleFiles } from "../helpers/example-repo.js";

const noisy = defineServiceRule({
  meta: { id: "service-readme-required", defaultSeverity: "error", title: "t", messages: { hard: "hard {{name}}", soft: "soft" } },
  check(ctx, report) {
    report({ messageId: "hard", data: { name: ctx.service.name }, path: ctx.path("README.md"), line: 2, column: 3 });
    report({ messageId: "soft", path: ctx.path("README.md"), line: 1, severity: "warning" });
  },
});
const crashing = defineServiceRule({
  meta: { id: "service-runbook-required", defaultSeverity: "error", title: "t", messages: {} },
  check() {
    throw new Error("boom");
  },
});
const repoLevel = defineRepoRule({
  meta: { id: "changeset-valid", defaultSeverity: "error", title: "t", messages: { m: "repo {{n}}" } },
  check(ctx, report) {
    report({ messageId: "m", data: { n: ctx.services.length }, path: ".changeset/x.md", line: 1 });
  },
});
const snapshot = () => new MemorySnapshot({ files: exampleFiles() });

describe("runChecks", () => {
  it("runs service rules per service and repo rules once, with formatted messages", async () => {
    const report = await runChecks({ snapshot: snapshot(), config: parseConfig({}), rules: [noisy, repoLevel] });
    expect(report.findings.map((f) => [f.service, f.rule, f.severity, f.message])).toEqual([
      [null, "changeset-valid", "error", "repo 2"],
      ["billing-ledger", "service-readme-required", "warning", "soft"],
      ["billing-ledger", "service-readme-required", "error", "hard billing-ledger"],
      ["notifications", "service-readme-required", "warning", "soft"],
      ["notifications", "service-readme-required", "error", "hard notifications"],
    ]);
    expect(report.conclusion).toBe("failure");
  });

  it("applies configured severities: lowered, off, and never raises a rule's own softer finding", async () => {
    const lowered = await runChecks({ snapshot: snapshot(), config: parseConfig({ rules: { "service-readme-required": "notice" } }), rules: [noisy] });
    expect(new Set(lowered.findings.map((f) => f.severity))).toEqual(new Set(["notice"]));
    expect(lowered.conclusion).toBe("success");
    const off = await runChecks({ snapshot: snapshot(), config: parseConfig({ rules: { "service-readme-required": "off" } }), rules: [noisy] });
    expect(off.findings).toEqual([]);
    expect(off.ruleRuns.find((r) => r.rule === "service-readme-required")?.severity).toBe("off");
  });

  it("turns a crashing rule into an error finding, never a silent pass, and runs the other rules", async () => {
    const report = await runChecks({ snapshot: snapshot(), config: parseConfig({}), rules: [crashing, repoLevel] });
    const crash = report.findings.filter((f) => f.rule === "service-runbook-required");
    expect(crash).toHaveLength(2);
    expect(crash[0]).toMatchObject({ severity: "error", path: "services/billing-ledger" });
    expect(crash[0]!.message).toMatch(/could not finish \(internal error: boom\)/);
    expect(report.ruleRuns.filter((r) => r.crashed === "boom")).toHaveLength(2);
    expect(report.findings.some((f) => f.rule === "changeset-valid")).toBe(true);
    expect(report.conclusion).toBe("failure");
  });

  it("aborts with the snapshot's read error instead of reporting it as rule crashes", async () => {
    const failure = new SnapshotReadError("services/billing-ledger/README.md", "GitHub answered 503 Service Unavailable", true);
    const reader = defineServiceRule({
      meta: { id: "service-readme-required", defaultSeverity: "error", title: "t", messages: {} },
      async check(ctx) {
        await ctx.read(ctx.path("README.md"));
      },
    });
    const failing = new MemorySnapshot({ files: exampleFiles(), failingReads: { [failure.path]: failure } });
    await expect(runChecks({ snapshot: failing, config: parseConfig({}), rules: [reader, repoLevel] })).rejects.toBe(failure);
    // The same rule over a snapshot that answers: no finding, no crash.
    const report = await runChecks({ snapshot: snapshot(), config: parseConfig({}), rules: [reader] });
    expect(report.ruleRuns.filter((r) => r.crashed)).toEqual([]);
  });
});
