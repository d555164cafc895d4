import { describe, expect, it } from "vitest";
import rule from "../../src/rules/repository-brand-filter.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const ID = "repository-brand-filter";
const REPO = "services/billing-ledger/src/db/ledger.repository.ts";
const HEADER = `import { and, eq, or, sql } from "drizzle-orm";
import type { Db } from "./client";
import { invoices, ledgerEntries } from "./schema";
`;

/** A generic base repository over \`this.table\` whose filter comes from its callers (a shape public Drizzle projects use). */
const BRAND_SCOPED_BASE = `import type { SQL } from "drizzle-orm";
abstract class BrandScoped<T> {
  constructor(protected readonly db: Db, protected readonly table: T) {}
  protected findWhere(where: SQL) {
    return this.db.select().from(this.table).where(where);
  }
}
`;

/** The example plus a ledger repository whose class body is `body` (line 5 is the first line of the body). */
async function findingsFor(body: string, prelude = ""): Promise<string[]> {
  const files = exampleFiles();
  files[REPO] = `${HEADER}${prelude}export class LedgerRepository {\n${body}}\n`;
  return describeFindings(await runRule(rule, files));
}

const VALIDATORS = `import { createInsertSchema } from "drizzle-zod";
import { z } from "zod";
import { invoices } from "./schema";
export const insertInvoice = createInsertSchema(invoices).omit({ id: true, createdAt: true }).openapi("NewInvoice");
export const withoutBrand = createInsertSchema(invoices).omit({ brandId: true });
export const amountOnly = createInsertSchema(invoices).pick({ amountCents: true });
export const draft = createInsertSchema(invoices).partial();
export const rebranded = createInsertSchema(invoices).omit({ brandId: true }).extend({ brandId: z.string() });
`;

/** The example plus validators.ts and a ledger repository whose class body is `body` (line 9 is the first line of the body). */
async function findingsWithValidators(body: string): Promise<string[]> {
  const files = exampleFiles();
  files["services/billing-ledger/src/db/validators.ts"] = VALIDATORS;
  files[REPO] = `${HEADER}import type { z } from "zod";
import { amountOnly, draft, insertInvoice, rebranded, withoutBrand } from "./validators";
type NewInvoice = typeof invoices.$inferInsert;
export class LedgerRepository {
  constructor(private readonly db: Db) {}
${body}}
`;
  return describeFindings(await runRule(rule, files));
}

describe("repository-brand-filter", () => {
  describe("valid", () => {
    it("leaves the example monorepo clean under the whole engine", async () => {
      expect(await exampleFindingsOf(ID)).toEqual([]);
    });

    it("accepts brand filters in select/update/delete wheres, inside and(...), via local consts and helper methods", async () => {
      const body = `  constructor(private readonly db: Db) {}
  list(brandId: string) {
    return this.db.selectDistinct().from(ledgerEntries).where(eq(ledgerEntries.brand_id, brandId));
  }
  async find(id: string, brandId: string) {
    const filter = and(eq(invoices.id, id), eq(invoices.brandId, brandId));
    return this.db.select({ id: invoices.id }).from(invoices).innerJoin(ledgerEntries, eq(ledgerEntries.invoiceId, invoices.id)).where(filter);
  }
  async rename(id: string, brandId: string) {
    await this.db.update(invoices).set({ currency: "EUR" }).where(and(this.byBrand(brandId), eq(invoices.id, id)));
  }
  async remove(id: string, brandId: string) {
    await this.db.delete(invoices).where(or(and(eq(invoices.brandId, brandId), eq(invoices.id, id)), eq(invoices.brandId, brandId)));
  }
  private byBrand(brandId: string) {
    return eq(invoices.brandId, brandId);
  }
  forget(key: string) {
    this.cache.delete(key);
  }
  private cache = new Map<string, unknown>();
`;
      expect(await findingsFor(body)).toEqual([]);
    });

    it("accepts relational queries (SQL where, callback with operators, object where) and builder helpers whose callers add the where", async () => {
      const body = `  constructor(private readonly db: Db) {}
  byId(id: string, brandId: string) {
    return this.db.query.invoices.findFirst({ where: and(eq(invoices.id, id), eq(invoices.brandId, brandId)) });
  }
  list(brandId: string) {
    return this.db.query.ledgerEntries.findMany({ where: (t, { eq: equals, and }) => and(equals(t.brand_id, brandId)), limit: 10 });
  }
  listV2(brandId: string) {
    return this.db.query.invoices.findMany({ where: { brandId, currency: "USD" } });
  }
  private base() {
    return this.db.select().from(invoices);
  }
  recent(brandId: string) {
    return this.base().where(eq(invoices.brandId, brandId)).limit(5);
  }
  async count(brandId: string) {
    return this.db.$count(invoices, eq(invoices.brandId, brandId));
  }
  async later(brandId: string) {
    const query = this.db.select().from(ledgerEntries);
    return query.where(eq(ledgerEntries.brand_id, brandId));
  }
`;
      expect(await findingsFor(body)).toEqual([]);
    });

    it("accepts inserts that set brandId: literal key, shorthand, typed parameters, $inferInsert and mapped rows", async () => {
      const prelude = `interface NewEntry { invoiceId: string; brand_id: string }\ntype NewInvoice = typeof invoices.$inferInsert;\n`;
      const body = `  constructor(private readonly db: Db) {}
  a(brandId: string) {
    return this.db.insert(invoices).values({ amountCents: 1, brandId });
  }
  b(values: { amountCents: number; brandId: string }) {
    return this.db.insert(invoices).values(values);
  }
  c(input: NewEntry & { deltaCents: number }) {
    return this.db.insert(ledgerEntries).values({ ...input });
  }
  d(row: NewInvoice) {
    return this.db.insert(invoices).values(row).onConflictDoNothing();
  }
  e(rows: { amountCents: number }[], brandId: string) {
    return this.db.insert(invoices).values(rows.map((r) => ({ ...r, brandId })));
  }
  f(entry: NewEntry) {
    return this.db.insert(ledgerEntries).values([entry, { invoiceId: "x", brand_id: entry.brand_id }]);
  }
`;
      expect(await findingsFor(body, prelude)).toEqual([]);
    });

    it("accepts queries built through variables, generic base repositories over this.table, top-level functions and brand-filtered raw SQL", async () => {
      const prelude = `${BRAND_SCOPED_BASE}export async function purgeBrand(db: Db, brandId: string) {
  return db.delete(invoices).where(eq(invoices.brandId, brandId));
}
`;
      const body = `  constructor(db: Db) {
    super(db, invoices);
  }
  list(brandId: string) {
    return this.findWhere(and(eq(invoices.brandId, brandId), eq(invoices.currency, "USD")));
  }
  search(brandId: string, currency?: string) {
    let q = this.db.select();
    const rows = q.from(invoices);
    const scoped = rows.where(currency ? and(eq(invoices.brandId, brandId), eq(invoices.currency, currency)) : eq(invoices.brandId, brandId));
    return scoped;
  }
  async raw(id: string, brandId: string) {
    await this.db.execute(sql\`DELETE FROM \${invoices} WHERE \${invoices.brandId} = \${brandId} AND id = \${id}\`);
    await this.db.$client.query("UPDATE billing.invoices SET currency = 'EUR' WHERE id = $1 AND brand_id = ANY($2)", [id, [brandId]]);
    return this.db.execute(sql\`SELECT count(*) FROM billing.ledger_entries e JOIN billing.invoices i USING (id) WHERE e.brand_id = \${brandId}\`);
  }
  current() {
    return this.db.select().from(invoices).where(eq(invoices.brandId, requestContext.brandId));
  }
  options(brandId: string) {
    const options = { where: eq(invoices.brandId, brandId), limit: 5 };
    return this.db.query.invoices.findMany(options);
  }
`;
      const files = exampleFiles();
      files[REPO] = `${HEADER}import { requestContext } from "./context";\n${prelude}export class LedgerRepository extends BrandScoped<typeof invoices> {\n${body}}\n`;
      // A value imported from another file of the service is a value, not a column.
      files["services/billing-ledger/src/db/context.ts"] = `export const requestContext = { brandId: "" };\n`;
      expect(describeFindings(await runRule(rule, files))).toEqual([]);
    });

    it("reads insert types inferred from validators in the repository: drizzle-zod createInsertSchema and z.object", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/src/db/validators.ts"] = `import { createInsertSchema } from "drizzle-zod";
import { z } from "zod";
import { invoices, ledgerEntries } from "./schema";
export const newInvoice = createInsertSchema(invoices, { amountCents: (s) => s.positive() });
export const newEntry = z.object({ invoiceId: z.string(), brand_id: z.string() }).strict();
export const looseEntry = z.object({ invoiceId: z.string() }).extend({ deltaCents: z.number() });
`;
      files[REPO] = `${HEADER}import type { z } from "zod";
import { looseEntry, newEntry, newInvoice } from "./validators";
export class LedgerRepository {
  constructor(private readonly db: Db) {}
  a(row: z.infer<typeof newInvoice>) {
    return this.db.insert(invoices).values(row);
  }
  b(row: z.input<typeof newEntry>) {
    return this.db.insert(ledgerEntries).values(row);
  }
  c(row: z.infer<typeof looseEntry>) {
    return this.db.insert(ledgerEntries).values(row);
  }
}
`;
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${REPO}:15:20 error ${ID} \`c\` inserts into \`ledgerEntries\` without setting brandId. Set \`brandId\` in the values passed to \`.values(…)\` so every row belongs to a brand.`,
      ]);
    });
    it("reads insert types through Omit, Pick and Readonly, and zod chains that omit, extend or add OpenAPI metadata", async () => {
      const body = `  a(row: Omit<NewInvoice, "id" | "createdAt">) { return this.db.insert(invoices).values(row); }
  b(row: Pick<NewInvoice, "brandId" | "amountCents">) { return this.db.insert(invoices).values(row); }
  c(row: Readonly<NewInvoice>) { return this.db.insert(invoices).values(row); }
  d(row: z.infer<typeof insertInvoice>) { return this.db.insert(invoices).values(row); }
  e(row: z.infer<typeof rebranded>) { return this.db.insert(invoices).values(row); }
`;
      expect(await findingsWithValidators(body)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports reads, updates and deletes with no where at the query call", async () => {
      const body = `  constructor(private readonly db: Db) {}
  all() {
    return this.db.select().from(invoices).orderBy(invoices.createdAt);
  }
  async closeAll() {
    await this.db
      .update(invoices)
      .set({ currency: "EUR" });
  }
  async purge() {
    await this.db.delete(ledgerEntries).returning();
  }
  everything() {
    return this.db.query.invoices.findMany();
  }
`;
      expect(await findingsFor(body)).toEqual([
        `${REPO}:7:20 error ${ID} \`all\` reads \`invoices\` with no where clause, so it touches every brand's rows. Filter it with \`eq(invoices.brandId, brandId)\` (guide step 3: always filter by brand_id).`,
        `${REPO}:11:8 error ${ID} \`closeAll\` updates \`invoices\` with no where clause, so it touches every brand's rows. Filter it with \`eq(invoices.brandId, brandId)\` (guide step 3: always filter by brand_id).`,
        `${REPO}:15:19 error ${ID} \`purge\` deletes from \`ledgerEntries\` with no where clause, so it touches every brand's rows. Filter it with \`eq(ledgerEntries.brandId, brandId)\` (guide step 3: always filter by brand_id).`,
        `${REPO}:18:35 error ${ID} \`everything\` reads \`query.invoices\` with no where clause, so it touches every brand's rows. Filter it with \`eq(invoices.brandId, brandId)\` (guide step 3: always filter by brand_id).`,
      ]);
    });

    it("reports wheres that do not filter by brand id: other columns only, or(...) with one brand branch, a helper builder's caller", async () => {
      const body = `  constructor(private readonly db: Db) {}
  byId(id: string) {
    return this.db.select().from(invoices).where(eq(invoices.id, id));
  }
  async loose(id: string, brandId: string) {
    await this.db.delete(invoices).where(or(eq(invoices.id, id), eq(invoices.brandId, brandId)));
  }
  first(id: string) {
    return this.db.query.ledgerEntries.findFirst({ where: (t, { eq }) => eq(t.id, id) });
  }
  private base() {
    return this.db.select().from(invoices);
  }
  forInvoice(id: string) {
    return this.base().where(eq(invoices.id, id));
  }
`;
      expect(await findingsFor(body)).toEqual([
        `${REPO}:7:20 error ${ID} \`byId\` reads \`invoices\` without filtering by brand id. Add \`eq(invoices.brandId, brandId)\` to its where, inside \`and(…)\` with the other conditions (guide step 3: always filter by brand_id).`,
        `${REPO}:10:19 error ${ID} \`loose\` deletes from \`invoices\` without filtering by brand id. Add \`eq(invoices.brandId, brandId)\` to its where, inside \`and(…)\` with the other conditions (guide step 3: always filter by brand_id).`,
        `${REPO}:13:40 error ${ID} \`first\` reads \`query.ledgerEntries\` without filtering by brand id. Add \`eq(ledgerEntries.brandId, brandId)\` to its where, inside \`and(…)\` with the other conditions (guide step 3: always filter by brand_id).`,
        `${REPO}:19:17 error ${ID} \`forInvoice\` reads \`invoices\` without filtering by brand id. Add \`eq(invoices.brandId, brandId)\` to its where, inside \`and(…)\` with the other conditions (guide step 3: always filter by brand_id).`,
      ]);
    });

    it("reports queries built through variables, base-repository filters passed by callers, top-level functions, raw SQL and tautological brand filters", async () => {
      const prelude = `${BRAND_SCOPED_BASE}export function listAll(db: Db) {
  return db.select().from(invoices);
}
`;
      const body = `  constructor(db: Db) {
    super(db, invoices);
  }
  byId(id: string) {
    return this.findWhere(eq(invoices.id, id));
  }
  search(currency: string) {
    let q = this.db.select();
    const rows = q.from(invoices);
    return rows.where(eq(invoices.currency, currency));
  }
  same() {
    return this.db.update(invoices).set({ currency: "EUR" }).where(eq(invoices.brandId, invoices.brandId));
  }
  async raw(id: string) {
    await this.db.execute(sql\`DELETE FROM \${invoices} WHERE id = \${id}\`);
    await this.db.$client.query("DELETE FROM billing.invoices WHERE brand_id = brand_id");
    await this.db.execute(sql\`INSERT INTO billing.invoices (id, amount_cents) VALUES (\${id}, 1)\`);
  }
`;
      const files = exampleFiles();
      files[REPO] = `${HEADER}${prelude}export class LedgerRepository extends BrandScoped<typeof invoices> {\n${body}}\n`;
      const noFilter = (at: string, method: string, verb: string, table: string) =>
        `${REPO}:${at} error ${ID} \`${method}\` ${verb} \`${table}\` without filtering by brand id. Add \`eq(${table}.brandId, brandId)\` to its where, inside \`and(…)\` with the other conditions (guide step 3: always filter by brand_id).`;
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${REPO}:12:13 error ${ID} \`listAll\` reads \`invoices\` with no where clause, so it touches every brand's rows. Filter it with \`eq(invoices.brandId, brandId)\` (guide step 3: always filter by brand_id).`,
        noFilter("19:17", "byId", "reads", "this.table"),
        noFilter("23:20", "search", "reads", "invoices"),
        noFilter("27:20", "same", "updates", "invoices"),
        `${REPO}:30:19 error ${ID} \`raw\` runs raw SQL that deletes from \`billing.invoices\` without filtering by brand_id (\`DELETE FROM "billing"."invoices" WHERE id = $1\`). Add \`brand_id = \${brandId}\` to its WHERE, with AND (guide step 3: always filter by brand_id).`,
        `${REPO}:31:27 error ${ID} \`raw\` runs raw SQL that deletes from \`billing.invoices\` without filtering by brand_id (\`DELETE FROM billing.invoices WHERE brand_id = brand_id\`). Add \`brand_id = \${brandId}\` to its WHERE, with AND (guide step 3: always filter by brand_id).`,
        `${REPO}:32:19 error ${ID} \`raw\` runs raw SQL that inserts into \`billing.invoices\` without setting brand_id (\`INSERT INTO billing.invoices (id, amount_cents) VALUES ($1, 1)\`). Set brand_id in the column list (guide step 3: always filter by brand_id).`,
      ]);
    });

    it("checks a base repository declared outside the repository files, with each subclass call's filter", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/src/db/base.ts"] = `import type { SQL } from "drizzle-orm";
import type { Db } from "./client";
export abstract class BaseRepository<T> {
  constructor(protected readonly db: Db, protected readonly table: T) {}
  protected findWhere(where: SQL) {
    return this.db.select().from(this.table).where(where);
  }
  findAll() {
    return this.db.select().from(this.table);
  }
}
`;
      files[REPO] = `${HEADER}import { BaseRepository } from "./base";
export class LedgerRepository extends BaseRepository<typeof invoices> {
  constructor(db: Db) {
    super(db, invoices);
  }
  scoped(brandId: string) {
    return this.findWhere(eq(invoices.brandId, brandId));
  }
  byId(id: string) {
    return this.findWhere(eq(invoices.id, id));
  }
}
`;
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `services/billing-ledger/src/db/base.ts:9:20 error ${ID} \`findAll\` reads \`this.table\` with no where clause, so it touches every brand's rows. Filter it with \`eq(this.table.brandId, brandId)\` (guide step 3: always filter by brand_id).`,
        `${REPO}:13:17 error ${ID} \`byId\` reads \`this.table\` without filtering by brand id. Add \`eq(this.table.brandId, brandId)\` to its where, inside \`and(…)\` with the other conditions (guide step 3: always filter by brand_id).`,
      ]);
    });

    it("reports inserts that do not set brandId", async () => {
      const body = `  constructor(private readonly db: Db) {}
  a(amountCents: number) {
    return this.db.insert(invoices).values({ amountCents });
  }
  b(values: { invoiceId: string; deltaCents: number }) {
    return this.db.insert(ledgerEntries).values(values);
  }
`;
      expect(await findingsFor(body)).toEqual([
        `${REPO}:7:20 error ${ID} \`a\` inserts into \`invoices\` without setting brandId. Set \`brandId\` in the values passed to \`.values(…)\` so every row belongs to a brand.`,
        `${REPO}:10:20 error ${ID} \`b\` inserts into \`ledgerEntries\` without setting brandId. Set \`brandId\` in the values passed to \`.values(…)\` so every row belongs to a brand.`,
      ]);
    });

    it("reports inserts typed without brandId (Omit of it, a Pick without it, zod .omit/.pick) and warns where it is optional (Partial, .partial())", async () => {
      const body = `  a(row: Omit<NewInvoice, "brandId">) { return this.db.insert(invoices).values(row); }
  b(row: Pick<NewInvoice, "amountCents">) { return this.db.insert(invoices).values(row); }
  c(row: z.infer<typeof withoutBrand>) { return this.db.insert(invoices).values(row); }
  d(row: z.infer<typeof amountOnly>) { return this.db.insert(invoices).values(row); }
  e(row: Partial<NewInvoice>) { return this.db.insert(invoices).values(row); }
  f(row: z.infer<typeof draft>) { return this.db.insert(invoices).values(row); }
`;
      const missing = (method: string, line: number, column: number) =>
        `${REPO}:${line}:${column} error ${ID} \`${method}\` inserts into \`invoices\` without setting brandId. Set \`brandId\` in the values passed to \`.values(…)\` so every row belongs to a brand.`;
      const optional = (method: string, line: number, column: number, type: string) =>
        `${REPO}:${line}:${column} warning ${ID} \`${method}\` inserts into \`invoices\` values from \`${type}\` (brandId is optional there), and platform-checks cannot tell whether they set brandId. Set \`brandId\` explicitly in \`.values({ …, brandId })\` or type the parameter with a brandId field.`;
      expect(await findingsWithValidators(body)).toEqual([
        missing("a", 9, 56),
        missing("b", 10, 60),
        missing("c", 11, 57),
        missing("d", 12, 55),
        optional("e", 13, 48, "Partial<NewInvoice>"),
        optional("f", 14, 50, "z.infer<typeof draft>"),
      ]);
    });

    it("warns where it cannot decide: a where nothing in the repository passes, an untyped or imported insert type, SQL from outside", async () => {
      const prelude = `import type { NewInvoice } from "@platform/billing-types";\n`;
      const body = `  constructor(private readonly db: Db) {}
  raw(brandId: string) {
    return this.db.execute(sql\`select * from billing.invoices where brand_id = \${brandId}\`);
  }
  filtered(where: ReturnType<typeof eq>) {
    return this.db.select().from(invoices).where(where);
  }
  a(row: NewInvoice) {
    return this.db.insert(invoices).values(row);
  }
  b(row: any) {
    return this.db.insert(invoices).values({ ...row.data });
  }
  dynamic() {
    return this.db.select().from(invoices).$dynamic();
  }
  fromEnv() {
    return this.db.$client.query(process.env.CLEANUP_SQL!);
  }
`;
      expect(await findingsFor(body, prelude)).toEqual([
        `${REPO}:11:20 warning ${ID} \`filtered\` reads \`invoices\` with a filter built from \`where\`, a parameter of \`filtered\` that no repository code passes, which platform-checks cannot read statically. Put \`eq(invoices.brandId, brandId)\` directly in the where so the brand filter is visible.`,
        `${REPO}:14:20 warning ${ID} \`a\` inserts into \`invoices\` values from the type \`NewInvoice\` (imported from "@platform/billing-types"), and platform-checks cannot tell whether they set brandId. Set \`brandId\` explicitly in \`.values({ …, brandId })\` or type the parameter with a brandId field.`,
        `${REPO}:17:20 warning ${ID} \`b\` inserts into \`invoices\` values from \`row.data\`, and platform-checks cannot tell whether they set brandId. Set \`brandId\` explicitly in \`.values({ …, brandId })\` or type the parameter with a brandId field.`,
        `${REPO}:20:20 warning ${ID} \`dynamic\` reads \`invoices\` with a filter built from a dynamic query (\`$dynamic()\`), which platform-checks cannot read statically. Put \`eq(invoices.brandId, brandId)\` directly in the where so the brand filter is visible.`,
        `${REPO}:23:28 warning ${ID} \`fromEnv\` runs SQL built from \`process.env.CLEANUP_SQL\` (read at run time), which platform-checks cannot read statically. Use the query builder with \`eq(table.brandId, brandId)\`, or a \`sql\` template whose WHERE filters on brand_id.`,
      ]);
    });
  });

  describe("condition lists and table helpers, as real Drizzle code builds them", () => {
    const prelude = `import type { SQL } from "drizzle-orm";
function byBrand(table: { brandId: unknown }, brandId: string) {
  return eq(table.brandId, brandId);
}
function byId(table: { id: unknown }, id: string) {
  return eq(table.id, id);
}
`;

    it("accepts a brand condition pushed onto a list, a helper given the table, and a literal list filtered with Boolean", async () => {
      const body = `  constructor(private readonly db: Db) {}
  search(brandId: string, currency?: string) {
    const conditions: SQL[] = [];
    conditions.push(eq(invoices.brandId, brandId));
    if (currency) conditions.push(eq(invoices.currency, currency));
    return this.db.select().from(invoices).where(and(...conditions));
  }
  scoped(brandId: string) {
    return this.db.update(invoices).set({ currency: "EUR" }).where(and(byBrand(invoices, brandId), eq(invoices.currency, "USD")));
  }
  built(brandId: string, currency?: string) {
    return this.db.select().from(invoices).where(and(...this.conditions(brandId, currency)));
  }
  private conditions(brandId: string, currency?: string): SQL[] {
    const list = [eq(invoices.brandId, brandId)];
    if (currency) list.push(eq(invoices.currency, currency));
    return list;
  }
  some(brandId: string, id?: string) {
    const where = [eq(invoices.brandId, brandId), id ? eq(invoices.id, id) : undefined].filter(Boolean) as SQL[];
    return this.db.delete(invoices).where(and(...where));
  }
`;
      expect(await findingsFor(body, prelude)).toEqual([]);
    });

    it("reports a brand condition pushed only under a condition, pushes without one, and a table helper comparing another column", async () => {
      const body = `  constructor(private readonly db: Db) {}
  search(brandId?: string) {
    const conditions: SQL[] = [];
    if (brandId) conditions.push(eq(invoices.brandId, brandId));
    return this.db.select().from(invoices).where(and(...conditions));
  }
  byCurrency(currency: string) {
    const conditions = [eq(invoices.currency, currency)];
    conditions.push(eq(invoices.amountCents, 1));
    return this.db.select().from(invoices).where(and(...conditions));
  }
  one(id: string) {
    return this.db.select().from(invoices).where(byId(invoices, id));
  }
  built(currency: string) {
    return this.db.select().from(invoices).where(and(...this.conditions(currency)));
  }
  private conditions(currency: string) {
    return [eq(invoices.currency, currency)];
  }
`;
      const noFilter = (line: number, method: string) =>
        `${REPO}:${line}:20 error ${ID} \`${method}\` reads \`invoices\` without filtering by brand id. Add \`eq(invoices.brandId, brandId)\` to its where, inside \`and(…)\` with the other conditions (guide step 3: always filter by brand_id).`;
      expect(await findingsFor(body, prelude)).toEqual([
        `${REPO}:16:20 warning ${ID} \`search\` reads \`invoices\` with a filter built from \`conditions.push(eq(invoices.brandId, brandId))\`, run only under a condition, which platform-checks cannot read statically. Put \`eq(invoices.brandId, brandId)\` directly in the where so the brand filter is visible.`,
        noFilter(21, "byCurrency"),
        noFilter(24, "one"),
        noFilter(27, "built"),
      ]);
    });
  });

  it("reads tables held in class fields and aliases: a base class's `entity: T` (T extends PgTable), the schema namespace in a field, alias(t, \"a\")", async () => {
    const prelude = `import { alias, type PgTable } from "drizzle-orm/pg-core";
import * as schema from "./schema";
abstract class Base<T extends PgTable> {
  constructor(protected readonly db: Db, protected readonly entity: T) {}
}
export class InvoiceStore extends Base<typeof invoices> {
  constructor(db: Db, private readonly context: { brandId: string }) {
    super(db, invoices);
  }
  list() {
    return this.db.select().from(this.entity).where(eq(this.entity.brandId, this.context.brandId));
  }
  byId(id: string) {
    return this.db.select().from(this.entity).where(eq(this.entity.id, id));
  }
}
`;
    const body = `  private readonly schema = schema;
  constructor(private readonly db: Db) {}
  viaNamespace(brandId: string) {
    return this.db.select().from(this.schema.invoices).where(eq(this.schema.invoices.brandId, brandId));
  }
  viaAlias(brandId: string) {
    const other = alias(invoices, "other");
    return this.db.select().from(other).where(eq(other.brandId, brandId));
  }
  columnAgainstColumn(id: string) {
    const other = alias(invoices, "other");
    return this.db.select().from(other).where(and(eq(other.id, id), eq(other.brandId, this.schema.invoices.brandId)));
  }
`;
    const noFilter = (line: number, method: string, table: string) =>
      `${REPO}:${line}:20 error ${ID} \`${method}\` reads \`${table}\` without filtering by brand id. Add \`eq(${table}.brandId, brandId)\` to its where, inside \`and(…)\` with the other conditions (guide step 3: always filter by brand_id).`;
    expect(await findingsFor(body, prelude)).toEqual([noFilter(17, "byId", "this.entity"), noFilter(32, "columnAgainstColumn", "other")]);
  });

  it("reads tables declared outside src/db/schema.ts (a tables file the repository imports): their brand filter counts, and a missing one is still an error", async () => {
    const files = exampleFiles();
    files["services/billing-ledger/src/db/tables.ts"] = `import { pgTable, text, uuid } from "drizzle-orm/pg-core";
export const archives = pgTable("archives", { id: uuid().primaryKey(), brandId: text("brand_id").notNull() }).enableRLS();
`;
    files[REPO] = `import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { archives } from "./tables";
export class LedgerRepository {
  constructor(private readonly db: Db) {}
  list(brandId: string) {
    return this.db.select().from(archives).where(eq(archives.brandId, brandId));
  }
  byId(id: string) {
    return this.db.select().from(archives).where(eq(archives.id, id));
  }
}
`;
    expect(describeFindings(await runRule(rule, files))).toEqual([
      `${REPO}:10:20 error ${ID} \`byId\` reads \`archives\` without filtering by brand id. Add \`eq(archives.brandId, brandId)\` to its where, inside \`and(…)\` with the other conditions (guide step 3: always filter by brand_id).`,
    ]);
  });

  it("reads insert types through the schema namespace (typeof schema.invoices.$inferInsert) and DTO classes (fields, parameter properties)", async () => {
    const prelude = `import type { InferInsertModel } from "drizzle-orm";
import * as schema from "./schema";
class CreateInvoiceDto {
  brandId!: string;
  amountCents!: number;
}
class EntryDto {
  constructor(public readonly brand_id: string, public readonly invoiceId: string) {}
}
class NoteDto {
  amountCents?: number;
}
class DraftDto extends NoteDto {}
`;
    const body = `  constructor(private readonly db: Db) {}
  a(input: typeof schema.invoices.$inferInsert) {
    return this.db.insert(schema.invoices).values(input);
  }
  b(input: InferInsertModel<typeof schema.invoices>[]) {
    return this.db.insert(invoices).values(input);
  }
  c(dto: CreateInvoiceDto) {
    return this.db.insert(invoices).values({ ...dto });
  }
  d(dto: EntryDto) {
    return this.db.insert(ledgerEntries).values(dto);
  }
  e(dto: NoteDto) {
    return this.db.insert(invoices).values(dto);
  }
  f(dto: DraftDto) {
    return this.db.insert(invoices).values(dto);
  }
`;
    expect(await findingsFor(body, prelude)).toEqual([
      `${REPO}:32:20 error ${ID} \`e\` inserts into \`invoices\` without setting brandId. Set \`brandId\` in the values passed to \`.values(…)\` so every row belongs to a brand.`,
      `${REPO}:35:20 warning ${ID} \`f\` inserts into \`invoices\` values from the type \`DraftDto\` (it extends \`NoteDto\`), and platform-checks cannot tell whether they set brandId. Set \`brandId\` explicitly in \`.values({ …, brandId })\` or type the parameter with a brandId field.`,
    ]);
  });

  it("follows a dynamic query into the repository helper that adds its where (qb.where(…) on the helper's parameter), with the call's arguments", async () => {
    const prelude = `import type { PgSelect } from "drizzle-orm/pg-core";
function scoped<T extends PgSelect>(qb: T, table: { brandId: unknown }, brandId: string) {
  return qb.where(eq(table.brandId, brandId));
}
function byId<T extends PgSelect>(qb: T, id: string) {
  return qb.where(eq(invoices.id, id));
}
`;
    const body = `  constructor(private readonly db: Db) {}
  list(brandId: string) {
    return scoped(this.db.select().from(invoices).$dynamic(), invoices, brandId);
  }
  list2(brandId: string) {
    const q = this.db.select().from(invoices).$dynamic();
    return scoped(q, invoices, brandId).limit(5);
  }
  one(id: string) {
    return byId(this.db.select().from(invoices).$dynamic(), id);
  }
`;
    expect(await findingsFor(body, prelude)).toEqual([
      `${REPO}:21:25 error ${ID} \`one\` reads \`invoices\` without filtering by brand id. Add \`eq(invoices.brandId, brandId)\` to its where, inside \`and(…)\` with the other conditions (guide step 3: always filter by brand_id).`,
    ]);
  });

  it("reads inserted values through mappers in the repository (toRow(input, brandId), entity.toPersistence())", async () => {
    const prelude = `class InvoiceEntity {
  constructor(private readonly props: { brandId: string; amountCents: number }) {}
  toPersistence() {
    return { brandId: this.props.brandId, amountCents: this.props.amountCents };
  }
}
function toRow(input: { amountCents: number }, brandId: string) {
  return { ...input, brandId };
}
function amountOnly(input: { amountCents: number }) {
  return { amountCents: input.amountCents };
}
`;
    const body = `  constructor(private readonly db: Db) {}
  a(input: { amountCents: number }, brandId: string) {
    return this.db.insert(invoices).values(toRow(input, brandId));
  }
  b(entity: InvoiceEntity) {
    return this.db.insert(invoices).values(entity.toPersistence());
  }
  c(input: { amountCents: number }) {
    return this.db.insert(invoices).values(amountOnly(input));
  }
`;
    expect(await findingsFor(body, prelude)).toEqual([
      `${REPO}:25:20 error ${ID} \`c\` inserts into \`invoices\` without setting brandId. Set \`brandId\` in the values passed to \`.values(…)\` so every row belongs to a brand.`,
    ]);
  });

  it("checks repositories in folders under src/ too (src/db/repositories/, src/modules/…), not only directly in src/db", async () => {
    const files = exampleFiles();
    const nested = "services/billing-ledger/src/db/repositories/archive.repository.ts";
    files[nested] = `import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { invoices } from "../schema";
export class ArchiveRepository {
  constructor(private readonly db: Db) {}
  list(brandId: string) {
    return this.db.select().from(invoices).where(eq(invoices.brandId, brandId));
  }
  purge(id: string) {
    return this.db.delete(invoices).where(eq(invoices.id, id));
  }
}
`;
    files["services/billing-ledger/src/db/repositories/archive.repository.test.ts"] = `export {};\n`;
    expect(describeFindings(await runRule(rule, files))).toEqual([
      `${nested}:10:20 error ${ID} \`purge\` deletes from \`invoices\` without filtering by brand id. Add \`eq(invoices.brandId, brandId)\` to its where, inside \`and(…)\` with the other conditions (guide step 3: always filter by brand_id).`,
    ]);
  });

  it("reads the type an inserted value is asserted or declared with (as, satisfies, an annotation, destructuring from an asserted object)", async () => {
    const prelude = `type NewInvoice = typeof invoices.$inferInsert;
type Draft = { amountCents: number };
`;
    const body = `  constructor(private readonly db: Db) {}
  a(body: unknown) {
    return this.db.insert(invoices).values(body as NewInvoice);
  }
  b(result: unknown) {
    const { params: data } = result as { params: NewInvoice };
    return this.db.insert(invoices).values(data);
  }
  c(parsed: unknown) {
    const row: NewInvoice = JSON.parse(String(parsed));
    return this.db.insert(invoices).values(row);
  }
  d(body: unknown) {
    const draft = body as Draft;
    return this.db.insert(invoices).values(draft);
  }
`;
    expect(await findingsFor(body, prelude)).toEqual([
      `${REPO}:21:20 error ${ID} \`d\` inserts into \`invoices\` without setting brandId. Set \`brandId\` in the values passed to \`.values(…)\` so every row belongs to a brand.`,
    ]);
  });

  it("a broken copy of the example yields one finding per break, at the right file and line", async () => {
    const report = await runAllOnExample((files) => {
      edit(files, "services/billing-ledger/src/db/invoice.repository.ts", ".where(eq(invoices.brandId, brandId))", "");
      edit(files, "services/notifications/src/db/delivery.repository.ts", "eq(deliveries.brandId, brandId)", "eq(deliveries.status, \"failed\")");
    });
    const lines = describeFindings(report.findings.filter((f) => f.rule === ID)).map((l) => l.split(" ").slice(0, 2).join(" "));
    expect(lines).toEqual(["services/billing-ledger/src/db/invoice.repository.ts:15:26 error", "services/notifications/src/db/delivery.repository.ts:15:26 error"]);
  });
});
