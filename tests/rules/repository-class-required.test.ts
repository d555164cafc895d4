import { describe, expect, it } from "vitest";
import rule from "../../src/rules/repository-class-required.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const ID = "repository-class-required";
const DIR = "services/billing-ledger/src/db";
const REPO = `${DIR}/invoice.repository.ts`;

async function findings(files: Record<string, string>) {
  return describeFindings(await runRule(rule, files));
}

describe("repository-class-required", () => {
  describe("valid", () => {
    it("leaves the example monorepo clean under the whole engine", async () => {
      expect(await exampleFindingsOf(ID)).toEqual([]);
    });

    it("accepts export default class, export { X as Y } of a local class and a class expression", async () => {
      const files = exampleFiles();
      files[`${DIR}/a.repository.ts`] = `export default class {\n  list() {}\n}\n`;
      files[`${DIR}/b.repository.ts`] = `export function helper() {}\nclass Impl {}\nexport { Impl as BRepository };\n`;
      files[`${DIR}/c.repository.ts`] = `export const CRepository = class {};\n`;
      files[`${DIR}/d.repository.ts`] = `class DRepository {}\nexport default DRepository;\n`;
      expect(await findings(files)).toEqual([]);
    });

    it("follows re-exports into other files of the repository: a class there counts, a function there does not", async () => {
      const files = exampleFiles();
      files[`${DIR}/payout.repository.ts`] = `export { PayoutRepo as PayoutRepository } from "./impl/payout";\n`;
      files[`${DIR}/impl/payout.ts`] = `export class PayoutRepo {}\n`;
      files[`${DIR}/refund.repository.ts`] = `export * from "./impl/refund";\n`;
      files[`${DIR}/impl/refund.ts`] = `export function listRefunds() {}\n`;
      expect(await findings(files)).toEqual([
        `${DIR}/refund.repository.ts:1:1 error ${ID} src/db/refund.repository.ts exports no class. ADR-0037 asks for one repository class per aggregate: declare \`export class RefundRepository { … }\` here and make these functions its methods.`,
      ]);
    });

    it("only checks src/db/*.repository.ts", async () => {
      const files = exampleFiles();
      files[`${DIR}/helpers.ts`] = `export function brandFilter() {}\n`;
      files[`${DIR}/legacy/old.repository.ts`] = `export function list() {}\n`;
      files["services/billing-ledger/src/services/x.repository.ts"] = `export function list() {}\n`;
      expect(await findings(files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a file that exports only functions, at the first export", async () => {
      const files = exampleFiles();
      files[REPO] = `import { eq } from "drizzle-orm";\n\nconst cache = new Map();\n  export async function listInvoices() {}\nexport function findInvoice() {}\n`;
      expect(await findings(files)).toEqual([
        `${REPO}:4:3 error ${ID} src/db/invoice.repository.ts exports no class. ADR-0037 asks for one repository class per aggregate: declare \`export class InvoiceRepository { … }\` here and make these functions its methods.`,
      ]);
    });

    it("reports an object export, a local non-class `export { }`, and an empty file at line 1", async () => {
      const files = exampleFiles();
      files[`${DIR}/ledger-entry.repository.ts`] = `// ledger entries\nexport const ledgerEntryRepository = {\n  list() {},\n};\n`;
      files[`${DIR}/payout.repository.ts`] = `function list() {}\nexport { list };\n`;
      files[`${DIR}/refund.repository.ts`] = ``;
      expect(await findings(files)).toEqual([
        `${DIR}/ledger-entry.repository.ts:2:1 error ${ID} src/db/ledger-entry.repository.ts exports no class. ADR-0037 asks for one repository class per aggregate: declare \`export class LedgerEntryRepository { … }\` here and make these functions its methods.`,
        `${DIR}/payout.repository.ts:2:1 error ${ID} src/db/payout.repository.ts exports no class. ADR-0037 asks for one repository class per aggregate: declare \`export class PayoutRepository { … }\` here and make these functions its methods.`,
        `${DIR}/refund.repository.ts:1:1 error ${ID} src/db/refund.repository.ts exports no class. ADR-0037 asks for one repository class per aggregate: declare \`export class RefundRepository { … }\` here and make these functions its methods.`,
      ]);
    });

    it("warns when the file only re-exports from another module", async () => {
      const files = exampleFiles();
      files[`${DIR}/payout.repository.ts`] = `export { PayoutRepository } from "./impl/payout";\n`;
      files[`${DIR}/refund.repository.ts`] = `import { RefundRepo } from "@platform/db";\nexport { RefundRepo as RefundRepository };\n`;
      expect(await findings(files)).toEqual([
        `${DIR}/payout.repository.ts:1:1 warning ${ID} src/db/payout.repository.ts only re-exports \`export { PayoutRepository } from "./impl/payout"\` from another module, so platform-checks cannot tell whether it is a class. Declare the repository class in this file (ADR-0037).`,
        `${DIR}/refund.repository.ts:2:10 warning ${ID} src/db/refund.repository.ts only re-exports \`export { RefundRepo as RefundRepository }\` from another module, so platform-checks cannot tell whether it is a class. Declare the repository class in this file (ADR-0037).`,
      ]);
    });
  });

  it("a broken copy of the example yields one finding per break, at the right file and line", async () => {
    const report = await runAllOnExample((files) => {
      files["services/notifications/src/db/delivery.repository.ts"] = files["services/notifications/src/db/delivery.repository.ts"]!.replace(
        "export class DeliveryRepository",
        "class DeliveryRepository",
      ) + "export const deliveryRepository = (db: Db) => new DeliveryRepository(db);\n";
    });
    const lines = describeFindings(report.findings.filter((f) => f.rule === ID)).map((l) => l.split(" ").slice(0, 2).join(" "));
    expect(lines).toEqual(["services/notifications/src/db/delivery.repository.ts:30:1 error"]);
  });
});
