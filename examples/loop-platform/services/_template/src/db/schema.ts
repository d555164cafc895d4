import { pgSchema, text, uuid } from "drizzle-orm/pg-core";

export const schema = pgSchema("<your_schema>");

export const examples = schema.table("examples", {
  id: uuid("id").primaryKey().defaultRandom(),
  brandId: text("brand_id").notNull(),
});
