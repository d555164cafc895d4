import { index, integer, pgSchema, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const billing = pgSchema("billing");

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
};

/** Columns every billing table carries. */
const brandScoped = {
  brandId: text("brand_id").notNull(),
  ...timestamps,
};

export const invoices = billing.table(
  "invoices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ...brandScoped,
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull().default("USD"),
  },
  (table) => [index("invoices_brand_idx").on(table.brandId)],
);

export const ledgerEntries = billing.table(
  "ledger_entries",
  (t) => ({
    id: t.uuid().primaryKey().defaultRandom(),
    brand_id: t.text().notNull(),
    invoiceId: t.uuid("invoice_id").notNull(),
    deltaCents: t.integer("delta_cents").notNull(),
  }),
  (table) => [index("ledger_entries_brand_idx").on(table.brand_id)],
);
