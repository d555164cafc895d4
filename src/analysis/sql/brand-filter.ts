import type { Node } from "libpg-query";
import { namesOf, writtenName } from "./pg-nodes.js";
import type { PgParser } from "./pg-parser.js";

const BRAND_ID = "brand_id";

/** What one raw SQL statement does to a table, and whether it stays inside one brand. */
export interface RawStatement {
  verb: "reads" | "updates" | "deletes from" | "inserts into";
  /** The table as written (`billing.invoices`). */
  table: string;
  /** Reads, updates and deletes: the WHERE filters by brand_id. Inserts: brand_id is among the columns set. */
  brandScoped: boolean;
}

export type RawSqlReading = { ok: true; statements: RawStatement[] } | { ok: false; message: string };

/**
 * Reads raw SQL a repository runs (`execute(sql\`…\`)`, `$client.query("…")`)
 * with PostgreSQL's parser. Values interpolated into the SQL are `$n`
 * parameters by then. A brand filter is `brand_id = <value>` or
 * `brand_id IN (…)` / `= ANY(…)` that every row must pass: inside AND, on
 * every side of OR; comparing brand_id with a column (`brand_id = brand_id`)
 * filters nothing.
 */
export function readRawSql(pg: PgParser, sql: string): RawSqlReading {
  const parsed = pg.parse(sql);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const statements: RawStatement[] = [];
  for (const raw of parsed.result.stmts ?? []) if (raw.stmt) statementsIn(raw.stmt, statements);
  return { ok: true, statements };
}

function statementsIn(node: Node, out: RawStatement[]): void {
  if ("SelectStmt" in node) {
    const select = node.SelectStmt;
    if (select.larg) statementsIn({ SelectStmt: select.larg }, out);
    if (select.rarg) statementsIn({ SelectStmt: select.rarg }, out);
    for (const cte of select.withClause?.ctes ?? []) if ("CommonTableExpr" in cte && cte.CommonTableExpr.ctequery) statementsIn(cte.CommonTableExpr.ctequery, out);
    const tables = (select.fromClause ?? []).flatMap(relationsIn);
    if (tables.length) out.push({ verb: "reads", table: tables.join(", "), brandScoped: filtersBrand(select.whereClause) });
    return;
  }
  if ("UpdateStmt" in node && node.UpdateStmt.relation) {
    out.push({ verb: "updates", table: writtenName(node.UpdateStmt.relation), brandScoped: filtersBrand(node.UpdateStmt.whereClause) });
    return;
  }
  if ("DeleteStmt" in node && node.DeleteStmt.relation) {
    out.push({ verb: "deletes from", table: writtenName(node.DeleteStmt.relation), brandScoped: filtersBrand(node.DeleteStmt.whereClause) });
    return;
  }
  if ("InsertStmt" in node && node.InsertStmt.relation) {
    const cols = (node.InsertStmt.cols ?? []).flatMap((c) => ("ResTarget" in c && c.ResTarget.name ? [c.ResTarget.name] : []));
    // Without a column list every column is given, in table order.
    out.push({ verb: "inserts into", table: writtenName(node.InsertStmt.relation), brandScoped: cols.length === 0 || cols.includes(BRAND_ID) });
  }
}

function relationsIn(node: Node): string[] {
  if ("RangeVar" in node) return [writtenName(node.RangeVar)];
  if ("JoinExpr" in node) return [...(node.JoinExpr.larg ? relationsIn(node.JoinExpr.larg) : []), ...(node.JoinExpr.rarg ? relationsIn(node.JoinExpr.rarg) : [])];
  return [];
}

/** Whether every row a WHERE lets through has one given brand_id. */
function filtersBrand(where: Node | undefined): boolean {
  if (!where) return false;
  if ("BoolExpr" in where) {
    const args = where.BoolExpr.args ?? [];
    if (where.BoolExpr.boolop === "AND_EXPR") return args.some(filtersBrand);
    if (where.BoolExpr.boolop === "OR_EXPR") return args.length > 0 && args.every(filtersBrand);
    return false;
  }
  if ("A_Expr" in where) {
    const { kind, name, lexpr, rexpr } = where.A_Expr;
    const operator = namesOf(name).join(".");
    const comparison = (kind === "AEXPR_OP" && operator === "=") || (kind === "AEXPR_OP_ANY" && operator === "=") || (kind === "AEXPR_IN" && operator === "=");
    if (!comparison) return false;
    return (isBrandColumn(lexpr) && isValue(rexpr)) || (isBrandColumn(rexpr) && isValue(lexpr));
  }
  return false;
}

function columnName(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if ("TypeCast" in node) return columnName(node.TypeCast.arg);
  if (!("ColumnRef" in node)) return undefined;
  return namesOf(node.ColumnRef.fields).pop();
}

function isBrandColumn(node: Node | undefined): boolean {
  return columnName(node) === BRAND_ID;
}

/** A value, not a column: parameters, constants, lists of them, function results. */
function isValue(node: Node | undefined): boolean {
  if (!node) return false;
  if ("List" in node) return (node.List.items ?? []).every(isValue);
  if ("TypeCast" in node) return isValue(node.TypeCast.arg);
  return !("ColumnRef" in node);
}
