import { and, eq } from "drizzle-orm";
import type { Db } from "./client";
import { deliveries } from "./schema";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export class DeliveryRepository {
  constructor(private readonly database: Db) {}

  db(): Db {
    return this.database;
  }

  list(brandId: string) {
    return this.database.select().from(deliveries).where(eq(deliveries.brandId, brandId));
  }

  async insert(values: { template: string; recipient: string; brandId: string }, tx: Tx) {
    const [row] = await tx.insert(deliveries).values(values).returning();
    return row!;
  }

  async markPending(id: string, brandId: string) {
    await this.database
      .update(deliveries)
      .set({ status: "pending" })
      .where(and(eq(deliveries.id, id), eq(deliveries.brandId, brandId)));
  }
}
