import { drizzleSchema, isBrandIdColumn, type DrizzleTable } from "../analysis/drizzle/schema.js";
import { nodePosition } from "../analysis/ts/location.js";
import { migrationReplay } from "../analysis/sql/migration-replay.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "migration-brand-id-required",
    defaultSeverity: "error",
    title: "Every table has a brand_id column, in schema.ts and after the SQL migrations",
    messages: {
      tableMissing:
        'Table {{table}} has no brand_id column. Every table needs one (guide step 3): add `brandId: text("brand_id").notNull()` to its columns.',
      tableUndecidable:
        'Table {{table}} has no brand_id column that platform-checks can see, and its columns include {{construct}} ({{where}}), which cannot be read statically. Declare `brandId: text("brand_id")` in the table, or make sure {{construct}} provides it.',
      migrationMissing:
        'After the migrations in {{folder}}/, table {{table}} has no brand_id column (this CREATE TABLE has none and no later migration adds it). Add `"brand_id" text NOT NULL` here, or in a new migration with `ALTER TABLE … ADD COLUMN "brand_id" text NOT NULL`.',
      migrationLost:
        "This statement {{how}} of table {{table}}, and no later migration adds brand_id back. Every table needs brand_id (guide step 3): drop this change or add the column again in a new migration.",
      migrationUndecidable:
        "Table {{table}} takes its columns from {{source}}, which the migrations in {{folder}}/ do not define, so platform-checks cannot tell whether it has brand_id. Declare `brand_id` in this CREATE TABLE.",
      migrationUnfollowed:
        "Table {{table}} takes its columns from {{source}}, which platform-checks cannot expand, so it cannot tell whether the table has brand_id. Name the columns (`CREATE TABLE … (id, brand_id, …) AS …`) or select them by name.",
      unfollowable:
        "This statement {{description}}; platform-checks cannot follow that to tell whether every table keeps brand_id (guide step 3). Write the change as plain ALTER TABLE / CREATE TABLE statements in the migration.",
      unreadStatement:
        "{{file}}: PostgreSQL's parser rejects this statement (`{{excerpt}}`: {{reason}}), so the migration would fail here and platform-checks cannot tell how it changes tables. Fix the SQL.",
    },
  },
  async check(ctx, report) {
    const schema = await drizzleSchema(ctx);
    for (const table of schema?.tables ?? []) {
      if (table.columns.some(isBrandIdColumn)) continue;
      const at = { path: table.path, ...nodePosition(table.call) };
      const unknown = table.undecidable[0];
      if (unknown) {
        const where = unknown.path === table.path ? `line ${unknown.line}` : `${unknown.path} line ${unknown.line}`;
        report({ messageId: "tableUndecidable", severity: "warning", data: { table: tableLabel(table), construct: unknown.construct, where }, ...at });
      } else {
        report({ messageId: "tableMissing", data: { table: tableLabel(table) }, ...at });
      }
    }

    const replay = await migrationReplay(ctx);
    for (const statement of replay.unread) {
      const file = statement.path.slice(ctx.service.dir.length + 1);
      report({ messageId: "unreadStatement", data: { file, excerpt: statement.excerpt, reason: statement.reason }, path: statement.path, line: statement.line, column: statement.column });
    }
    for (const { description, ...at } of replay.unfollowable) report({ messageId: "unfollowable", data: { description }, ...at });
    for (const table of replay.tables.values()) {
      if (table.columns.has("brand_id")) continue;
      const name = `\`${table.qualifiedName}\``;
      if (table.brandIdLostAt) {
        const { how, ...at } = table.brandIdLostAt;
        report({ messageId: "migrationLost", data: { table: name, how }, ...at });
      } else if (table.unfollowedColumnsFrom) {
        report({ messageId: "migrationUnfollowed", data: { table: name, source: table.unfollowedColumnsFrom }, ...table.createdAt });
      } else if (table.unknownColumnsFrom) {
        report({ messageId: "migrationUndecidable", severity: "warning", data: { table: name, source: `\`${table.unknownColumnsFrom}\``, folder: replay.folder }, ...table.createdAt });
      } else {
        report({ messageId: "migrationMissing", data: { table: name, folder: replay.folder }, ...table.createdAt });
      }
    }
  },
});

/** `invoices` (billing.invoices): the variable engineers know and the SQL name. */
function tableLabel(table: DrizzleTable): string {
  const sqlName = table.name ? (table.schema ? `${table.schema}.${table.name}` : table.name) : undefined;
  if (table.variable && sqlName) return `\`${table.variable}\` (${sqlName})`;
  return `\`${table.variable ?? sqlName ?? "?"}\``;
}
