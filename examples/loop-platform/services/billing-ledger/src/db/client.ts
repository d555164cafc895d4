import { drizzle } from "drizzle-orm/node-postgres";
import * as schema from "./schema";

/** `schema` enables relational queries (`db.query.invoices.findFirst(…)`). */
export const db = drizzle(process.env.DATABASE_URL!, { schema });
export type Db = typeof db;
