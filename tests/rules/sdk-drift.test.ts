import { describe, expect, it } from "vitest";
import rule from "../../src/rules/sdk-drift.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const ID = "sdk-drift";
const SDK = "packages/sdk-billing-ledger";
const COPY = `${SDK}/openapi.yaml`;
const PKG = `${SDK}/package.json`;
const SPEC = "services/billing-ledger/openapi.yaml";
const NOTIFY_COPY = "packages/sdk-notifications/openapi.yaml";
const REGEN = "Regenerate the SDK with `pnpm sdk:gen` and commit it.";
const POST_OP = '    post:\n      operationId: createInvoice\n      tags: [invoices]\n      responses:\n        "201":\n          description: Created\n';

const lines = async (files: Record<string, string>) => describeFindings(await runRule(rule, files));

describe(ID, () => {
  describe("valid", () => {
    it("accepts the example monorepo", async () => {
      expect(await lines(exampleFiles())).toEqual([]);
      expect(await exampleFindingsOf(ID)).toEqual([]);
    });

    it("compares parsed YAML: key order, flow style, quoting and comments do not matter", async () => {
      const files = exampleFiles();
      edit(files, COPY, "info:\n  title: Billing Ledger\n  version: 0.3.0\n", "info: { version: '0.3.0', title: \"Billing Ledger\" } # copied by sdk:gen\n");
      edit(files, COPY, "tags: [invoices]", "tags:\n        - invoices");
      expect(await lines(files)).toEqual([]);
    });

    it("follows contracts.openapi to the service's spec", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/api/openapi.yaml"] = files[SPEC]!;
      delete files[SPEC];
      edit(files, "services/billing-ledger/service.yaml", "openapi: ./openapi.yaml", "openapi: api/openapi.yaml");
      expect(await lines(files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a missing SDK package, without a line", async () => {
      const files = exampleFiles();
      for (const path of Object.keys(files)) if (path.startsWith(`${SDK}/`)) delete files[path];
      expect(await lines(files)).toEqual([`${SDK}:-:- error ${ID} ${SDK}/ does not exist. Generate the SDK with \`pnpm sdk:gen\` and commit it (guide step 7).`]);
    });

    it("reports a wrong package name at its key, and a missing spec copy", async () => {
      const files = exampleFiles();
      edit(files, PKG, '"@platform/sdk-billing-ledger"', '"@platform/billing-sdk"');
      delete files[COPY];
      expect(await lines(files)).toEqual([
        `${COPY}:-:- error ${ID} ${SDK}/openapi.yaml does not exist: the SDK must carry a copy of the spec it was generated from. ${REGEN}`,
        `${PKG}:2:3 error ${ID} The SDK package is named \`@platform/billing-sdk\`; it must be \`@platform/sdk-billing-ledger\`. Set \`"name": "@platform/sdk-billing-ledger"\` in ${PKG}.`,
      ]);
    });

    it("names the operation missing from the SDK's copy, at its parent path there", async () => {
      const files = exampleFiles();
      edit(files, COPY, POST_OP, "");
      expect(await lines(files)).toEqual([
        `${COPY}:12:3 error ${ID} \`paths./v1/invoices.post\` is missing from the SDK's copy of the spec (${SPEC} has it). ${REGEN}`,
      ]);
    });

    it("names a changed value and an extra key at their lines in the SDK's copy", async () => {
      const files = exampleFiles();
      edit(files, NOTIFY_COPY, "version: 1.2.0", "version: 1.1.0");
      edit(files, NOTIFY_COPY, "        - name: deliveryId\n", "        - name: deliveryId\n          description: The delivery\n");
      expect(await lines(files)).toEqual([
        `${NOTIFY_COPY}:4:3 error ${ID} \`info.version\` differs: \`1.2.0\` in services/notifications/openapi.yaml, \`1.1.0\` in the SDK's copy. ${REGEN}`,
        `${NOTIFY_COPY}:20:11 error ${ID} \`paths./v1/notifications/deliveries/{deliveryId}/retry.post.parameters[0].description\` is in the SDK's copy of the spec but not in services/notifications/openapi.yaml. ${REGEN}`,
      ]);
    });

    it("lists ten differences and summarises the rest", async () => {
      const files = exampleFiles();
      // 2 changed info fields + 3 operations' paths missing + 12 extra paths = 17 differences.
      files[COPY] = `openapi: 3.1.0\ninfo:\n  title: Old\n  version: 0.0.1\npaths:\n${Array.from({ length: 12 }, (_, i) => `  /old/${i}:\n    get: {}\n`).join("")}`;
      const found = await lines(files);
      expect(found).toHaveLength(11);
      expect(found[0]).toBe(`${COPY}:1:1 error ${ID} …and 7 more differences between ${SPEC} and the SDK's copy. ${REGEN}`);
      expect(found[1]).toBe(`${COPY}:3:3 error ${ID} \`info.title\` differs: \`Billing Ledger\` in ${SPEC}, \`Old\` in the SDK's copy. ${REGEN}`);
    });
  });

  it("a deliberately broken copy of the example yields one finding per break, through the whole engine", async () => {
    const report = await runAllOnExample((files) => {
      edit(files, COPY, POST_OP, "");
      edit(files, NOTIFY_COPY, "version: 1.2.0", "version: 1.1.0");
    });
    expect(report.findings.filter((f) => f.rule === ID).map((f) => `${f.path}:${f.line}`)).toEqual([`${COPY}:12`, `${NOTIFY_COPY}:4`]);
  });
});
