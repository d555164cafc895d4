import { describe, expect, it } from "vitest";
import { replayMigrations, type MigrationReplay } from "../../../src/analysis/sql/migration-replay.js";
import { SqlFile } from "../../../src/analysis/sql/sql-text.js";

/** Replays migrations given as `name → text` (in that order). */
async function replay(files: Record<string, string>): Promise<MigrationReplay> {
  return replayMigrations(Object.entries(files).map(([name, text]) => new SqlFile(`drizzle/${name}`, text)));
}

/** `schema.table: columns` per table, plus what was lost, unknown or unfollowed. */
function tables(result: MigrationReplay): string[] {
  return [...result.tables.values()].map((t) => {
    const notes = [
      t.brandIdLostAt ? ` lost@${t.brandIdLostAt.line}:${t.brandIdLostAt.column} (${t.brandIdLostAt.how})` : "",
      t.unknownColumnsFrom ? ` unknown(${t.unknownColumnsFrom})` : "",
      t.unfollowedColumnsFrom ? ` unfollowed(${t.unfollowedColumnsFrom})` : "",
    ].join("");
    return `${t.qualifiedName}: ${[...t.columns].join(",")}${notes}`;
  });
}

function problems(result: MigrationReplay): string[] {
  return [
    ...result.unread.map((u) => `${u.path}:${u.line}:${u.column} unread \`${u.excerpt}\`: ${u.reason}`),
    ...result.unfollowable.map((u) => `${u.path}:${u.line}:${u.column} unfollowable: ${u.description}`),
  ];
}

describe("migration replay (libpg-query)", () => {
  it("reads drizzle-kit output: breakpoints, quoted names, WITH (fillfactor), defaults with semicolons, enums, policies and RLS", async () => {
    const result = await replay({
      "0000_init.sql": `CREATE TYPE "public"."status" AS ENUM('draft', 'sent');--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"brand_id" text NOT NULL,
	"note" text DEFAULT 'a; b',
	"status" "status" DEFAULT 'draft' NOT NULL
) WITH (fillfactor=70);
--> statement-breakpoint
ALTER TABLE "orders" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "brand_isolation" ON "orders" AS PERMISSIVE FOR ALL TO public USING ("orders"."brand_id" = current_setting('app.brand_id'));--> statement-breakpoint
ALTER TYPE "public"."status" ADD VALUE 'paid';--> statement-breakpoint
ALTER PUBLICATION supabase_realtime ADD TABLE "orders";--> statement-breakpoint
CREATE MATERIALIZED VIEW "order_totals" AS SELECT brand_id, count(*) FROM "orders" GROUP BY brand_id;--> statement-breakpoint
DROP MATERIALIZED VIEW "order_totals";--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "orders_brand_idx" ON "orders" USING btree ("brand_id");--> statement-breakpoint
GRANT SELECT ON "orders" TO reporting;
COMMENT ON TABLE "orders" IS 'one; per order';
`,
    });
    expect(problems(result)).toEqual([]);
    expect(tables(result)).toEqual(["public.orders: id,brand_id,note,status"]);
  });

  it("follows ADD, DROP and RENAME COLUMN, RENAME TABLE, SET SCHEMA, DROP TABLE then CREATE again, across files", async () => {
    const result = await replay({
      "0000.sql": `CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id uuid, brand_id text);
CREATE TABLE billing.scratch (id uuid);
CREATE TABLE billing.ledger (id uuid, brand_id text);`,
      "0001.sql": `ALTER TABLE billing.invoices RENAME COLUMN brand_id TO tenant;
ALTER TABLE billing.invoices RENAME tenant TO brand_id;
ALTER TABLE billing.invoices RENAME TO bills;
ALTER TABLE billing.bills SET SCHEMA archive;
DROP TABLE billing.scratch;
DROP TABLE billing.ledger;
CREATE TABLE billing.ledger (id uuid);
ALTER TABLE IF EXISTS ONLY billing.ledger ADD COLUMN IF NOT EXISTS brand_id text, ADD COLUMN note text;`,
    });
    expect(problems(result)).toEqual([]);
    expect(tables(result)).toEqual(["archive.bills: id,brand_id", "billing.ledger: id,brand_id,note"]);
  });

  it("locates a DROP COLUMN at its subcommand and a RENAME COLUMN at RENAME, with multi-byte text before them", async () => {
    const result = await replay({
      "0000.sql": `-- «Rechnungen» — invoices
CREATE TABLE "billing"."invoices" ("id" uuid, "brand_id" text, "memo" text DEFAULT 'ü,(');
CREATE TABLE "billing"."ledger" ("id" uuid, "brand_id" text);
ALTER TABLE "billing"."invoices" ADD COLUMN "note" text DEFAULT 'é, x', DROP COLUMN "brand_id";
ALTER TABLE billing.ledger RENAME COLUMN brand_id TO brand;`,
    });
    expect(tables(result)).toEqual([
      'billing.invoices: id,memo,note lost@4:73 (drops column brand_id)',
      'billing.ledger: id,brand lost@5:28 (renames column brand_id to "brand")',
    ]);
  });

  it("tracks search_path: SET, SET LOCAL, set_config, RESET, and CREATE SCHEMA … CREATE TABLE", async () => {
    const result = await replay({
      "0000.sql": `CREATE SCHEMA billing CREATE TABLE invoices (id uuid, brand_id text);
CREATE TABLE invoices (id uuid, brand_id text);
SET search_path TO billing, public;`,
      "0001.sql": `ALTER TABLE invoices DROP COLUMN brand_id;
RESET search_path;
SELECT pg_catalog.set_config('search_path', '"$user", billing', false);
CREATE TABLE audit (id uuid);
SET LOCAL search_path = public;
ALTER TABLE invoices ADD COLUMN note text;`,
    });
    expect(tables(result)).toEqual([
      "billing.invoices: id lost@1:22 (drops column brand_id)",
      "public.invoices: id,brand_id,note",
      "billing.audit: id",
    ]);
  });

  it("replays DO blocks with PL/pgSQL: drizzle-kit's EXCEPTION wrapper, DECLARE, IF, constant EXECUTE, at the statement's own line", async () => {
    const result = await replay({
      "0000.sql": `CREATE TABLE "billing"."invoices" ("id" uuid, "brand_id" text, "legacy" text);
DO $$ BEGIN
 ALTER TABLE "billing"."invoices" ADD CONSTRAINT "fk" FOREIGN KEY ("id") REFERENCES "billing"."x"("id");
EXCEPTION
 WHEN duplicate_object THEN null;
END $$;
DO $body$
DECLARE
  n integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE column_name = 'note') THEN
    ALTER TABLE billing.invoices ADD COLUMN note text;
  END IF;
  EXECUTE 'ALTER TABLE billing.invoices DROP COLUMN legacy';
  ALTER TABLE billing.invoices DROP COLUMN brand_id;
END
$body$;`,
    });
    expect(problems(result)).toEqual([]);
    expect(tables(result)).toEqual(["billing.invoices: id,note lost@15:32 (drops column brand_id)"]);
  });

  it("reports what it cannot follow: EXECUTE of SQL built at run time, CREATE TABLE … AS over an unknown table, functions whose body drops brand_id", async () => {
    const result = await replay({
      "0000.sql": `CREATE TABLE billing.invoices (id uuid, brand_id text);
DO $$
BEGIN
  EXECUTE format('ALTER TABLE %I DROP COLUMN %I', 'invoices', 'brand_id');
  EXECUTE format('GRANT SELECT ON %I TO reporting', 'invoices');
END $$;
CREATE TABLE billing.copy AS SELECT * FROM billing.invoices;
CREATE TABLE billing.merged AS SELECT * FROM billing.invoices JOIN other.things USING (id);
CREATE TABLE billing.named (id, brand_id) AS SELECT id, brand_id FROM elsewhere;
CREATE OR REPLACE FUNCTION billing.forget_brands() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  ALTER TABLE invoices DROP COLUMN brand_id;
END;
$fn$;
CREATE FUNCTION billing.harmless(x int) RETURNS int LANGUAGE plpgsql AS $$ DECLARE y int; BEGIN SELECT x + 1 INTO y; RETURN y; END $$;
CREATE PROCEDURE billing.sql_proc() LANGUAGE sql AS $$ ALTER TABLE billing.invoices RENAME COLUMN brand_id TO b $$;
CREATE FUNCTION billing.py() RETURNS void LANGUAGE plpython3u AS $$ plpy.execute("ALTER TABLE invoices DROP COLUMN brand_id") $$;`,
    });
    expect(problems(result)).toEqual([
      "drizzle/0000.sql:4:11 unfollowable: runs SQL built at run time (`EXECUTE format('ALTER TABLE %I DROP COLUMN %I', 'invoices', 'brand_id')`), which can change any table's columns",
      "drizzle/0000.sql:12:24 unfollowable: defines function `billing.forget_brands`, whose body drops column brand_id of `billing.invoices` whenever it is called",
      "drizzle/0000.sql:16:85 unfollowable: defines procedure `billing.sql_proc`, whose body renames column brand_id to \"b\" of `billing.invoices` whenever it is called",
      "drizzle/0000.sql:17:1 unfollowable: defines function `billing.py` in plpython3u, which the replay cannot read, and its body names table `billing.invoices`",
    ]);
    expect(tables(result)).toEqual([
      "billing.invoices: id,brand_id",
      "billing.copy: id,brand_id",
      "billing.merged:  unfollowed(CREATE TABLE … AS (`*` over several tables))",
      "billing.named: id,brand_id",
    ]);
  });

  it("reports statements PostgreSQL rejects at their line, and still replays the rest of the file", async () => {
    const result = await replay({
      "0000.sql": `CREATE TABLE a (id uuid, brand_id text);
CREATE TABLE b (id uuid,, brand_id text);
CREATE TABLE c (id uuid);
DO $$ BEGIN ALTER TABL a DROP COLUMN brand_id; END $$;`,
    });
    expect(problems(result)).toEqual([
      'drizzle/0000.sql:2:1 unread `CREATE TABLE b (id uuid,, brand_id text)`: syntax error at or near "," at line 2, column 25',
      'drizzle/0000.sql:4:7 unread `BEGIN ALTER TABL a DROP COLUMN brand_id; END`: PL/pgSQL: syntax error at or near "TABL"',
    ]);
    expect(tables(result)).toEqual(["public.a: id,brand_id", "public.c: id"]);
  });

  it("copies LIKE, INHERITS and PARTITION OF columns from known tables, and names unknown sources", async () => {
    const result = await replay({
      "0000.sql": `CREATE TABLE events (id uuid, brand_id text, at timestamptz) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE events_copy (LIKE events INCLUDING ALL);
CREATE TABLE child (extra int) INHERITS (elsewhere.parent);
CREATE TEMP TABLE scratch (id int);`,
    });
    expect(tables(result)).toEqual([
      "public.events: id,brand_id,at",
      "public.events_2026: id,brand_id,at",
      "public.events_copy: id,brand_id,at",
      "public.child: extra unknown(INHERITS elsewhere.parent)",
    ]);
  });

  it("reads around a megabyte seed INSERT without building its syntax tree, and still reports at the right lines after it", async () => {
    const rows = Array.from({ length: 20000 }, (_, i) => `(${i}, 'brand-${i}', 'note ${i}; «é»')`).join(",\n");
    const result = await replay({
      "0000_seed.sql": `CREATE TABLE seed (id int, brand_id text, note text);\nINSERT INTO seed VALUES ${rows};\nALTER TABLE seed DROP COLUMN brand_id;\n`,
    });
    expect(problems(result)).toEqual([]);
    expect(tables(result)).toEqual(["public.seed: id,note lost@20002:18 (drops column brand_id)"]);
  }, 10_000);

  it("finishes quickly on text that made the old DO-block regular expression backtrack", async () => {
    const hostile = `DO $$ BEGIN ${"END BEGIN ".repeat(5000)} EXCEPTION ${"x ".repeat(5000)}`;
    const started = performance.now();
    const result = await replay({ "0000.sql": hostile });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.unread).toHaveLength(1);
  });
});
