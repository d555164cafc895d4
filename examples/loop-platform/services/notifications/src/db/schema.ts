import * as pg from "drizzle-orm/pg-core";

export const notificationsSchema = pg.pgSchema("notifications");

export const deliveries = notificationsSchema.table("deliveries", {
  id: pg.uuid("id").primaryKey().defaultRandom(),
  brandId: pg.text("brand_id").notNull(),
  template: pg.text("template").notNull(),
  recipient: pg.text("recipient").notNull(),
  status: pg.text("status").notNull().default("pending"),
});
