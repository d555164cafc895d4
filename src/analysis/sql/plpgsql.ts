import type { Effect, Replay } from "./migration-replay.js";
import type { PlPgSqlParseResult } from "./pg-parser.js";
import type { SqlRegion } from "./sql-text.js";

interface PlExpr {
  PLpgSQL_expr?: { query?: string };
}

interface PlStatement {
  lineno?: number;
  sqlstmt?: PlExpr;
  query?: PlExpr;
  expr?: PlExpr;
}

/**
 * Replays the SQL of a compiled PL/pgSQL body in source order: plain SQL
 * statements, `PERFORM` (which can call `set_config('search_path', …)`) and
 * `EXECUTE`. Statements in branches, loops and exception handlers are taken as
 * run: a conditional `ADD COLUMN IF NOT EXISTS` leaves the column there
 * either way, and a conditional DROP COLUMN may run.
 *
 * PL/pgSQL line numbers count from the body's first line; each statement's
 * text is found from that line on, so findings land on the statement.
 */
export function walkPlPgSql(replay: Replay, compiled: PlPgSqlParseResult, body: SqlRegion, effect: Effect): void {
  for (const fn of compiled.plpgsql_funcs ?? []) visit(replay, fn.PLpgSQL_function?.["action"], body, effect);
}

function visit(replay: Replay, value: unknown, body: SqlRegion, effect: Effect): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(replay, item, body, effect);
    return;
  }
  if (!value || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    const statement = child as PlStatement;
    switch (key) {
      case "PLpgSQL_stmt_execsql": {
        const sql = statement.sqlstmt?.PLpgSQL_expr?.query;
        if (sql) replay.run(statementRegion(body, sql, statement.lineno), effect);
        continue;
      }
      case "PLpgSQL_stmt_perform": {
        // PERFORM f(…) is compiled to `SELECT f(…)`, which is not the source text: located at its line.
        const sql = statement.expr?.PLpgSQL_expr?.query;
        if (sql) replay.run(lineRegion(body, sql, statement.lineno), effect);
        continue;
      }
      case "PLpgSQL_stmt_dynexecute": {
        const expression = statement.query?.PLpgSQL_expr?.query;
        if (expression) replay.execute(expression, statementRegion(body, expression, statement.lineno), effect, "EXECUTE");
        continue;
      }
      case "PLpgSQL_stmt_dynfors": {
        const expression = statement.query?.PLpgSQL_expr?.query;
        if (expression) replay.execute(expression, statementRegion(body, expression, statement.lineno), effect, "FOR … IN EXECUTE");
        break; // its loop body follows
      }
      default:
        break;
    }
    visit(replay, child, body, effect);
  }
}

/** The statement's own text in the body when it can be found from its line on; its line otherwise. */
function statementRegion(body: SqlRegion, sql: string, lineno: number | undefined): SqlRegion {
  const from = body.lineStart(lineno ?? 1);
  const index = body.text.indexOf(sql, from);
  return index >= 0 ? body.sub(index, sql) : body.derived(from, sql);
}

function lineRegion(body: SqlRegion, sql: string, lineno: number | undefined): SqlRegion {
  const from = body.lineStart(lineno ?? 1);
  const text = body.text;
  let start = from;
  while (start < text.length && (text[start] === " " || text[start] === "\t")) start++;
  return body.derived(start, sql);
}
