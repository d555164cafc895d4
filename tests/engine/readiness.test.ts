import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/engine/config.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { applyReadiness, runChecks } from "../../src/engine/run.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { markerRule } from "../helpers/fake-rules.js";

const SERVICE_YAML = "services/billing-ledger/service.yaml";
const rules = [markerRule("health-endpoint-required", "BROKEN_HEALTH"), markerRule("infra-scaling-declared", "NO_ALARM", "alarmTopicMissing")];
const manualIds = ["healthz-dev", "smoke-test", "alarms-routed", "event-round-trip", "on-call"];

function promote(): { base: Record<string, string>; files: Record<string, string> } {
  const base = exampleFiles();
  const files = { ...base, [SERVICE_YAML]: base[SERVICE_YAML]!.replace("status: beta", "status: stable") };
  return { base, files };
}

describe("production-readiness checklist", () => {
  it("gates a service promoted to stable until every manual box is ticked", async () => {
    const { base, files } = promote();
    const config = parseConfig({});
    const report = await runChecks({ snapshot: new MemorySnapshot({ files, base }), config, rules });
    const billing = report.checklists.find((c) => c.service === "billing-ledger")!;
    expect(billing).toMatchObject({ gated: true, statusBefore: "beta", statusAfter: "stable", publishesEvents: true });
    const readiness = report.findings.filter((f) => f.rule === "production-readiness-checklist");
    expect(readiness).toHaveLength(1);
    expect(readiness[0]).toMatchObject({ path: SERVICE_YAML, line: 5, column: 9, severity: "error", service: "billing-ledger" });
    expect(readiness[0]!.message).toContain("5 checklist item(s) are not ticked");
    expect(report.conclusion).toBe("failure");

    // Ticking all but one keeps it failing; the last tick turns it green, without re-running rules.
    const almost = applyReadiness(report, report.checklists, config, new Map([["billing-ledger", new Set(manualIds.slice(1))]]));
    expect(almost.conclusion).toBe("failure");
    expect(almost.findings.find((f) => f.rule === "production-readiness-checklist")!.message).toContain('"healthz returns 200 on the dev stage" (manual)');
    const done = applyReadiness(report, report.checklists, config, new Map([["billing-ledger", new Set(manualIds)]]));
    expect(done.conclusion).toBe("success");
    expect(done.findings).toEqual([]);
  });

  it("does not gate a service that stays beta, nor one already stable at the base", async () => {
    const files = exampleFiles();
    const report = await runChecks({
      snapshot: new MemorySnapshot({ files, base: { ...files, "services/notifications/README.md": "old" } }),
      config: parseConfig({}),
      rules,
    });
    expect(report.services).toEqual(["notifications"]);
    expect(report.checklists[0]).toMatchObject({ service: "notifications", gated: false, statusBefore: "stable", statusAfter: "stable" });
    expect(report.conclusion).toBe("success");
  });

  it("gates a service added as stable, and counts a failing auto item against it", async () => {
    const { base, files } = promote();
    for (const path of Object.keys(base)) if (path.startsWith("services/billing-ledger/")) delete base[path];
    files["services/billing-ledger/infra.ts"] += "\n// NO_ALARM\n";
    const report = await runChecks({
      snapshot: new MemorySnapshot({ files, base }),
      config: parseConfig({}),
      rules,
      manualTicks: new Map([["billing-ledger", new Set(manualIds)]]),
    });
    const billing = report.checklists.find((c) => c.service === "billing-ledger")!;
    expect(billing.statusBefore).toBeUndefined();
    expect(billing.items.filter((i) => !i.checked).map((i) => i.id)).toEqual(["alarm-topic"]);
    expect(report.findings.map((f) => f.rule).sort()).toEqual(["infra-scaling-declared", "production-readiness-checklist"]);
  });

  it("leaves the scaling item unticked when min is above max (scalingInverted), and the alarm item ticked", async () => {
    const { base, files } = promote();
    files["services/billing-ledger/infra.ts"] += "\n// INVERTED\n";
    const report = await runChecks({
      snapshot: new MemorySnapshot({ files, base }),
      config: parseConfig({}),
      rules: [...rules, markerRule("infra-scaling-declared", "INVERTED", "scalingInverted")],
      manualTicks: new Map([["billing-ledger", new Set(manualIds)]]),
    });
    const billing = report.checklists.find((c) => c.service === "billing-ledger")!;
    expect(billing.items.filter((i) => !i.checked).map((i) => i.id)).toEqual(["scaling"]);
  });

  it("adds teams' manual items from config, and turns an auto item manual when its rules are off", async () => {
    const { base, files } = promote();
    const config = parseConfig({ checklist_items: ["Security review signed off"], rules: { "health-endpoint-required": "off" } });
    const report = await runChecks({ snapshot: new MemorySnapshot({ files, base }), config, rules });
    const items = report.checklists.find((c) => c.service === "billing-ledger")!.items;
    expect(items.find((i) => i.id === "healthz")).toMatchObject({ kind: "manual", checked: false });
    expect(items.at(-1)).toMatchObject({ id: "custom-security-review-signed-off", kind: "manual", label: "Security review signed off" });
  });

  it("promotes nothing when the whole tree is checked (no pull request)", async () => {
    const report = await runChecks({ snapshot: new MemorySnapshot({ files: exampleFiles() }), config: parseConfig({}), rules });
    expect(report.checklists.every((c) => !c.gated)).toBe(true);
    expect(report.conclusion).toBe("success");
  });
});
