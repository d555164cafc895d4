import { describe, expect, it } from "vitest";
import rule from "../../src/rules/service-name-consistent.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const YAML = "services/billing-ledger/service.yaml";
const PKG = "services/billing-ledger/package.json";

/** Moves a service folder (every file under it) to a new name. */
function renameFolder(files: Record<string, string>, from: string, to: string): void {
  for (const path of Object.keys(files)) {
    if (path.startsWith(`services/${from}/`)) {
      files[path.replace(`services/${from}/`, `services/${to}/`)] = files[path]!;
      delete files[path];
    }
  }
}

describe("service-name-consistent", () => {
  describe("valid", () => {
    it("accepts the example services", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts a single-word folder and a package.json with the name further down and odd spacing", async () => {
      const files = exampleFiles();
      files["services/notifications/package.json"] = '{\n  "private": true,\n  "version": "1.2.0",\n  "name"  :  "@services/notifications"\n}\n';
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts a folder with digits once renamed everywhere", async () => {
      const files = exampleFiles();
      renameFolder(files, "billing-ledger", "billing-ledger-v2");
      edit(files, "services/billing-ledger-v2/service.yaml", "name: billing-ledger", "name: billing-ledger-v2");
      edit(files, "services/billing-ledger-v2/package.json", '"@services/billing-ledger"', '"@services/billing-ledger-v2"');
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("leaves a missing or non-string name to service-yaml-schema", async () => {
      const files = exampleFiles();
      edit(files, YAML, "name: billing-ledger\n", "");
      edit(files, "services/notifications/service.yaml", "name: notifications", "name: [notifications]");
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a service.yaml name that differs from the folder, at the value", async () => {
      const files = exampleFiles();
      edit(files, YAML, "name: billing-ledger", "name: billing");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${YAML}:1:7 error service-name-consistent service.yaml \`name\` is \`billing\`, but the service folder is \`billing-ledger\`. Set \`name: billing-ledger\` (or rename the folder).`,
      ]);
    });

    it("reports a package name that is not @services/<folder>, at the value", async () => {
      const files = exampleFiles();
      edit(files, PKG, '"@services/billing-ledger"', '"@loop/billing-ledger"');
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${PKG}:2:11 error service-name-consistent package.json \`name\` is \`@loop/billing-ledger\`, but a service in \`services/billing-ledger\` must be named \`@services/billing-ledger\`. Set \`"name": "@services/billing-ledger"\`.`,
      ]);
    });

    it("reports a missing package.json, a package.json without name, and invalid JSON", async () => {
      const files = exampleFiles();
      delete files[PKG];
      files["services/notifications/package.json"] = '{\n  "version": "1.2.0"\n}\n';
      const missing = describeFindings(await runRule(rule, files));
      expect(missing).toEqual([
        `${PKG}:-:- error service-name-consistent services/billing-ledger/package.json is missing. Add one named \`@services/billing-ledger\` (copy services/_template/package.json).`,
        `services/notifications/package.json:1:1 error service-name-consistent package.json has no \`name\`. Add \`"name": "@services/notifications"\`.`,
      ]);

      const broken = exampleFiles();
      broken[PKG] = '{\n  "name": "@services/billing-ledger",\n  "private": true,\n}\n';
      const findings = await runRule(rule, broken);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ path: PKG, line: 4, column: 1, severity: "error" });
      expect(findings[0]!.message).toMatch(/^package\.json is not valid JSON: /);
    });

    it("reports a folder that is not kebab-case once, at the folder", async () => {
      const files = exampleFiles();
      renameFolder(files, "billing-ledger", "BillingLedger");
      edit(files, "services/BillingLedger/service.yaml", "name: billing-ledger", "name: BillingLedger");
      edit(files, "services/BillingLedger/package.json", '"@services/billing-ledger"', '"@services/BillingLedger"');
      expect(describeFindings(await runRule(rule, files))).toEqual([
        "services/BillingLedger:-:- error service-name-consistent The service folder `BillingLedger` is not kebab-case (lower-case words joined by `-`, e.g. `billing-ledger`). Rename the folder, then update service.yaml `name` and package.json `name` to match.",
      ]);
    });
  });

  describe("the example monorepo under the whole engine", () => {
    it("is clean", async () => {
      expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
    });

    it("reports exactly one finding per break", async () => {
      const report = await runAllOnExample((files) => {
        edit(files, YAML, "name: billing-ledger", "name: billing_ledger");
        edit(files, "services/notifications/package.json", '"@services/notifications"', '"notifications"');
      });
      expect(report.findings.filter((f) => f.rule === rule.meta.id).map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual([
        `${YAML}:1:7`,
        "services/notifications/package.json:2:11",
      ]);
    });
  });
});
