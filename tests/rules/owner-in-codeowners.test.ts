import { describe, expect, it } from "vitest";
import rule from "../../src/rules/owner-in-codeowners.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const CODEOWNERS = ".github/CODEOWNERS";
const ID = "warning owner-in-codeowners";

describe("owner-in-codeowners", () => {
  describe("valid", () => {
    it("accepts the example (a catch-all line first, service lines after it)", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts a glob line, owners in another case, and a later line for a sub-folder only", async () => {
      const files = exampleFiles();
      files[CODEOWNERS] = [
        "*                         @loop/platform",
        "/services/**/service.yaml @Loop/Billing-Team @loop/messaging # descriptors",
        "/services/billing-ledger/src/legacy/ @ana-lee",
      ].join("\n");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("reads CODEOWNERS at the root or in docs/ when .github/ has none", async () => {
      const files = exampleFiles();
      files["CODEOWNERS"] = files[CODEOWNERS]!;
      delete files[CODEOWNERS];
      expect(await runRule(rule, files)).toEqual([]);
      files["docs/CODEOWNERS"] = files["CODEOWNERS"]!;
      delete files["CODEOWNERS"];
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports the winning line when it does not name the owner (last match wins)", async () => {
      const files = exampleFiles();
      files[CODEOWNERS] += "services/   @loop/platform\n";
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${CODEOWNERS}:6:1 ${ID} This ${CODEOWNERS} line (\`services/\`) is the last one matching services/billing-ledger/, and it names @loop/platform, not the service owner @loop/billing-team from service.yaml. Add @loop/billing-team to this line, or add \`/services/billing-ledger/ @loop/billing-team\` below it.`,
        `${CODEOWNERS}:6:1 ${ID} This ${CODEOWNERS} line (\`services/\`) is the last one matching services/notifications/, and it names @loop/platform, not the service owner @loop/messaging from service.yaml. Add @loop/messaging to this line, or add \`/services/notifications/ @loop/messaging\` below it.`,
      ]);
    });

    it("reports the service.yaml owner when no line covers the service; `docs/*`-style patterns do not reach sub-folders", async () => {
      const files = exampleFiles();
      files[CODEOWNERS] = "/services/*   @loop/billing-team\n/packages/ @loop/platform\n";
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `services/billing-ledger/service.yaml:3:8 ${ID} No line of ${CODEOWNERS} matches services/billing-ledger/, so nobody is asked to review it. Add \`/services/billing-ledger/ @loop/billing-team\` to ${CODEOWNERS}.`,
        `services/notifications/service.yaml:3:8 ${ID} No line of ${CODEOWNERS} matches services/notifications/, so nobody is asked to review it. Add \`/services/notifications/ @loop/messaging\` to ${CODEOWNERS}.`,
      ]);
    });

    it("uses only the first CODEOWNERS GitHub finds, and reports a missing file at the owner", async () => {
      const files = exampleFiles();
      files["CODEOWNERS"] = "* @loop/billing-team @loop/messaging\n"; // ignored: .github/CODEOWNERS wins
      edit(files, CODEOWNERS, "/services/notifications/       @loop/messaging", "/services/notifications/       @loop/platform");
      expect(describeFindings(await runRule(rule, files)).map((l) => l.split(" This")[0])).toEqual([`${CODEOWNERS}:4:1 ${ID}`]);

      const none = exampleFiles();
      delete none[CODEOWNERS];
      const findings = await runRule(rule, none);
      expect(describeFindings(findings)[0]).toBe(
        `services/billing-ledger/service.yaml:3:8 ${ID} The repository has no CODEOWNERS file (.github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS), so nobody is asked to review services/billing-ledger/. Add \`/services/billing-ledger/ @loop/billing-team\` to .github/CODEOWNERS.`,
      );
      expect(findings).toHaveLength(2);
    });

    it("treats a winning line without owners as not naming the owner, and ignores `!` lines", async () => {
      const files = exampleFiles();
      files[CODEOWNERS] += "/services/notifications/\n!/services/notifications/ @loop/messaging\n";
      expect(describeFindings(await runRule(rule, files)).map((l) => l.split(", not the")[0])).toEqual([
        `${CODEOWNERS}:6:1 ${ID} This ${CODEOWNERS} line (\`/services/notifications/\`) is the last one matching services/notifications/, and it names no owner`,
      ]);
    });
  });

  describe("the example monorepo under the whole engine", () => {
    it("is clean", async () => {
      expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
    });

    it("reports exactly one finding per break", async () => {
      const report = await runAllOnExample((files) => {
        edit(files, CODEOWNERS, "@loop/billing-team @ana-lee", "@ana-lee");
        edit(files, "services/notifications/service.yaml", '"@loop/messaging"', '"@loop/notify"');
      });
      expect(report.findings.filter((f) => f.rule === rule.meta.id).map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual([
        `${CODEOWNERS}:3:1`,
        `${CODEOWNERS}:4:1`,
      ]);
    });
  });
});
