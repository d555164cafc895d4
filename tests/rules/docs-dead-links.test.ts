import { describe, expect, it } from "vitest";
import rule from "../../src/rules/docs-dead-links.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const README = "services/billing-ledger/README.md";
const PAGE = "docs/services/billing-ledger.md";
const ID = "docs-dead-links";

describe("docs-dead-links", () => {
  describe("valid", () => {
    it("accepts the example (service docs, service pages, AI overviews)", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts reference links, images, folders, root-absolute and percent-encoded paths, HTML anchors and external links", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/docs/Invoice flow.md"] = '# Invoice flow\n\n<a name="state-machine"></a>\n';
      files["services/billing-ledger/docs/img/flow.png"] = "png";
      files[README] += [
        "",
        "See the [flow][flow], ![diagram](docs/img/flow.png), the [source](./src/), the [contracts](/packages/contracts/src/registry.ts#L3),",
        "the [state machine](<docs/Invoice flow.md#state-machine>), [encoded](docs/Invoice%20flow.md#invoice-flow), [this section](#run-locally),",
        "[GitHub](https://github.com/loop/x/blob/main/nope.md), <https://example.com>, [mail](mailto:billing@example.com), and [docs](../../docs).",
        "",
        "[flow]: ./docs/Invoice%20flow.md",
        "",
      ].join("\n");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("ignores links inside code, and docs the pull request does not change", async () => {
      const base = exampleFiles();
      const head = exampleFiles();
      head[README] += "\n`[dead](./nope.md)`\n\n```md\n[dead](./nope.md)\n```\n";
      base["docs/guides/old.md"] = head["docs/guides/old.md"] = "[dead](./nope.md)\n";
      expect(await runRule(rule, head, { base })).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a dead relative link, image and reference definition at their positions", async () => {
      const files = exampleFiles();
      edit(files, README, "[runbook](./RUNBOOK.md)", "[runbook](./RUNBOK.md)");
      files[README] += "\n![chart](./docs/chart.png)\n\n[ref]: ../billing-ledger/CHANGELOG.md\n";
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${README}:9:1 error ${ID} Link \`./RUNBOK.md\` points at services/billing-ledger/RUNBOK.md, which does not exist. Fix the path (it is relative to this file's folder; \`/…\` starts at the repository root) or add the file.`,
        `${README}:20:1 error ${ID} Image \`./docs/chart.png\` points at services/billing-ledger/docs/chart.png, which does not exist. Fix the path (it is relative to this file's folder; \`/…\` starts at the repository root) or add the file.`,
        `${README}:22:1 error ${ID} Reference definition \`../billing-ledger/CHANGELOG.md\` points at services/billing-ledger/CHANGELOG.md, which does not exist. Fix the path (it is relative to this file's folder; \`/…\` starts at the repository root) or add the file.`,
      ]);
    });

    it("reports dead HTML links and images (<a href>, <img src>) at their attribute values, as Markdown links", async () => {
      const files = exampleFiles();
      files[README] += [
        "",
        '<p align="center"><img alt="flow" src="./docs/flow.svg" width="400"></p>',
        "",
        "Read <a href='./RUNBOK.md#alarms'>the runbook</a> or <a href=./RUNBOOK.md>this one</a>, <a href=\"https://example.com\">not checked</a>.",
        "",
      ].join("\n");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${README}:20:40 error ${ID} HTML image \`./docs/flow.svg\` points at services/billing-ledger/docs/flow.svg, which does not exist. Fix the path (it is relative to this file's folder; \`/…\` starts at the repository root) or add the file.`,
        `${README}:22:15 error ${ID} HTML link \`./RUNBOK.md#alarms\` points at services/billing-ledger/RUNBOK.md, which does not exist. Fix the path (it is relative to this file's folder; \`/…\` starts at the repository root) or add the file.`,
      ]);
    });

    it("warns about a missing heading anchor, in another file or the same one", async () => {
      const files = exampleFiles();
      edit(files, PAGE, "RUNBOOK.md#remediation", "RUNBOOK.md#fixes");
      files["services/notifications/README.md"] += "\nBack to [the top](#notification).\n";
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${PAGE}:13:1 warning ${ID} Link \`../../services/billing-ledger/RUNBOOK.md#fixes\` points at \`#fixes\`, but services/billing-ledger/RUNBOOK.md has no such heading. Its anchors: #billing-ledger-runbook, #alarms, #dashboards, #remediation. Fix the anchor (GitHub's slug: lower case, spaces → \`-\`, punctuation dropped) or the heading.`,
        `services/notifications/README.md:16:9 warning ${ID} Link \`#notification\` points at \`#notification\`, but this file has no such heading. Its anchors: #notifications, #run-locally. Fix the anchor (GitHub's slug: lower case, spaces → \`-\`, punctuation dropped) or the heading.`,
      ]);
    });

    it("checks docs the pull request changes as repo-level findings, and the service page as the service's", async () => {
      const base = exampleFiles();
      const head = exampleFiles();
      head["docs/guides/onboarding.md"] = "# Onboarding\n\nStart with [Billing](../services/billing.md).\n";
      edit(head, "docs/ai-overview/notifications.md", "../services/notifications.md", "../service/notifications.md");
      const findings = await runRule(rule, head, { base });
      expect(findings.map((f) => [f.service, `${f.path}:${f.line}:${f.column}`])).toEqual([
        [null, "docs/ai-overview/notifications.md:9:25"],
        [null, "docs/guides/onboarding.md:3:12"],
      ]);

      edit(head, "docs/services/notifications.md", "(../../services/notifications/README.md)", "(../../services/notifications/READ_ME.md)");
      const withPage = await runRule(rule, head, { base });
      expect(withPage.map((f) => [f.service, `${f.path}:${f.line}:${f.column}`])).toEqual([
        [null, "docs/ai-overview/notifications.md:9:25"],
        [null, "docs/guides/onboarding.md:3:12"],
        ["notifications", "docs/services/notifications.md:11:3"],
      ]);
    });

    it("reports a link above the repository root, and hints at a case-only mismatch", async () => {
      const files = exampleFiles();
      files[README] += "\n[up](../../../outside.md) and [runbook](./runbook.md)\n";
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${README}:20:1 error ${ID} Link \`../../../outside.md\` climbs above the repository root. Point it at a file inside the repository, or use a full https:// URL.`,
        `${README}:20:31 error ${ID} Link \`./runbook.md\` points at services/billing-ledger/runbook.md, which does not exist. Did you mean services/billing-ledger/RUNBOOK.md? (GitHub paths are case-sensitive.) Fix the path (it is relative to this file's folder; \`/…\` starts at the repository root) or add the file.`,
      ]);
    });
  });

  describe("the example monorepo under the whole engine", () => {
    it("is clean", async () => {
      expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
    });

    it("reports exactly one finding per break", async () => {
      const report = await runAllOnExample((files) => {
        edit(files, "services/notifications/RUNBOOK.md", "[service README](README.md)", "[service README](README.markdown)");
        edit(files, "docs/services/billing-ledger.md", "(./notifications.md)", "(./notification.md)");
        edit(files, "services/notifications/README.md", "RUNBOOK.md#alarms", "RUNBOOK.md#alarm");
      });
      expect(report.findings.filter((f) => f.rule === rule.meta.id).map((f) => `${f.path}:${f.line}:${f.column} ${f.severity}`)).toEqual([
        "docs/services/billing-ledger.md:15:10 error",
        "services/notifications/README.md:7:19 warning",
        "services/notifications/RUNBOOK.md:3:9 error",
      ]);
    });
  });
});
