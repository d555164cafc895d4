import { describe, expect, it } from "vitest";
import rule from "../../src/rules/test-buckets-required.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const TESTS = "services/billing-ledger/tests";
const ID = "error test-buckets-required";

function removeUnder(files: Record<string, string>, dir: string): void {
  for (const path of Object.keys(files)) if (path.startsWith(`${dir}/`)) delete files[path];
}

describe("test-buckets-required", () => {
  describe("valid", () => {
    it("accepts the example services", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts test files in nested folders", async () => {
      const files = exampleFiles();
      removeUnder(files, `${TESTS}/unit`);
      files[`${TESTS}/unit/services/invoice/totals.test.ts`] = "it('adds', () => {});\n";
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts buckets that also hold helpers and fixtures", async () => {
      const files = exampleFiles();
      files[`${TESTS}/integration/helpers/db.ts`] = "export const db = {};\n";
      files[`${TESTS}/conformance/fixtures/invoice.json`] = "{}\n";
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("does not check the _template scaffold", async () => {
      const files = exampleFiles();
      removeUnder(files, "services/_template/tests");
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("names each missing bucket, at the bucket folder", async () => {
      const files = exampleFiles();
      removeUnder(files, TESTS);
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${TESTS}/conformance:-:- ${ID} ${TESTS}/conformance/ has no tests. Add at least one \`*.test.ts\` there (the platform-wide assertions: audit, brand scoping, scope enforcement; guide step 8).`,
        `${TESTS}/integration:-:- ${ID} ${TESTS}/integration/ has no tests. Add at least one \`*.test.ts\` there (route handlers with a real database and event publishing; guide step 8).`,
        `${TESTS}/unit:-:- ${ID} ${TESTS}/unit/ has no tests. Add at least one \`*.test.ts\` there (pure functions and isolated service classes; guide step 8).`,
      ]);
    });

    it("does not count *.spec.ts or *.test.js, and says what it found", async () => {
      const files = exampleFiles();
      removeUnder(files, `${TESTS}/unit`);
      files[`${TESTS}/unit/invoice.spec.ts`] = "";
      files[`${TESTS}/unit/legacy/totals.test.js`] = "";
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${TESTS}/unit:-:- ${ID} ${TESTS}/unit/ has no \`*.test.ts\` file (found \`invoice.spec.ts\`, \`legacy/totals.test.js\`). Name test files \`<name>.test.ts\` so the platform's test run picks them up (pure functions and isolated service classes; guide step 8).`,
      ]);
    });

    it("does not count tests outside the bucket folders", async () => {
      const files = exampleFiles();
      removeUnder(files, "services/notifications/tests/conformance");
      files["services/notifications/tests/conformance.test.ts"] = "";
      files["services/notifications/src/conformance/brand.test.ts"] = "";
      const findings = await runRule(rule, files);
      expect(findings.map((f) => `${f.path}:${f.line ?? "-"}`)).toEqual(["services/notifications/tests/conformance:-"]);
    });
  });

  describe("the example monorepo under the whole engine", () => {
    it("is clean", async () => {
      expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
    });

    it("reports exactly one finding per break", async () => {
      const report = await runAllOnExample((files) => {
        removeUnder(files, `${TESTS}/integration`);
        removeUnder(files, "services/notifications/tests/unit");
      });
      expect(report.findings.filter((f) => f.rule === rule.meta.id).map((f) => f.path)).toEqual([
        `${TESTS}/integration`,
        "services/notifications/tests/unit",
      ]);
    });
  });
});
