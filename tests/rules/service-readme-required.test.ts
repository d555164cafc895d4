import { describe, expect, it } from "vitest";
import rule from "../../src/rules/service-readme-required.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const README = "services/billing-ledger/README.md";
const ID = "error service-readme-required";

describe("service-readme-required", () => {
  describe("valid", () => {
    it("accepts the example READMEs", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts badges before the description and a list of steps under `Local development`", async () => {
      const files = exampleFiles();
      files[README] = [
        "[![ci](https://ci.example.com/badge.svg)](https://ci.example.com)",
        "Billing Ledger owns invoices and the per-brand ledger.",
        "## Local development",
        "1. `pnpm install`\n2. `pnpm --filter @services/billing-ledger dev`",
      ].join("\n\n");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts a description after the run-locally section and a code block in a sub-section", async () => {
      const files = exampleFiles();
      files[README] = [
        "# Billing Ledger",
        "## Running the service locally",
        "### With Docker",
        "```sh\ndocker compose up\n```",
        "## About",
        "It owns invoices and publishes billing events.",
      ].join("\n\n");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts a run-locally section whose command is inline code in a sentence", async () => {
      const files = exampleFiles();
      files[README] = [
        "# Billing Ledger",
        "Billing Ledger owns invoices and the per-brand ledger.",
        "## Run locally",
        "Start it in watch mode with `pnpm --filter @services/billing-ledger dev` from the repository root.",
      ].join("\n\n");
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("does not take inline code that starts nothing (`curl …`) for run-locally instructions", async () => {
      const files = exampleFiles();
      files[README] = [
        "# Billing Ledger",
        "Billing Ledger owns invoices and the per-brand ledger.",
        "## Run locally",
        "Once it runs, `curl localhost:8080/healthz` answers.",
      ].join("\n\n");
      expect(describeFindings(await runRule(rule, files)).map((f) => f.split(" ").slice(0, 3).join(" "))).toEqual([`${README}:5:1 ${ID}`]);
    });

    it("reports a missing README without a line", async () => {
      const files = exampleFiles();
      delete files[README];
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${README}:-:- ${ID} services/billing-ledger/README.md is missing. Add one with a paragraph on what the service does and a \`## Run locally\` section with the commands (guide step 9).`,
      ]);
    });

    it("reports a README with only a title, badges and the run-locally section (no description)", async () => {
      const files = exampleFiles();
      files[README] = [
        "# Billing Ledger",
        "[![ci](https://ci.example.com/badge.svg)](https://ci.example.com)",
        "## Run locally",
        "Install the dependencies and start the service in watch mode:",
        "```sh\npnpm dev\n```",
      ].join("\n\n");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${README}:1:1 ${ID} README.md has no description paragraph. Add a paragraph of prose (outside the run-locally section) saying what the service does and its key entry points.`,
      ]);
    });

    it("reports a missing run-locally section at line 1", async () => {
      const files = exampleFiles();
      edit(files, README, "## Run locally", "## Deploying");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${README}:1:1 ${ID} README.md has no run-locally section. Add a \`## Run locally\` heading with the commands in a code block or a list.`,
      ]);
    });

    it("reports a run-locally section without a code block or list at its heading", async () => {
      const files = exampleFiles();
      edit(files, "services/notifications/README.md", /```sh[\s\S]*```\n/, "Ask the platform team.\n\n```sh\n```\n");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `services/notifications/README.md:9:1 ${ID} The \`Run locally\` section of README.md has no instructions. Put the commands in a code block (\`\`\`sh … \`\`\`), a list, or as inline code in a sentence (\`pnpm --filter @services/x dev\`) under it.`,
      ]);
    });
  });

  describe("the example monorepo under the whole engine", () => {
    it("is clean", async () => {
      expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
    });

    it("reports exactly one finding per break", async () => {
      const report = await runAllOnExample((files) => {
        edit(files, README, "## Run locally", "## Notes");
        edit(files, "services/notifications/README.md", /```sh[\s\S]*```\n/, "");
      });
      expect(report.findings.filter((f) => f.rule === rule.meta.id).map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual([
        `${README}:1:1`,
        "services/notifications/README.md:9:1",
      ]);
    });
  });
});
