import { describe, expect, it } from "vitest";
import rule from "../../src/rules/service-runbook-required.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const RUNBOOK = "services/billing-ledger/RUNBOOK.md";
const ID = "error service-runbook-required";

describe("service-runbook-required", () => {
  describe("valid", () => {
    it("accepts the example runbooks (lists, a table, paragraphs)", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts any heading level, any case, numbering and longer titles", async () => {
      const files = exampleFiles();
      files[RUNBOOK] = [
        "# Runbook",
        "### 1. ALARMS & paging",
        "- 5xx pages billing",
        "#### Dashboard",
        "CloudWatch `BillingLedger-Overview`.",
        "# Remediation steps",
        "```sh\nsst deploy --stage production\n```",
      ].join("\n\n");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts a section whose content sits in a sub-section, and an image as a dashboard", async () => {
      const files = exampleFiles();
      files[RUNBOOK] = [
        "# Runbook",
        "## Alarms",
        "### BillingLedger-5xx",
        "Pages the billing on-call.",
        "## Dashboards",
        "![overview](./overview.png)",
        "## Remediation",
        "Roll back.",
      ].join("\n\n");
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a missing runbook without a line", async () => {
      const files = exampleFiles();
      delete files[RUNBOOK];
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${RUNBOOK}:-:- ${ID} services/billing-ledger/RUNBOOK.md is missing. Add a runbook with \`## Alarms\`, \`## Dashboards\` and \`## Remediation\` sections (guide step 9; copy services/_template/RUNBOOK.md).`,
      ]);
    });

    it("reports an empty section at its heading: blank, an empty list item, an HTML comment", async () => {
      const files = exampleFiles();
      edit(files, RUNBOOK, /## Dashboards\n\n[\s\S]*?\n\n## Remediation/, "## Dashboards\n\n- \n\n<!-- TODO: link the dashboards -->\n\n## Remediation");
      edit(files, "services/notifications/RUNBOOK.md", /## Remediation[\s\S]*$/, "## Remediation\n\n   \n");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${RUNBOOK}:10:1 ${ID} The \`Dashboards\` section of RUNBOOK.md is empty. Write links to the dashboards on-call should open under it.`,
        `services/notifications/RUNBOOK.md:16:1 ${ID} The \`Remediation\` section of RUNBOOK.md is empty. Write the steps that fix each alarm under it.`,
      ]);
    });

    it("reports a missing section at line 1, and a heading that only mentions the word later", async () => {
      const files = exampleFiles();
      edit(files, RUNBOOK, "## Alarms", "## What pages us (alarms)");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${RUNBOOK}:1:1 ${ID} RUNBOOK.md has no \`Alarms\` section. Add a \`## Alarms\` heading with each alarm, what it means and who it pages under it.`,
      ]);
    });

    it("does not count a sub-heading alone as content", async () => {
      const files = exampleFiles();
      edit(files, RUNBOOK, /## Alarms\n\n[\s\S]*?\n\n## Dashboards/, "## Alarms\n\n### TBD\n\n## Dashboards");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${RUNBOOK}:5:1 ${ID} The \`Alarms\` section of RUNBOOK.md is empty. Write each alarm, what it means and who it pages under it.`,
      ]);
    });
  });

  describe("the example monorepo under the whole engine", () => {
    it("is clean", async () => {
      expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
    });

    it("reports exactly one finding per break", async () => {
      const report = await runAllOnExample((files) => {
        edit(files, RUNBOOK, "## Remediation", "## Fixes");
        edit(files, "services/notifications/RUNBOOK.md", "- CloudWatch: `Notifications-Overview`.", "");
      });
      expect(report.findings.filter((f) => f.rule === rule.meta.id).map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual([
        `${RUNBOOK}:1:1`,
        "services/notifications/RUNBOOK.md:12:1",
      ]);
    });
  });
});
