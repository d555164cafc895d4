import { describe, expect, it } from "vitest";
import rule from "../../src/rules/publish-in-transaction.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const INVOICE = "services/billing-ledger/src/services/invoice.service.ts";
const DELIVERY = "services/notifications/src/services/delivery.service.ts";
const EXTRA = "services/billing-ledger/src/services/refund.service.ts";

/** A service file whose lines 6.. hold one publishEvent call per given options argument. */
function refundService(...options: string[]): string {
  return [
    'import { EVENT_NAMES } from "@platform/contracts";',
    'import * as events from "@platform/events";',
    "const BASE = { source: 'billing' };",
    "export class RefundService {",
    "  async refund(trx: Tx, opts: PublishOptions) {",
    ...options.map((o) => `    await events.publishEvent(EVENT_NAMES.BILLING_INVOICE_CREATED_V1, {}${o === "" ? "" : `, ${o}`});`),
    "  }",
    "}",
  ].join("\n");
}

describe("publish-in-transaction", () => {
  describe("valid", () => {
    it("accepts the example's `{ tx }` (renamed and namespaced publishEvent)", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts `{ tx: trx }`, `{ ...opts, tx }` and a spread of a local object holding tx", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService("{ tx: trx }", "{ ...opts, tx: trx }", "{ ...BASE, tx: trx }").replace(
        "const BASE = { source: 'billing' };",
        "const BASE = { source: 'billing' };\nconst WITH_TX = { tx: db };",
      ) + "\nexport const f = (tx: Tx) => events.publishEvent(EVENT_NAMES.X, {}, { ...WITH_TX });";
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts options held in a local const", async () => {
      const files = exampleFiles();
      edit(files, INVOICE, "        { tx },\n      );", "        publishOptions,\n      );");
      edit(files, INVOICE, "      const row =", "      const publishOptions = { tx };\n      const row =");
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a call without options at the call", async () => {
      const files = exampleFiles();
      edit(files, DELIVERY, "        { id: delivery.id, brand_id: brandId, template },\n        { tx },\n", "        { id: delivery.id, brand_id: brandId, template },\n");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${DELIVERY}:19:13 error publish-in-transaction publishEvent is called without options, so the event is not written in the caller's transaction. Pass the transaction as the third argument: \`publishEvent(EVENT_NAMES.X, payload, { tx })\` inside \`db().transaction(async (tx) => …)\`.`,
      ]);
    });

    it("reports options without tx, and `tx: undefined`, at the options object", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService("{ retries: 3 }", "{ ...BASE }", "{ tx: undefined }");
      const message = "error publish-in-transaction publishEvent's options do not pass the transaction (`tx`), so the event can be published for a write that rolls back. Add `tx`: `{ tx }` or `{ tx: trx }`.";
      expect(describeFindings(await runRule(rule, files))).toEqual([`${EXTRA}:6:75 ${message}`, `${EXTRA}:7:75 ${message}`, `${EXTRA}:8:75 ${message}`]);
    });

    it("warns about options it cannot see into", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService("opts", "{ ...opts }", "");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${EXTRA}:6:75 warning publish-in-transaction Cannot tell statically whether \`opts\` passes \`tx\` to publishEvent. Write \`tx\` in the options object literal (e.g. \`{ ...opts, tx }\`) so the transaction is visible.`,
        `${EXTRA}:7:77 warning publish-in-transaction Cannot tell statically whether \`...opts\` passes \`tx\` to publishEvent. Write \`tx\` in the options object literal (e.g. \`{ ...opts, tx }\`) so the transaction is visible.`,
        `${EXTRA}:8:11 error publish-in-transaction publishEvent is called without options, so the event is not written in the caller's transaction. Pass the transaction as the third argument: \`publishEvent(EVENT_NAMES.X, payload, { tx })\` inside \`db().transaction(async (tx) => …)\`.`,
      ]);
    });
  });

  it("the example monorepo is clean under the whole engine", async () => {
    expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
  });
});
