import { describe, expect, it } from "vitest";
import rule from "../../src/rules/publish-in-transaction.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const INVOICE = "services/billing-ledger/src/services/invoice.service.ts";
const DELIVERY = "services/notifications/src/services/delivery.service.ts";
const EXTRA = "services/billing-ledger/src/services/refund.service.ts";
const HELPER = "services/billing-ledger/src/services/refund-events.ts";
const WRAPPERS = "services/billing-ledger/src/db/transactions.ts";

/** Transaction wrappers as services write them: two that run the callback in `db.transaction`, one that does not. */
const wrappers = [
  'import { db, type Db } from "./client";',
  "type Tx = Parameters<Parameters<Db[\"transaction\"]>[0]>[0];",
  "export function withTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {",
  "  return db.transaction(work);",
  "}",
  "export const inTransaction = <T>(work: (tx: Tx) => Promise<T>) => db.transaction(async (tx) => work(tx));",
  "export async function withoutTransaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {",
  "  return work(db);",
  "}",
].join("\n");

/** A refund service: line 5 opens `run`, whose body (given lines) starts on line 6. */
function refundService(...body: string[]): string {
  return [
    'import { EVENT_NAMES } from "@platform/contracts";',
    'import * as events from "@platform/events";',
    'import { db } from "../db/client";',
    "export class RefundService {",
    "  async run(id: string, opts: { retries: number }) {",
    ...body,
    "  }",
    "}",
  ].join("\n");
}

const PUBLISH = "events.publishEvent(EVENT_NAMES.BILLING_INVOICE_CREATED_V1, { id }";
const publish = (options: string) => `await ${PUBLISH}, ${options});`;
const inTransaction = (param: string, ...lines: string[]) => [`    await db.transaction(async (${param}) => {`, ...lines.map((l) => `      ${l}`), "    });"];

const NOT_TX = (value: string, origin: string) =>
  `error publish-in-transaction \`${value}\` is not the transaction an enclosing \`db.transaction(async (tx) => …)\` callback received (${origin}), so the event is not written atomically with the change. Publish inside the callback and pass its parameter: \`{ tx }\`.`;

describe("publish-in-transaction", () => {
  describe("valid", () => {
    it("accepts the example's `{ tx }` (renamed and namespaced publishEvent)", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts a renamed callback parameter, a nested closure, a savepoint and options built in the callback", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService(
        ...inTransaction(
          "trx",
          publish("{ tx: trx }"),
          `await Promise.all([1, 2].map((n) => ${PUBLISH}, { tx: trx, n })));`,
          `await trx.transaction(async (sp) => ${PUBLISH}, { ...opts, tx: sp }));`,
          "const publishOptions = { tx: trx };",
          publish("publishOptions"),
          publish("{ ...publishOptions }"),
        ),
      );
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("follows the transaction into a helper function and a private method that receive it", async () => {
      const files = exampleFiles();
      files[HELPER] = [
        'import { EVENT_NAMES } from "@platform/contracts";',
        'import { publishEvent } from "@platform/events";',
        'import type { Tx } from "../db/client";',
        "export async function recordRefund(t: Tx, id: string) {",
        "  await publishEvent(EVENT_NAMES.BILLING_INVOICE_CREATED_V1, { id }, { tx: t });",
        "}",
      ].join("\n");
      files[EXTRA] = refundService(
        ...inTransaction("tx", "await recordRefund(tx, id);", "await this.emit(tx, id);"),
        "  }",
        "  private async emit(handle: unknown, id: string) {",
        `    ${publish("{ tx: handle }")}`,
      ).replace('import { db } from "../db/client";', 'import { db } from "../db/client";\nimport { recordRefund } from "./refund-events";');
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts a callback given to a wrapper that runs it in `db.transaction` (`withTransaction(async (tx) => …)`)", async () => {
      const files = exampleFiles();
      files[WRAPPERS] = wrappers;
      files[EXTRA] = refundService(
        "    await withTransaction(async (tx) => {",
        `      ${publish("{ tx }")}`,
        "    });",
        `    await inTransaction(async (t) => ${PUBLISH}, { tx: t }));`,
      ).replace('import { db } from "../db/client";', 'import { inTransaction, withTransaction } from "../db/transactions";');
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("follows the transaction passed in an options object: a destructured `{ tx }` parameter and `options.tx`", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService(
        ...inTransaction("trx", "await this.emit(id, { tx: trx });", "await this.record(id, { tx: trx, retries: 1 });"),
        "  }",
        "  private async emit(id: string, { tx }: { tx: unknown }) {",
        `    ${publish("{ tx }")}`,
        "  }",
        "  private async record(id: string, options: { tx: unknown; retries: number }) {",
        `    ${publish("{ tx: options.tx }")}`,
      );
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts a function given to `db.transaction` by name (`db.transaction(persistRefund)`, `this.persist.bind(this)`)", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService(
        "    await db.transaction(persistRefund);",
        "    await db.transaction(this.persist.bind(this));",
        "  }",
        "  private async persist(tx: unknown) {",
        `    ${publish("{ tx }")}`,
      ).replace("export class RefundService {", `async function persistRefund(tx: unknown) {\n  const id = "r1";\n  ${publish("{ tx }")}\n}\nexport class RefundService {`);
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("follows the transaction into a repository method called through a constructor-injected field", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/src/db/refund.repository.ts"] = [
        'import { EVENT_NAMES } from "@platform/contracts";',
        'import { publishEvent } from "@platform/events";',
        "export class RefundRepository {",
        "  async record(id: string, brandId: string, tx: unknown) {",
        "    await publishEvent(EVENT_NAMES.BILLING_INVOICE_CREATED_V1, { id, brand_id: brandId }, { tx });",
        "  }",
        "}",
      ].join("\n");
      files[EXTRA] = [
        'import type { RefundRepository } from "../db/refund.repository";',
        'import { db } from "../db/client";',
        "export class RefundService {",
        "  constructor(private readonly refunds: RefundRepository) {}",
        "  async refund(id: string, brandId: string) {",
        "    await db.transaction(async (tx) => this.refunds.record(id, brandId, tx));",
        "  }",
        "}",
      ].join("\n");
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

    it("reports options without tx at the options object, and `tx: undefined`, `tx: void 0`, `tx: null` at the value", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService(...inTransaction("tx", publish("{ retries: 3 }"), publish("{ tx: undefined }"), publish("{ tx: void 0 }"), publish("{ tx: null }")));
      const empty = (value: string) =>
        `error publish-in-transaction \`tx: ${value}\` passes no transaction, so the event can be published for a write that rolls back. Pass the callback's transaction: \`{ tx }\`.`;
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${EXTRA}:7:81 error publish-in-transaction publishEvent's options do not pass the transaction (\`tx\`), so the event can be published for a write that rolls back. Add \`tx\`: \`{ tx }\` or \`{ tx: trx }\`.`,
        `${EXTRA}:8:87 ${empty("undefined")}`,
        `${EXTRA}:9:87 ${empty("void 0")}`,
        `${EXTRA}:10:87 ${empty("null")}`,
      ]);
    });

    it("reports a `tx` that is not the callback's transaction: the database, another callback's parameter, a value from after the transaction", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService(
        ...inTransaction("tx", publish("{ tx: db }"), `await [id].forEach((row) => ${PUBLISH}, { tx: row }));`),
        "    const done = await db.transaction(async (tx) => tx);",
        `    ${publish("{ tx: done }")}`,
      );
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${EXTRA}:7:87 ${NOT_TX("db", "it is `db`, imported at line 3")}`,
        `${EXTRA}:8:109 ${NOT_TX("row", "it is the parameter `row` of a callback that is not a transaction's")}`,
        `${EXTRA}:11:85 ${NOT_TX("done", "it is `done`, declared at line 10")}`,
      ]);
    });

    it("reports the callback's `tx` when the wrapper it is given to runs it outside a transaction", async () => {
      const files = exampleFiles();
      files[WRAPPERS] = wrappers;
      files[EXTRA] = refundService(`    await withoutTransaction(async (tx) => ${PUBLISH}, { tx }));`).replace(
        'import { db } from "../db/client";',
        'import { withoutTransaction } from "../db/transactions";',
      );
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${EXTRA}:6:114 ${NOT_TX("tx", "it is the parameter `tx` of a callback that is not a transaction's")}`,
      ]);
    });

    it("reports a publishEvent left floating in the transaction (not awaited, returned or collected; inside forEach), at the call", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService(
        ...inTransaction(
          "tx",
          `${PUBLISH}, { tx });`,
          `void ${PUBLISH}, { tx });`,
          `await Promise.all([${PUBLISH}, { tx })]);`,
          `[id].forEach(async (n) => { await ${PUBLISH}, { tx, n }); });`,
          `return ${PUBLISH}, { tx });`,
        ),
        `    await db.transaction(async (tx) => ${PUBLISH}, { tx }));`,
      );
      const floating =
        "error publish-in-transaction publishEvent is not awaited by the transaction (a bare call, `void`, or inside `forEach`, which drops its callback's promise), so the transaction can commit (and release its connection) before the event is written. `await` it in the transaction callback (`for … of` rather than `forEach`).";
      expect(describeFindings(await runRule(rule, files))).toEqual([`${EXTRA}:7:7 ${floating}`, `${EXTRA}:8:12 ${floating}`, `${EXTRA}:10:41 ${floating}`]);
    });

    it("reports a helper's `tx` when one of its callers passes something else, naming that call", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService(
        ...inTransaction("tx", "await this.emit(tx, id);"),
        "    await this.emit(db, id);",
        "  }",
        "  private async emit(handle: unknown, id: string) {",
        `    ${publish("{ tx: handle }")}`,
      );
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${EXTRA}:12:85 ${NOT_TX("handle", `\`emit\` receives \`db\` at ${EXTRA}:9:21`)}`,
      ]);
    });

    it("reports an options object whose `tx` is not the transaction, naming the caller", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService(
        "    await this.emit(id, { tx: db });",
        "  }",
        "  private async emit(id: string, options: { tx: unknown }) {",
        `    ${publish("{ tx: options.tx }")}`,
      );
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${EXTRA}:9:85 ${NOT_TX("options.tx", `\`emit\` receives \`{ tx: db }\` at ${EXTRA}:6:25`)}`,
      ]);
    });

    it("warns about a `tx` it cannot follow: options it cannot see into, a parameter of a function nothing calls", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService(...inTransaction("tx", publish("opts"), publish("{ ...opts }")), "  }", "  async replay(trx: unknown, id: string) {", `    ${publish("{ tx: trx }")}`);
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${EXTRA}:7:81 warning publish-in-transaction Cannot tell statically whether \`opts\` passes \`tx\` to publishEvent. Write \`tx\` in the options object literal (e.g. \`{ ...opts, tx }\`) so the transaction is visible.`,
        `${EXTRA}:8:83 warning publish-in-transaction Cannot tell statically whether \`...opts\` passes \`tx\` to publishEvent. Write \`tx\` in the options object literal (e.g. \`{ ...opts, tx }\`) so the transaction is visible.`,
        `${EXTRA}:12:85 warning publish-in-transaction Cannot tell statically whether \`trx\` is a transaction: it is the parameter \`trx\` of \`replay\`, and nothing in the service calls \`replay\`. Publish inside \`db.transaction(async (tx) => …)\` and pass \`{ tx }\`.`,
      ]);
    });
  });

  it("the example monorepo is clean under the whole engine", async () => {
    expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
  });
});
