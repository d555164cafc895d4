import { describe, expect, it } from "vitest";
import rule from "../../src/rules/service-yaml-required.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, runRule } from "../helpers/rule-harness.js";

const PATH = "services/billing-ledger/service.yaml";

describe("service-yaml-required", () => {
  describe("valid", () => {
    it("accepts the example services", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });
    it("accepts a descriptor with comments and document markers", async () => {
      const files = exampleFiles();
      files[PATH] = `---\n# descriptor\n${files[PATH]}...\n`;
      expect(await runRule(rule, files)).toEqual([]);
    });
    it("does not check scaffolds (folders starting with _)", async () => {
      const files = exampleFiles();
      delete files["services/_template/service.yaml"];
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a missing service.yaml", async () => {
      const files = exampleFiles();
      delete files[PATH];
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${PATH}:-:- error service-yaml-required services/billing-ledger/service.yaml is missing. Copy it from services/_template and fill in every field (guide step 2).`,
      ]);
    });
    it("reports a YAML syntax error at its line", async () => {
      const files = exampleFiles();
      files[PATH] = files[PATH]!.replace("team: billing", "team: [billing");
      const [finding] = await runRule(rule, files);
      expect(finding).toMatchObject({ path: PATH, line: 5, rule: "service-yaml-required", severity: "error" });
      expect(finding!.message).toMatch(/^service.yaml is not valid YAML: /);
    });
    it("reports a descriptor that is a list, not a mapping", async () => {
      const files = exampleFiles();
      files[PATH] = "- name: billing-ledger\n";
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${PATH}:1:1 error service-yaml-required service.yaml must be a YAML mapping of fields (name, display_name, owner, …), not an empty file or a scalar/list.`,
      ]);
    });
    it("reports duplicate keys as invalid YAML", async () => {
      const files = exampleFiles();
      files[PATH] = files[PATH]!.replace("team: billing", "team: billing\nteam: ledger");
      const [finding] = await runRule(rule, files);
      expect(finding).toMatchObject({ line: 5 });
      expect(finding!.message).toMatch(/unique/);
    });
  });
});
