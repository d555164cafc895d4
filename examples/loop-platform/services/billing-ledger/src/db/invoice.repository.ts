import { and, desc, eq } from "drizzle-orm";
import type { Db } from "./client";
import { invoices } from "./schema";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export class InvoiceRepository {
  constructor(private readonly database: Db) {}

  db(): Db {
    return this.database;
  }

  listByBrand(brandId: string) {
    return this.database.select().from(invoices).where(eq(invoices.brandId, brandId)).orderBy(desc(invoices.createdAt));
  }

  findById(id: string, brandId: string) {
    return this.database.query.invoices.findFirst({
      where: and(eq(invoices.id, id), eq(invoices.brandId, brandId)),
    });
  }

  async create(values: { amountCents: number; brandId: string }, tx: Tx) {
    const [row] = await tx.insert(invoices).values({ amountCents: values.amountCents, brandId: values.brandId }).returning();
    return row!;
  }
}
