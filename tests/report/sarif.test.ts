import { describe, expect, it } from "vitest";
import { RULE_METAS } from "../../src/cli/rule-catalog.js";
import { DEFAULT_CONFIG } from "../../src/engine/config.js";
import { renderSarif, toSarif } from "../../src/report/sarif.js";
import { hostileReport } from "../helpers/report-fixture.js";
import { sarifValidator } from "../helpers/sarif-schema.js";

const validate = sarifValidator();

function sarifOf(options: Partial<Parameters<typeof toSarif>[1]> = {}) {
  return JSON.parse(renderSarif(hostileReport(), { rules: RULE_METAS, config: DEFAULT_CONFIG, toolVersion: "1.2.3", ...options }));
}

describe("SARIF 2.1.0 (--format sarif)", () => {
  it("is valid against the 2.1.0 schema, with the rule docs as help", () => {
    const log = sarifOf({ ruleHelp: (id) => `# ${id}\n\nWhat it checks.` });
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(log.version).toBe("2.1.0");
  });

  it("the schema validator rejects what is not SARIF (the test can fail)", () => {
    const log = sarifOf();
    log.runs[0].results[0].level = "fatal";
    delete log.runs[0].tool.driver.name;
    expect(validate(log)).toBe(false);
    expect(validate.errors!.map((e: { instancePath: string }) => e.instancePath)).toEqual(expect.arrayContaining(["/runs/0/results/0/level", "/runs/0/tool/driver"]));
  });

  it("lists every rule with its title, effective severity and a helpUri to its doc page", () => {
    const log = sarifOf({ config: { ...DEFAULT_CONFIG, rules: { "owner-in-codeowners": "error", "sdk-drift": "off" } } });
    const rules = log.runs[0].tool.driver.rules;
    expect(rules).toHaveLength(RULE_METAS.length);
    const byId = Object.fromEntries(rules.map((r: any) => [r.id, r]));
    expect(byId["owner-in-codeowners"]).toMatchObject({
      name: "OwnerInCodeowners",
      shortDescription: { text: "CODEOWNERS covers the service folder and names its owner" },
      helpUri: "https://github.com/loop-platform/platform-checks/blob/main/docs/rules/owner-in-codeowners.md",
      defaultConfiguration: { level: "error", enabled: true },
    });
    expect(byId["sdk-drift"].defaultConfiguration).toEqual({ level: "error", enabled: false });
    expect(log.runs[0].tool.driver).toMatchObject({ name: "platform-checks", version: "1.2.3" });
  });

  it("puts each finding at its file, line and column under %SRCROOT%, level from severity, with a stable fingerprint", () => {
    const log = sarifOf({ pathPrefix: "mono/" });
    const results = log.runs[0].results;
    expect(results.map((r: any) => [r.ruleId, r.level])).toEqual([
      ["changeset-valid", "error"],
      ["migration-brand-id-required", "error"],
      ["owner-in-codeowners", "warning"],
      ["service-runbook-required", "note"],
    ]);
    const rules = log.runs[0].tool.driver.rules;
    for (const r of results) expect(rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "mono/.changeset/odd%2Cname%3A1.md", uriBaseId: "%SRCROOT%" },
      region: { startLine: 2, startColumn: 29 },
    });
    // A file-level finding sits on line 1, as in the check run.
    expect(results[3].locations[0].physicalLocation.region).toEqual({ startLine: 1 });
    expect(results[1].message.text).toContain("100% of tables");
    expect(results[1].properties).toEqual({ service: "billing-ledger" });
    expect(sarifOf().runs[0].results[1].partialFingerprints).toEqual(results[1].partialFingerprints);
  });
});
