import { describe, expect, it } from "vitest";
import rule from "../../src/rules/service-page-drift.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const PAGE = "docs/services/billing-ledger.md";
const YAML = "services/billing-ledger/service.yaml";
const ID = "error service-page-drift";

describe("service-page-drift", () => {
  describe("valid", () => {
    it("accepts the example pages (quoted and unquoted values)", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts keys in another order, extra keys, a block scalar and an owner in another case", async () => {
      const files = exampleFiles();
      files[PAGE] = [
        "---",
        "status: beta",
        "title: Billing Ledger service",
        'owner: "@Loop/Billing-Team"',
        "description: >-",
        "  Owns invoices and the per-brand billing ledger.",
        "team: billing",
        "display_name: Billing Ledger",
        "---",
        "",
        "# Billing Ledger",
        "",
      ].join("\n");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("leaves a missing page to cross-link-audit and a missing service.yaml field to service-yaml-schema", async () => {
      const files = exampleFiles();
      delete files[PAGE];
      edit(files, "services/notifications/service.yaml", "team: messaging\n", "");
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("names each differing field with both values, at the front-matter line", async () => {
      const files = exampleFiles();
      edit(files, YAML, "status: beta", "status: stable");
      edit(files, YAML, '"Owns invoices and the per-brand billing ledger."', '"Owns invoices, credit notes and the per-brand ledger."');
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${PAGE}:5:9 ${ID} \`status\` is "beta" here but "stable" in service.yaml. Update the service page to match service.yaml (service.yaml is the source of truth).`,
        `${PAGE}:6:14 ${ID} \`description\` is "Owns invoices and the per-brand billing ledger." here but "Owns invoices, credit notes and the per-brand ledger." in service.yaml. Update the service page to match service.yaml (service.yaml is the source of truth).`,
      ]);
    });

    it("reports a field missing from the front matter at the opening ---", async () => {
      const files = exampleFiles();
      edit(files, "docs/services/notifications.md", "team: messaging\n", "");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `docs/services/notifications.md:1:1 ${ID} The front matter of docs/services/notifications.md has no \`team\`. Add \`team: "messaging"\` (from service.yaml).`,
      ]);
    });

    it("reports a page without front matter, and front matter that is not YAML", async () => {
      const files = exampleFiles();
      files[PAGE] = "# Billing Ledger\n\nNo front matter here.\n";
      edit(files, "docs/services/notifications.md", "team: messaging", "team: [messaging");
      const lines = describeFindings(await runRule(rule, files));
      expect(lines[0]).toBe(
        `${PAGE}:1:1 ${ID} ${PAGE} has no front matter. Start it with a \`---\` block mirroring service.yaml: display_name, owner, team, status, description.`,
      );
      expect(lines[1]).toMatch(/^docs\/services\/notifications\.md:[4-6]:\d+ error service-page-drift The front matter of docs\/services\/notifications\.md is not valid YAML: /);
      expect(lines).toHaveLength(2);
    });
  });

  describe("the example monorepo under the whole engine", () => {
    it("is clean", async () => {
      expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
    });

    it("reports exactly one finding per break", async () => {
      const report = await runAllOnExample((files) => {
        edit(files, PAGE, 'owner: "@loop/billing-team"', 'owner: "@loop/payments"');
        edit(files, "services/notifications/service.yaml", 'display_name: "Notifications"', 'display_name: "Notifications Hub"');
      });
      expect(report.findings.filter((f) => f.rule === rule.meta.id).map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual([
        `${PAGE}:3:8`,
        "docs/services/notifications.md:2:15",
      ]);
    });
  });
});
