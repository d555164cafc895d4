import { describe, expect, it } from "vitest";
import rule from "../../src/rules/migration-brand-id-required.js";
import repositoryBrandFilter from "../../src/rules/repository-brand-filter.js";
import repositoryClassRequired from "../../src/rules/repository-class-required.js";
import schemasOwnedMatch from "../../src/rules/schemas-owned-match.js";
import serviceClassRequired from "../../src/rules/service-class-required.js";
import { tablesOf } from "../helpers/drizzle.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, runRules, exampleFindingsOf } from "../helpers/rule-harness.js";

const SCHEMA = "services/billing-ledger/src/db/schema.ts";
const DRIZZLE = "services/billing-ledger/drizzle";
const ID = "migration-brand-id-required";

/** The example with billing-ledger's schema.ts replaced (its migrations stay as they are). */
function withSchema(text: string): Record<string, string> {
  const files = exampleFiles();
  files[SCHEMA] = text;
  return files;
}

async function findings(files: Record<string, string>) {
  return describeFindings(await runRule(rule, files));
}

describe("migration-brand-id-required", () => {
  describe("valid", () => {
    it("leaves the example monorepo clean under the whole engine", async () => {
      expect(await exampleFindingsOf(ID)).toEqual([]);
    });

    it("accepts renamed imports, pgTableCreator, destructured callback builders, brandId keys without a name and nested local spreads", async () => {
      const files = withSchema(`import { pgTable as table, pgTableCreator, text, uuid } from "drizzle-orm/pg-core";
const createTable = pgTableCreator((name) => \`billing_\${name}\`);
const tenancy = { brandId: text().notNull() };
const audit = { ...tenancy, createdBy: text("created_by") };
export const a = table("a", { id: uuid("id"), ...audit });
export const b = createTable("b", ({ uuid: id, text }) => ({ id: id(), brand_id: text() }));
export const c = table("c", (t) => {
  return { id: t.uuid(), brandId: t.text("brand_id") };
});
function brandColumn() {
  return text("brand_id").notNull();
}
export const d = table("d", { id: uuid(), brand: brandColumn() });
`);
      expect(await findings(files)).toEqual([]);
      expect(await tablesOf(files)).toEqual([
        "a(-.a): id,brandId,created_by",
        "b(-.b): id,brand_id",
        "c(-.c): id,brand_id",
        "d(-.d): id,brand_id",
      ]);
    });

    it("accepts namespaced pg-core, pgSchema(...).table inline, and a schema object imported from another file", async () => {
      const files = withSchema(`import * as pg from "drizzle-orm/pg-core";
import { ledger } from "./schemas";
export const a = pg.pgSchema("billing").table("a", { brand_id: pg.text() }, (t) => [pg.index("i").on(t.brand_id)]);
export const b = ledger.table("b", { tenant: pg.text("brand_id").notNull() });
`);
      files["services/billing-ledger/src/db/schemas.ts"] = `import { pgSchema } from "drizzle-orm/pg-core";\nexport const ledger = pgSchema("ledger");\n`;
      expect(await findings(files)).toEqual([]);
      expect(await tablesOf(files)).toEqual(["a(billing.a): brand_id", "b(ledger.b): brand_id"]);
    });

    it("replays drizzle-kit migrations: DROP then ADD again, RENAME COLUMN/TABLE, DROP TABLE, DO blocks, comments", async () => {
      const files = exampleFiles();
      files[`${DRIZZLE}/0002_rework.sql`] = `-- rework the ledger
ALTER TABLE "billing"."ledger_entries" DROP COLUMN "brand_id";--> statement-breakpoint
ALTER TABLE "billing"."ledger_entries" ADD COLUMN "brand_id" text NOT NULL;--> statement-breakpoint
CREATE TABLE "billing"."scratch" ("id" uuid);--> statement-breakpoint
DROP TABLE "billing"."scratch";--> statement-breakpoint
ALTER TABLE "billing"."invoices" RENAME COLUMN "brand_id" TO "tenant";--> statement-breakpoint
ALTER TABLE "billing"."invoices" RENAME COLUMN "tenant" TO "brand_id";--> statement-breakpoint
ALTER TABLE "billing"."invoices" RENAME TO "bills";--> statement-breakpoint
DO $$ BEGIN
 ALTER TABLE "billing"."ledger_entries" ADD CONSTRAINT "fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."bills"("id") ON DELETE cascade;
EXCEPTION
 WHEN duplicate_object THEN null;
END $$;
/* a block comment; with a semicolon */
CREATE INDEX IF NOT EXISTS "bills_brand_idx" ON "billing"."bills" USING btree ("brand_id");
`;
      expect(await findings(files)).toEqual([]);
      // The same migration without the re-add fails at the DROP COLUMN: the replay really ran.
      edit(files, `${DRIZZLE}/0002_rework.sql`, `ALTER TABLE "billing"."ledger_entries" ADD COLUMN "brand_id" text NOT NULL;`, "");
      expect(await findings(files)).toEqual([
        `${DRIZZLE}/0002_rework.sql:2:40 error ${ID} This statement drops column brand_id of table \`billing.ledger_entries\`, and no later migration adds brand_id back. Every table needs brand_id (guide step 3): drop this change or add the column again in a new migration.`,
      ]);
    });
  });

  describe("invalid", () => {
    it("reports a table without brand_id at the table call, in object and callback form", async () => {
      const files = withSchema(`import { pgSchema, text, uuid } from "drizzle-orm/pg-core";
export const billing = pgSchema("billing");
export const invoices = billing.table("invoices", {
  id: uuid("id"),
  // the key says brandId, but the column is named "brand" in the database
  brandId: text("brand"),
});
export const ledgerEntries = billing.table("ledger_entries", (t) => ({ id: t.uuid(), brand: t.text() }));
`);
      expect(await findings(files)).toEqual([
        `${SCHEMA}:3:25 error ${ID} Table \`invoices\` (billing.invoices) has no brand_id column. Every table needs one (guide step 3): add \`brandId: text("brand_id").notNull()\` to its columns.`,
        `${SCHEMA}:8:30 error ${ID} Table \`ledgerEntries\` (billing.ledger_entries) has no brand_id column. Every table needs one (guide step 3): add \`brandId: text("brand_id").notNull()\` to its columns.`,
      ]);
    });

    it("warns only for columns from outside the repository, once per table, naming the construct and where it comes from", async () => {
      const files = withSchema(`import { pgTable, text, uuid } from "drizzle-orm/pg-core";
import { tenantColumns, auditColumn } from "@platform/db";
export const a = pgTable("a", { id: uuid(), ...tenantColumns });
export const b = pgTable("b", {
  id: uuid(),
  audit: auditColumn(),
});
export const c = pgTable("c", { id: uuid(), ...tenantColumns, brandId: text("brand_id") });
`);
      expect(await findings(files)).toEqual([
        `${SCHEMA}:3:18 warning ${ID} Table \`a\` (a) has no brand_id column that platform-checks can see, and its columns include the spread \`...tenantColumns\` (imported from "@platform/db") (line 3), which cannot be read statically. Declare \`brandId: text("brand_id")\` in the table, or make sure the spread \`...tenantColumns\` (imported from "@platform/db") provides it.`,
        `${SCHEMA}:4:18 warning ${ID} Table \`b\` (b) has no brand_id column that platform-checks can see, and its columns include \`auditColumn()\` (imported from "@platform/db") (line 6), which cannot be read statically. Declare \`brandId: text("brand_id")\` in the table, or make sure \`auditColumn()\` (imported from "@platform/db") provides it.`,
      ]);
    });

    it("follows pgEnum columns, helper functions and spreads from other files of the service: a missing brand_id is an error", async () => {
      const files = withSchema(`import { pgTable, text } from "drizzle-orm/pg-core";
import { id, statusEnum, timestamps, withAudit } from "./columns.helpers";
export const a = pgTable("a", { id: id(), status: statusEnum("status"), ...timestamps });
export const b = pgTable("b", { id: id(), ...withAudit("b") });
export const c = pgTable("c", { id: id(), status: statusEnum(), note: text("brand") });
`);
      files["services/billing-ledger/src/db/columns.helpers.ts"] = `import { pgEnum, timestamp, uuid, text } from "drizzle-orm/pg-core";
export const statusEnum = pgEnum("status", ["draft", "sent"]);
export const id = () => uuid("id").primaryKey().defaultRandom();
export const timestamps = { createdAt: timestamp("created_at").defaultNow().notNull() };
export function withAudit(table: string) {
  return { ...timestamps, changedBy: text(\`\${table}_changed_by\`) };
}
`;
      expect(await tablesOf(files)).toEqual(["a(-.a): id,status,created_at", "b(-.b): id,created_at,b_changed_by", "c(-.c): id,status,brand"]);
      const missing = (n: number, col: number, t: string) =>
        `${SCHEMA}:${n}:${col} error ${ID} Table \`${t}\` (${t}) has no brand_id column. Every table needs one (guide step 3): add \`brandId: text("brand_id").notNull()\` to its columns.`;
      expect(await findings(files)).toEqual([missing(3, 18, "a"), missing(4, 18, "b"), missing(5, 18, "c")]);
    });

    it("reads a schema split over src/db/schema/*.ts behind export *, with pgTableCreator from another file", async () => {
      const files = withSchema(`export * from "./schema/index";\n`);
      files["services/billing-ledger/src/db/schema/index.ts"] = `export * from "./invoices";\nexport { ledger as ledgerEntries } from "./ledger";\n`;
      files["services/billing-ledger/src/db/schema/table.ts"] = `import { pgTableCreator } from "drizzle-orm/pg-core";\nexport const createTable = pgTableCreator((name) => \`billing_\${name}\`);\n`;
      files["services/billing-ledger/src/db/schema/invoices.ts"] = `import { text, uuid } from "drizzle-orm/pg-core";
import { createTable } from "./table";
export const invoices = createTable("invoices", { id: uuid("id"), brandId: text("brand_id").notNull() });
`;
      files["services/billing-ledger/src/db/schema/ledger.ts"] = `import { uuid } from "drizzle-orm/pg-core";
import { createTable } from "./table";
export const ledger = createTable("ledger", {
  id: uuid("id"),
});
`;
      expect(await tablesOf(files)).toEqual(["invoices(-.invoices): id,brand_id", "ledger(-.ledger): id"]);
      expect(await findings(files)).toEqual([
        `services/billing-ledger/src/db/schema/ledger.ts:3:23 error ${ID} Table \`ledger\` (ledger) has no brand_id column. Every table needs one (guide step 3): add \`brandId: text("brand_id").notNull()\` to its columns.`,
      ]);
    });

    it("reports a migrated table without brand_id at its CREATE TABLE, a dropped brand_id at the DROP COLUMN, and a statement PostgreSQL rejects", async () => {
      const files = exampleFiles();
      files[`${DRIZZLE}/0002_more.sql`] = `CREATE TABLE IF NOT EXISTS "billing"."payouts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"amount_cents" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "billing"."invoices" ADD COLUMN "note" text, DROP COLUMN "brand_id";
--> statement-breakpoint
ALTER TABLE "billing"."ledger_entries" SET SCHEMA "archive";
--> statement-breakpoint
ALTER TABLE "archive"."ledger_entries" ADD COLUMN;
`;
      expect(await findings(files)).toEqual([
        `${DRIZZLE}/0002_more.sql:1:1 error ${ID} After the migrations in drizzle/, table \`billing.payouts\` has no brand_id column (this CREATE TABLE has none and no later migration adds it). Add \`"brand_id" text NOT NULL\` here, or in a new migration with \`ALTER TABLE … ADD COLUMN "brand_id" text NOT NULL\`.`,
        `${DRIZZLE}/0002_more.sql:6:58 error ${ID} This statement drops column brand_id of table \`billing.invoices\`, and no later migration adds brand_id back. Every table needs brand_id (guide step 3): drop this change or add the column again in a new migration.`,
        `${DRIZZLE}/0002_more.sql:10:1 error ${ID} drizzle/0002_more.sql: PostgreSQL's parser rejects this statement (\`ALTER TABLE "archive"."ledger_entries" ADD COLUMN\`: syntax error at end of input at line 10, column 50), so the migration would fail here and platform-checks cannot tell how it changes tables. Fix the SQL.`,
      ]);
    });

    it("follows search_path into a later file: SET search_path then DROP COLUMN brand_id is an error at the DROP", async () => {
      const files = exampleFiles();
      files[`${DRIZZLE}/0002_path.sql`] = `SET search_path TO billing, public;\n`;
      files[`${DRIZZLE}/0003_drop.sql`] = `CREATE POLICY "by_brand" ON invoices USING (brand_id = current_setting('app.brand'));\nALTER TABLE invoices ENABLE ROW LEVEL SECURITY;\nALTER TABLE invoices DROP COLUMN brand_id;\n`;
      expect(await findings(files)).toEqual([
        `${DRIZZLE}/0003_drop.sql:3:22 error ${ID} This statement drops column brand_id of table \`billing.invoices\`, and no later migration adds brand_id back. Every table needs brand_id (guide step 3): drop this change or add the column again in a new migration.`,
      ]);
      // Without the SET, \`invoices\` is public.invoices, which these migrations never created: nothing to report.
      delete files[`${DRIZZLE}/0002_path.sql`];
      expect(await findings(files)).toEqual([]);
    });

    it("reads drizzle-kit 1.0's layout, one folder per migration (<timestamp>_<name>/migration.sql beside snapshot.json), in folder order", async () => {
      const files = exampleFiles();
      files[`${DRIZZLE}/20251222212715_drop_brand/migration.sql`] = `ALTER TABLE "billing"."invoices" DROP COLUMN "brand_id";\n`;
      files[`${DRIZZLE}/20251222212715_drop_brand/snapshot.json`] = `{ "version": "8", "dialect": "postgres" }\n`;
      files[`${DRIZZLE}/20251222213451_payouts/migration.sql`] = `ALTER TABLE "billing"."invoices" ADD COLUMN "brand_id" text NOT NULL;--> statement-breakpoint\nCREATE TABLE "billing"."payouts" (\n\t"id" uuid PRIMARY KEY\n);\n`;
      expect(await findings(files)).toEqual([
        `${DRIZZLE}/20251222213451_payouts/migration.sql:2:1 error ${ID} After the migrations in drizzle/, table \`billing.payouts\` has no brand_id column (this CREATE TABLE has none and no later migration adds it). Add \`"brand_id" text NOT NULL\` here, or in a new migration with \`ALTER TABLE … ADD COLUMN "brand_id" text NOT NULL\`.`,
      ]);
      // Without the second migration, the first one's DROP is reported where it is.
      delete files[`${DRIZZLE}/20251222213451_payouts/migration.sql`];
      expect(await findings(files)).toEqual([
        `${DRIZZLE}/20251222212715_drop_brand/migration.sql:1:34 error ${ID} This statement drops column brand_id of table \`billing.invoices\`, and no later migration adds brand_id back. Every table needs brand_id (guide step 3): drop this change or add the column again in a new migration.`,
      ]);
    });

    it("reads the migrations where drizzle.config.ts's out puts them (./src/db/migrations), not drizzle/", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/drizzle.config.ts"] = `import { defineConfig } from "drizzle-kit";
const OUT = "./src/db/migrations/";
export default defineConfig({ schema: "./src/db/schema.ts", out: OUT, dialect: "postgresql" });
`;
      files["services/billing-ledger/src/db/migrations/0000_init.sql"] = `CREATE TABLE "audit_log" ("id" uuid PRIMARY KEY, "payload" jsonb);\n`;
      files["services/billing-ledger/src/db/migrations/meta/0000_snapshot.sql"] = `CREATE TABLE "not_a_migration" ("id" uuid);\n`;
      // drizzle/ is not where this service's migrations are: its DROP is not replayed.
      files[`${DRIZZLE}/0009_drop.sql`] = `ALTER TABLE "billing"."invoices" DROP COLUMN "brand_id";\n`;
      expect(await findings(files)).toEqual([
        `services/billing-ledger/src/db/migrations/0000_init.sql:1:1 error ${ID} After the migrations in src/db/migrations/, table \`public.audit_log\` has no brand_id column (this CREATE TABLE has none and no later migration adds it). Add \`"brand_id" text NOT NULL\` here, or in a new migration with \`ALTER TABLE … ADD COLUMN "brand_id" text NOT NULL\`.`,
      ]);
    });

    it("reads tables from the files drizzle.config.ts's schema names (a glob, or a list), besides src/db/schema.ts", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/drizzle.config.ts"] = `import { defineConfig } from "drizzle-kit";
export default defineConfig({ schema: ["./src/db/schema.ts", "./src/db/tables/*.ts"], dialect: "postgresql" });
`;
      files["services/billing-ledger/src/db/tables/audit.ts"] = `import { pgTable, text, uuid } from "drizzle-orm/pg-core";
export const audit = pgTable("audit", { id: uuid().primaryKey(), payload: text() });
`;
      files["services/billing-ledger/src/db/tables/notes.ts"] = `import { pgTable, text } from "drizzle-orm/pg-core";
export const notes = pgTable("notes", { brandId: text().notNull(), body: text() });
`;
      expect(await findings(files)).toEqual([
        `services/billing-ledger/src/db/tables/audit.ts:2:22 error ${ID} Table \`audit\` (audit) has no brand_id column. Every table needs one (guide step 3): add \`brandId: text("brand_id").notNull()\` to its columns.`,
      ]);
    });

    it("applies migrations in numeric file order and reads plain SQL files without breakpoints", async () => {
      const files = exampleFiles();
      // Plain string order would run 10_readd before 2_drop and lose brand_id; drizzle numbering means numeric order.
      files[`${DRIZZLE}/2_drop.sql`] = `ALTER TABLE billing.invoices DROP COLUMN brand_id;`;
      files[`${DRIZZLE}/10_readd.sql`] = `ALTER TABLE billing.invoices ADD COLUMN brand_id text;\nCREATE TABLE public.audit_log (id uuid, payload jsonb);`;
      expect(await findings(files)).toEqual([
        `${DRIZZLE}/10_readd.sql:2:1 error ${ID} After the migrations in drizzle/, table \`public.audit_log\` has no brand_id column (this CREATE TABLE has none and no later migration adds it). Add \`"brand_id" text NOT NULL\` here, or in a new migration with \`ALTER TABLE … ADD COLUMN "brand_id" text NOT NULL\`.`,
      ]);
    });
  });

  it("replays DO blocks, reports what it cannot follow as errors, and warns only on columns copied from tables outside the migrations", async () => {
    const files = exampleFiles();
    files[`${DRIZZLE}/0002_more.sql`] = `DO $$ DECLARE n int; BEGIN
  ALTER TABLE "billing"."invoices" DROP COLUMN "brand_id";
END $$;
CREATE TABLE "billing"."a" (LIKE "billing"."elsewhere");
CREATE TABLE "billing"."b" ("id" uuid) INHERITS ("billing"."a");
CREATE TABLE "billing"."c" AS SELECT * FROM "billing"."ledger_entries" JOIN "billing"."elsewhere" USING ("id");
DO $$ BEGIN EXECUTE 'ALTER TABLE billing.' || 'ledger_entries' || ' DROP COLUMN ' || current_setting('app.col'); END $$;
CREATE FUNCTION billing.reset() RETURNS void LANGUAGE sql AS $$ ALTER TABLE billing.ledger_entries DROP COLUMN brand_id $$;
`;
    const cannotFollow = "platform-checks cannot follow that to tell whether every table keeps brand_id (guide step 3). Write the change as plain ALTER TABLE / CREATE TABLE statements in the migration.";
    const fromElsewhere = "takes its columns from `LIKE billing.elsewhere`, which the migrations in drizzle/ do not define, so platform-checks cannot tell whether it has brand_id. Declare `brand_id` in this CREATE TABLE.";
    expect(await findings(files)).toEqual([
      `${DRIZZLE}/0002_more.sql:2:36 error ${ID} This statement drops column brand_id of table \`billing.invoices\`, and no later migration adds brand_id back. Every table needs brand_id (guide step 3): drop this change or add the column again in a new migration.`,
      `${DRIZZLE}/0002_more.sql:4:1 warning ${ID} Table \`billing.a\` ${fromElsewhere}`,
      `${DRIZZLE}/0002_more.sql:5:1 warning ${ID} Table \`billing.b\` ${fromElsewhere}`,
      `${DRIZZLE}/0002_more.sql:6:1 error ${ID} Table \`billing.c\` takes its columns from CREATE TABLE … AS (\`*\` over several tables), which platform-checks cannot expand, so it cannot tell whether the table has brand_id. Name the columns (\`CREATE TABLE … (id, brand_id, …) AS …\`) or select them by name.`,
      `${DRIZZLE}/0002_more.sql:7:21 error ${ID} This statement runs SQL built at run time (\`EXECUTE 'ALTER TABLE billing.' || 'ledger_entries' || ' DROP COLUMN ' || curr…\`), which can change any table's columns; ${cannotFollow}`,
      `${DRIZZLE}/0002_more.sql:8:100 error ${ID} This statement defines function \`billing.reset\`, whose body drops column brand_id of \`billing.ledger_entries\` whenever it is called; ${cannotFollow}`,
    ]);
  });

  it("none of the Drizzle and class rules crashes on malformed code or SQL", async () => {
    const code = [
      "",
      "export const x = pgTable(",
      "import { pgTable } from 'drizzle-orm/pg-core'; export const t = pgTable();",
      "import { pgTable } from 'drizzle-orm/pg-core'; const a = b; const b = a; export const t = pgTable('t', a);",
      "import { pgTable, text } from 'drizzle-orm/pg-core'; const o = { ...o }; export const t = pgTable('t', { ...o, [k]: text(), get x() { return 1 } });",
      "export class R { a() { return this.db.select().from(); } b() { this.db.insert(t).values(); } c() { this.db.update().set().where(); } d() { const q = q; return this.x.query.y.findMany(q) } }",
      "export default class { m = () => this.db.delete(t).where(this.m()); n() { return this.n().where(eq(t.brandId, 1)); } }",
    ];
    const sql = ["", ";;;", "CREATE TABLE (", "$$ unterminated", "'unterminated", "DO $$ BEGIN END $$;", "/* unterminated comment", "ALTER TABLE nowhere DROP COLUMN brand_id;"];
    const rules = [rule, schemasOwnedMatch, repositoryClassRequired, repositoryBrandFilter, serviceClassRequired];
    for (const ts of code) {
      for (const statement of sql) {
        const files = exampleFiles();
        files[SCHEMA] = ts;
        files["services/billing-ledger/src/db/x.repository.ts"] = ts;
        files["services/billing-ledger/src/services/x.service.ts"] = ts;
        files[`${DRIZZLE}/0009_x.sql`] = statement;
        const report = await runRules(rules, files);
        expect(report.ruleRuns.filter((r) => r.crashed), `${ts} / ${statement}`).toEqual([]);
      }
    }
  });

  it("a broken copy of the example yields one finding per break, at the right file and line", async () => {
    const report = await runAllOnExample((files) => {
      edit(files, SCHEMA, `  brand_id: t.text().notNull(),\n`, "");
      edit(files, "services/notifications/drizzle/0001_brand_and_status.sql", "ADD COLUMN brand_id text NOT NULL", "ADD COLUMN brand text NOT NULL");
    });
    const lines = describeFindings(report.findings.filter((f) => f.rule === ID)).map((l) => l.split(" ").slice(0, 2).join(" "));
    expect(lines).toEqual([`${SCHEMA}:26:30 error`, "services/notifications/drizzle/0000_deliveries.sql:2:1 error"]);
  });
});
