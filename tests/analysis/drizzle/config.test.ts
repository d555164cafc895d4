import { describe, expect, it } from "vitest";
import { matchesSchemaEntry } from "../../../src/analysis/drizzle/config.js";

describe("drizzle.config.ts schema entries", () => {
  it("matches a file, a folder's files, and globs with * and **", () => {
    expect(matchesSchemaEntry("src/db/tables.ts", "src/db/tables.ts")).toBe(true);
    expect(matchesSchemaEntry("src/db/tables.ts", "src/db/tables.ts.bak")).toBe(false);
    expect(matchesSchemaEntry("src/db/tables", "src/db/tables/audit.ts")).toBe(true);
    expect(matchesSchemaEntry("src/db/tables", "src/db/tables-old/audit.ts")).toBe(false);
    expect(matchesSchemaEntry("src/db/tables/*.ts", "src/db/tables/audit.ts")).toBe(true);
    expect(matchesSchemaEntry("src/db/tables/*.ts", "src/db/tables/nested/audit.ts")).toBe(false);
    expect(matchesSchemaEntry("src/db/tables/*", "src/db/tables/audit.ts")).toBe(true);
    expect(matchesSchemaEntry("src/**/schema.ts", "src/schema.ts")).toBe(true);
    expect(matchesSchemaEntry("src/**/schema.ts", "src/modules/billing/schema.ts")).toBe(true);
    expect(matchesSchemaEntry("src/**/schema.ts", "src/modules/billing/schema.tsx")).toBe(false);
    expect(matchesSchemaEntry("src/db/*.schema.ts", "src/db/invoice.schema.ts")).toBe(true);
    expect(matchesSchemaEntry("src/db/*.schema.ts", "src/db/invoiceXschema.ts")).toBe(false);
  });
});
