import { describe, expect, it } from "vitest";
import rule from "../../src/rules/cross-link-audit.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const README = "services/billing-ledger/README.md";
const PAGE = "docs/services/billing-ledger.md";
const ID = "error cross-link-audit";

describe("cross-link-audit", () => {
  describe("valid", () => {
    it("accepts the example (relative links with anchors, bare file names)", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts reference-style and root-absolute links, and a folder link for the README", async () => {
      const files = exampleFiles();
      edit(files, README, "[runbook](./RUNBOOK.md)", "[runbook][rb]");
      files[README] += "\n[rb]: /services/billing-ledger/RUNBOOK.md#alarms\n";
      files[PAGE] = files[PAGE]!
        .replace("(../../services/billing-ledger/README.md)", "(../../services/billing-ledger/)")
        .replace("(../../services/billing-ledger/RUNBOOK.md#remediation)", "(/services/billing-ledger/RUNBOOK.md?plain=1)");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("counts HTML links (<a href>) as links", async () => {
      const files = exampleFiles();
      edit(files, README, "[runbook](./RUNBOOK.md)", '<a href="./RUNBOOK.md">runbook</a>');
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("leaves a missing README or RUNBOOK to their own rules", async () => {
      const files = exampleFiles();
      delete files["services/billing-ledger/RUNBOOK.md"];
      edit(files, README, "[runbook](./RUNBOOK.md)", "runbook");
      edit(files, PAGE, "[runbook](../../services/billing-ledger/RUNBOOK.md#remediation)", "runbook");
      delete files["services/notifications/README.md"];
      edit(files, "docs/services/notifications.md", "- [README](../../services/notifications/README.md)\n", "");
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a README that does not link the runbook, at its title", async () => {
      const files = exampleFiles();
      edit(files, README, "[runbook](./RUNBOOK.md)", "runbook (RUNBOOK.md)");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${README}:1:1 ${ID} README.md does not link the runbook. Add a link such as \`[runbook](./RUNBOOK.md)\` so on-call finds it from the README.`,
      ]);
    });

    it("resolves link targets instead of matching text: another service's runbook does not count (findings sorted by service)", async () => {
      const files = exampleFiles();
      edit(files, README, "[runbook](./RUNBOOK.md)", "[runbook](../notifications/RUNBOOK.md)");
      edit(files, "docs/services/notifications.md", "(../../services/notifications/RUNBOOK.md)", "(../../services/billing-ledger/RUNBOOK.md)");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${README}:1:1 ${ID} README.md does not link the runbook. Add a link such as \`[runbook](./RUNBOOK.md)\` so on-call finds it from the README.`,
        "docs/services/notifications.md:9:1 error cross-link-audit The service page does not link services/notifications/RUNBOOK.md. Add a link such as `[runbook](../../services/notifications/RUNBOOK.md)`.",
      ]);
    });

    it("reports a missing service page without a line", async () => {
      const files = exampleFiles();
      delete files[PAGE];
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${PAGE}:-:- ${ID} The service page docs/services/billing-ledger.md is missing. Add it with front matter mirroring service.yaml (display_name, owner, team, status, description) and links to the service's README.md and RUNBOOK.md.`,
      ]);
    });

    it("reports a service page that links neither README nor RUNBOOK, at its title", async () => {
      const files = exampleFiles();
      edit(files, PAGE, /Invoices and the per-brand ledger[\s\S]*?\n\n/, "Invoices and the per-brand ledger.\n\n");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${PAGE}:9:1 ${ID} The service page does not link services/billing-ledger/README.md. Add a link such as \`[README](../../services/billing-ledger/README.md)\`.`,
        `${PAGE}:9:1 ${ID} The service page does not link services/billing-ledger/RUNBOOK.md. Add a link such as \`[runbook](../../services/billing-ledger/RUNBOOK.md)\`.`,
      ]);
    });
  });

  describe("the example monorepo under the whole engine", () => {
    it("is clean", async () => {
      expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
    });

    it("reports exactly one finding per break", async () => {
      const report = await runAllOnExample((files) => {
        edit(files, "services/notifications/README.md", "[runbook](./RUNBOOK.md#alarms)", "runbook");
        edit(files, "docs/services/billing-ledger.md", "[service README](../../services/billing-ledger/README.md)", "service README");
      });
      expect(report.findings.filter((f) => f.rule === rule.meta.id).map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual([
        "docs/services/billing-ledger.md:9:1",
        "services/notifications/README.md:1:1",
      ]);
    });
  });
});
