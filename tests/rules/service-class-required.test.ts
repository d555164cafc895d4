import { describe, expect, it } from "vitest";
import rule from "../../src/rules/service-class-required.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const ID = "service-class-required";
const DIR = "services/billing-ledger/src/services";
const SERVICE = `${DIR}/invoice.service.ts`;

async function findings(files: Record<string, string>) {
  return describeFindings(await runRule(rule, files));
}

describe("service-class-required", () => {
  describe("valid", () => {
    it("leaves the example monorepo clean under the whole engine", async () => {
      expect(await exampleFindingsOf(ID)).toEqual([]);
    });

    it("accepts a class exported beside helper functions, export default class and export { X as Y }", async () => {
      const files = exampleFiles();
      edit(files, SERVICE, "export class InvoiceService", "export function toCents(amount: number) {\n  return Math.round(amount * 100);\n}\n\nexport class InvoiceService");
      files[`${DIR}/payout.service.ts`] = `export default class PayoutService {}\n`;
      files[`${DIR}/refund.service.ts`] = `class Refunds {}\nexport { Refunds as RefundService };\n`;
      expect(await findings(files)).toEqual([]);
    });

    it("follows re-exports of repository files: a named re-export, `export *` through a path alias, a default import re-exported", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/tsconfig.json"] = '{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }';
      files["services/billing-ledger/src/impl/payout.ts"] = "export class PayoutService {}\n";
      files["services/billing-ledger/src/impl/refund.ts"] = "export default class RefundService {}\n";
      files[`${DIR}/payout.service.ts`] = 'export { PayoutService } from "../impl/payout";\n';
      files[`${DIR}/ledger.service.ts`] = 'export * from "@/impl/payout";\n';
      files[`${DIR}/refund.service.ts`] = 'import RefundService from "@/impl/refund";\nexport default RefundService;\n';
      expect(await findings(files)).toEqual([]);
    });

    it("ignores barrels, type-only files and files outside src/services/*.service.ts", async () => {
      const files = exampleFiles();
      files[`${DIR}/index.ts`] = `export * from "./invoice.service";\n`;
      files[`${DIR}/types.ts`] = `export interface Money { cents: number }\n`;
      files[`${DIR}/nested/x.service.ts`] = `export function x() {}\n`;
      expect(await findings(files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a service written as exported functions, at the first export", async () => {
      const files = exampleFiles();
      files[SERVICE] = `import { publishEvent } from "@platform/events";

/** Creates an invoice. */
export async function createInvoice() {}
export const listInvoices = async () => [];
`;
      expect(await findings(files)).toEqual([
        `${SERVICE}:4:1 error ${ID} src/services/invoice.service.ts exports no class. ADR-0037 asks for class-based services (business logic in a class that calls the repository): declare \`export class InvoiceService { … }\` here and make these functions its methods.`,
      ]);
    });

    it("reports an object of functions, an interface-only file and an empty file", async () => {
      const files = exampleFiles();
      files[`${DIR}/ledger-entry.service.ts`] = `import type { Db } from "../db/client";\n\nexport const ledgerEntryService = {\n  list(db: Db) {},\n};\n`;
      files[`${DIR}/payout.service.ts`] = `class PayoutService {}\nexport interface PayoutInput { cents: number }\n`;
      files[`${DIR}/refund.service.ts`] = `\n`;
      expect(await findings(files)).toEqual([
        `${DIR}/ledger-entry.service.ts:3:1 error ${ID} src/services/ledger-entry.service.ts exports no class. ADR-0037 asks for class-based services (business logic in a class that calls the repository): declare \`export class LedgerEntryService { … }\` here and make these functions its methods.`,
        `${DIR}/payout.service.ts:2:1 error ${ID} src/services/payout.service.ts exports no class. ADR-0037 asks for class-based services (business logic in a class that calls the repository): declare \`export class PayoutService { … }\` here and make these functions its methods.`,
        `${DIR}/refund.service.ts:1:1 error ${ID} src/services/refund.service.ts exports no class. ADR-0037 asks for class-based services (business logic in a class that calls the repository): declare \`export class RefundService { … }\` here and make these functions its methods.`,
      ]);
    });

    it("reports a re-export of a repository file that exports only functions, at the re-export", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/src/impl/payout.ts"] = "export function pay() {}\n";
      files[`${DIR}/payout.service.ts`] = '// payouts\nexport * from "../impl/payout";\n';
      expect(await findings(files)).toEqual([
        `${DIR}/payout.service.ts:2:1 error ${ID} src/services/payout.service.ts exports no class. ADR-0037 asks for class-based services (business logic in a class that calls the repository): declare \`export class PayoutService { … }\` here and make these functions its methods.`,
      ]);
    });

    it("warns on export * and on re-exports of imported bindings", async () => {
      const files = exampleFiles();
      files[`${DIR}/payout.service.ts`] = `export * from "@platform/payouts";\n`;
      files[`${DIR}/refund.service.ts`] = `import RefundService from "./impl";\nexport default RefundService;\n`;
      expect(await findings(files)).toEqual([
        `${DIR}/payout.service.ts:1:1 warning ${ID} src/services/payout.service.ts only re-exports \`export * from "@platform/payouts"\` from another module, so platform-checks cannot tell whether it is a class. Declare the service class in this file (ADR-0037).`,
        `${DIR}/refund.service.ts:2:1 warning ${ID} src/services/refund.service.ts only re-exports \`export default RefundService\` from another module, so platform-checks cannot tell whether it is a class. Declare the service class in this file (ADR-0037).`,
      ]);
    });
  });

  it("a broken copy of the example yields one finding per break, at the right file and line", async () => {
    const report = await runAllOnExample((files) => {
      edit(files, "services/notifications/src/services/delivery.service.ts", "export class DeliveryService", "class DeliveryService");
      edit(files, SERVICE, "export class InvoiceService", "export const createInvoiceService = () => new InvoiceService();\nclass InvoiceService");
    });
    const lines = describeFindings(report.findings.filter((f) => f.rule === ID)).map((l) => l.split(" ").slice(0, 2).join(" "));
    expect(lines).toEqual([`${SERVICE}:5:1 error`, "services/notifications/src/services/delivery.service.ts:1:1 error"]);
  });
});
