import { repositoryQueries, type QueryFinding } from "../analysis/drizzle/repository-queries.js";
import { locationOf } from "../analysis/ts/location.js";
import { defineServiceRule, type Report } from "../engine/rule.js";

const messages = {
  noWhere:
    "`{{method}}` {{verb}} `{{table}}` with no where clause, so it touches every brand's rows. Filter it with `eq({{column}}, brandId)` (guide step 3: always filter by brand_id).",
  noBrandFilter:
    "`{{method}}` {{verb}} `{{table}}` without filtering by brand id. Add `eq({{column}}, brandId)` to its where, inside `and(…)` with the other conditions (guide step 3: always filter by brand_id).",
  undecidable:
    "`{{method}}` {{verb}} `{{table}}` with a filter built from {{construct}}, which platform-checks cannot read statically. Put `eq({{column}}, brandId)` directly in the where so the brand filter is visible.",
  insertWithoutBrand:
    "`{{method}}` inserts into `{{table}}` without setting brandId. Set `brandId` in the values passed to `.values(…)` so every row belongs to a brand.",
  insertUndecidable:
    "`{{method}}` inserts into `{{table}}` values from {{construct}}, and platform-checks cannot tell whether they set brandId. Set `brandId` explicitly in `.values({ …, brandId })` or type the parameter with a brandId field.",
  rawWithoutBrand:
    "`{{method}}` runs raw SQL that {{verb}} `{{table}}` without {{what}} brand_id (`{{excerpt}}`). {{fix}} (guide step 3: always filter by brand_id).",
  rawUndecidable:
    "`{{method}}` runs {{construct}}, which platform-checks cannot read statically. Use the query builder with `eq(table.brandId, brandId)`, or a `sql` template whose WHERE filters on brand_id.",
};

export default defineServiceRule({
  meta: {
    id: "repository-brand-filter",
    defaultSeverity: "error",
    title: "Repository reads, updates and deletes filter by brand id; inserts set it",
    messages,
  },
  async check(ctx, report) {
    // A filter passed to a base repository is reported at the call that passes it, in that file.
    for (const finding of await repositoryQueries(ctx)) report({ ...toReport(finding), ...locationOf(finding.node) });
  },
});

function toReport(f: QueryFinding): Omit<Report<typeof messages>, "path"> {
  switch (f.kind) {
    case "noWhere":
    case "noBrandFilter":
      return { messageId: f.kind, data: { method: f.method, verb: f.verb, table: f.table, column: f.column } };
    case "undecidable":
      return { messageId: f.kind, severity: "warning" as const, data: { method: f.method, verb: f.verb, table: f.table, column: f.column, construct: f.construct } };
    case "insertWithoutBrand":
      return { messageId: f.kind, data: { method: f.method, table: f.table } };
    case "insertUndecidable":
      return { messageId: f.kind, severity: "warning" as const, data: { method: f.method, table: f.table, construct: f.construct } };
    case "rawWithoutBrand": {
      const insert = f.verb === "inserts into";
      const fix = insert ? "Set brand_id in the column list" : "Add `brand_id = ${brandId}` to its WHERE, with AND";
      return { messageId: f.kind, data: { method: f.method, verb: f.verb, table: f.table, what: insert ? "setting" : "filtering by", excerpt: f.excerpt, fix } };
    }
    case "rawUndecidable":
      return { messageId: f.kind, severity: "warning" as const, data: { method: f.method, construct: f.construct } };
  }
}
