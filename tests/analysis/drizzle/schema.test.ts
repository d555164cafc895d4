import ts from "typescript";
import { describe, expect, it } from "vitest";
import { drizzleSchema, tableNamed } from "../../../src/analysis/drizzle/schema.js";
import { schemaOf, serviceContext, tablesOf } from "../../helpers/drizzle.js";

const DB = "services/billing-ledger/src/db";

describe("Drizzle schema as it is written", () => {
  it("reads tables from a pgTableCreator that shadows the name pgTable, pgSchema(…).enum, customType and shorthand columns", async () => {
    const files = {
      [`${DB}/schema.ts`]: `import { customType, pgSchema, text } from "drizzle-orm/pg-core";
import { pgTable } from "./table";
const billing = pgSchema("billing");
export const currency = billing.enum("currency", ["EUR", "USD"]);
const money = customType<{ data: number }>({ dataType: () => "numeric" });
const brandId = text("brand_id").notNull();
export const invoices = pgTable("invoices", { brandId, total: money("total"), currency: currency() });
export const payouts = billing.table("payouts", ({ text: t, uuid }) => ({ id: uuid(), brand: t("brand_id") }));
`,
      [`${DB}/table.ts`]: `import { pgTableCreator } from "drizzle-orm/pg-core";\nexport const pgTable = pgTableCreator((name) => name);\n`,
    };
    expect(await tablesOf(files)).toEqual(["invoices(-.invoices): brand_id,total,currency", "payouts(billing.payouts): id,brand_id"]);
    const schema = await schemaOf(files);
    expect(schema?.schemas.map((s) => `${s.name}@${s.path}`)).toEqual([`billing@${DB}/schema.ts`]);
  });

  it("reads tables with row-level security: pgTable(…).enableRLS() and pgTable.withRLS(…)", async () => {
    const files = {
      [`${DB}/schema.ts`]: `import { pgSchema, pgTable, text } from "drizzle-orm/pg-core";
const billing = pgSchema("billing");
export const a = pgTable("a", { brandId: text() }).enableRLS();
export const b = pgTable.withRLS("b", { id: text() });
export const c = billing.table.withRLS("c", { brand_id: text() });
`,
    };
    expect(await tablesOf(files)).toEqual(["a(-.a): brandId", "b(-.b): id", "c(billing.c): brand_id"]);
  });

  it("follows a column builder held in a constant and finished at the table (`planColumn.default(\"free\")`), and survives one that names itself", async () => {
    const files = {
      [`${DB}/schema.ts`]: `import { pgTable, text } from "drizzle-orm/pg-core";
export const planColumn = text("plan", { enum: ["free", "pro"] }).notNull();
// @ts-expect-error a constant that names itself
const loop = loop.default("x");
export const subscriptions = pgTable("subscriptions", { plan: planColumn.default("free"), brandId: text("brand_id"), odd: loop });
`,
    };
    expect(await tablesOf(files)).toEqual(["subscriptions(-.subscriptions): plan,brand_id ?`loop.default(\"x\")`@schema.ts:5"]);
  });

  it("substitutes helper arguments into column names and follows spreads of helper calls", async () => {
    const files = {
      [`${DB}/schema.ts`]: `import { pgTable } from "drizzle-orm/pg-core";
import { fk, tenancy } from "./helpers";
export const lines = pgTable("lines", { invoiceId: fk("invoice"), ...tenancy({ column: "brand_id" }) });
`,
      [`${DB}/helpers.ts`]: `import { text, uuid } from "drizzle-orm/pg-core";
export function fk(name: string) {
  return uuid(\`\${name}_id\`).notNull();
}
export const tenancy = ({ column }: { column: string }) => ({ brandId: text(column).notNull() });
`,
    };
    expect(await tablesOf(files)).toEqual(["lines(-.lines): invoice_id,brand_id"]);
  });

  it("names what comes from outside the repository, at the construct, and nothing else", async () => {
    const files = {
      [`${DB}/schema.ts`]: `import { pgTable, text } from "drizzle-orm/pg-core";
import { auditColumns, tenantId } from "@platform/db";
export const a = pgTable("a", {
  id: text("id"),
  ...auditColumns,
  tenant: tenantId(),
  region: text(process.env.REGION_COLUMN!),
});
`,
    };
    expect(await tablesOf(files)).toEqual([
      'a(-.a): id ?the spread `...auditColumns` (imported from "@platform/db")@schema.ts:5 ?`tenantId()` (imported from "@platform/db")@schema.ts:6 ?the name of column `region`: `process.env.REGION_COLUMN` (read at run time)@schema.ts:7',
    ]);
  });

  it("finds the table an expression names: namespaced, or imported through a re-export", async () => {
    const files = {
      [`${DB}/schema.ts`]: `export * from "./schema/invoices";\n`,
      [`${DB}/schema/invoices.ts`]: `import { pgTable, text } from "drizzle-orm/pg-core";\nexport const invoices = pgTable("invoices", { brandId: text() });\n`,
      [`${DB}/use.ts`]: `import * as schema from "./schema/invoices";\nimport { invoices as inv } from "./schema";\nschema.invoices;\ninv;\n`,
    };
    const ctx = serviceContext(files);
    const schema = await drizzleSchema(ctx);
    const use = (await ctx.sourceFile(`${DB}/use.ts`))!;
    const [a, b] = use.statements.slice(2).map((s) => {
      if (!ts.isExpressionStatement(s)) throw new Error(`expected an expression statement, got ${ts.SyntaxKind[s.kind]}`);
      return s.expression;
    });
    expect(tableNamed(schema, a!)?.variable).toBe("invoices");
    expect(tableNamed(schema, b!)?.variable).toBe("invoices");
    expect(schema?.tables.map((t) => t.path)).toEqual([`${DB}/schema/invoices.ts`]);
  });
});
