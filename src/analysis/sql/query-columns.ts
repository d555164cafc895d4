import type { Node, RangeVar } from "libpg-query";
import { namesOf, writtenName } from "./pg-nodes.js";

export interface QueryColumns {
  /** The output column names the replay can tell. */
  columns: string[];
  /** What it could not expand (`*` over a join or an unknown table), as written; `undefined` when every column is known. */
  unexpanded: string | undefined;
}

/**
 * The column names a query produces, as `CREATE TABLE … AS` would name them:
 * an alias, else a column reference's last name; `*` expands to the columns of
 * the single table the query reads, when that table is known.
 */
export function queryColumns(query: Node | undefined, columnsOf: (table: RangeVar) => ReadonlySet<string> | undefined): QueryColumns {
  const result: QueryColumns = { columns: [], unexpanded: undefined };
  if (!query || !("SelectStmt" in query)) return { columns: [], unexpanded: "a query that is not a SELECT" };
  let select = query.SelectStmt;
  // UNION / INTERSECT / EXCEPT take their column names from the first branch.
  while (select.op && select.op !== "SETOP_NONE" && select.larg) select = select.larg;
  if (select.valuesLists?.length) {
    const first = select.valuesLists[0]!;
    const width = "List" in first ? (first.List.items?.length ?? 0) : 0;
    for (let i = 1; i <= width; i++) result.columns.push(`column${i}`);
    return result;
  }
  const from = select.fromClause ?? [];
  const single = from.length === 1 && from[0] && "RangeVar" in from[0] ? from[0].RangeVar : undefined;
  for (const target of select.targetList ?? []) {
    if (!("ResTarget" in target)) continue;
    const { name, val } = target.ResTarget;
    if (name) {
      result.columns.push(name);
      continue;
    }
    if (val && "ColumnRef" in val) {
      const fields = val.ColumnRef.fields ?? [];
      const last = fields[fields.length - 1];
      if (last && "A_Star" in last) {
        const known = single ? columnsOf(single) : undefined;
        if (known) result.columns.push(...known);
        else result.unexpanded ??= single ? `\`*\` from \`${writtenName(single)}\`, which these migrations do not create` : "`*` over several tables";
        continue;
      }
      const column = namesOf(fields).pop();
      if (column) result.columns.push(column);
    }
    // Other expressions get a generated name (`?column?`, the function's name): never brand_id.
  }
  return result;
}
