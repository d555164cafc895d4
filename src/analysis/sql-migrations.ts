import { parse, type Statement } from "pgsql-ast-parser";
import type { ServiceContext } from "../engine/context.js";
import { positionAt } from "../engine/positions.js";

/** A place in a migration file, 1-based. */
export interface SqlLocation {
  path: string;
  line: number;
  column: number;
}

/** A table as the migrations leave it. */
export interface MigratedTable {
  /** `schema.name`, with `public` for unqualified names. */
  qualifiedName: string;
  columns: Set<string>;
  /** The CREATE TABLE statement. */
  createdAt: SqlLocation;
  /** The last statement that removed `brand_id` (DROP COLUMN, RENAME COLUMN), while it is still missing. */
  brandIdLostAt?: SqlLocation & { how: string };
  /** Columns that come from something the replay cannot see (`LIKE`, `INHERITS` of an unknown table). */
  unknownColumnsFrom?: string;
}

/** A statement the replay could not apply: it may change columns, so it is reported, never skipped silently. */
export interface UnreadStatement extends SqlLocation {
  /** The statement's first line, for the message. */
  excerpt: string;
  reason: string;
}

export interface MigrationReplay {
  /** The migration files, in the order they were applied. */
  files: string[];
  /** Final state, by qualified name, in creation order. */
  tables: Map<string, MigratedTable>;
  unread: UnreadStatement[];
}

/** `services/<name>/drizzle/*.sql` (drizzle-kit's output folder; `meta/` holds JSON only). */
const MIGRATION_FILE = /^drizzle\/[^/]+\.sql$/;

/**
 * Replays a service's SQL migrations in file-name order (drizzle-kit numbers
 * them 0000_, 0001_, …) with a real SQL parser, tracking each table's columns.
 * Shared by every rule that needs the migrated schema.
 */
export function migrationReplay(ctx: ServiceContext): Promise<MigrationReplay> {
  return ctx.memo("sql-migrations", async () => {
    const prefix = `${ctx.service.dir}/`;
    const files = ctx.files
      .filter((p) => MIGRATION_FILE.test(p.slice(prefix.length)))
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    const replay: MigrationReplay = { files, tables: new Map(), unread: [] };
    for (const path of files) {
      const text = (await ctx.read(path)) ?? "";
      for (const piece of splitStatements(text, 0, text.length)) applyPiece(replay, path, text, piece);
    }
    return replay;
  });
}

interface Piece {
  /** Offset of the statement's first character (after leading blanks and comments). */
  start: number;
  end: number;
}

function applyPiece(replay: MigrationReplay, path: string, text: string, piece: Piece): void {
  const sql = text.slice(piece.start, piece.end);
  const at = (offset: number): SqlLocation => ({ path, ...positionAt(text, piece.start + offset) });
  let statements: Statement[];
  try {
    statements = parse(sql, { locationTracking: true });
  } catch (error) {
    replay.unread.push({ ...at(0), excerpt: excerptOf(sql), reason: parseErrorReason(error, at(0)) });
    return;
  }
  for (const statement of statements) {
    try {
      applyStatement(replay, statement, sql, piece, at, path, text);
    } catch (error) {
      // An AST shape the replay does not expect: say so at the statement rather than crash the rule.
      const reason = `could not apply it (${error instanceof Error ? error.message : String(error)})`;
      replay.unread.push({ ...at(statement._location?.start ?? 0), excerpt: excerptOf(sql), reason });
    }
  }
}

function applyStatement(
  replay: MigrationReplay,
  statement: Statement,
  sql: string,
  piece: Piece,
  at: (offset: number) => SqlLocation,
  path: string,
  text: string,
): void {
  const start = statement._location?.start ?? 0;
  switch (statement.type) {
    case "create table": {
      const name = qualified(statement.name);
      if (replay.tables.has(name) && statement.ifNotExists) return;
      const table: MigratedTable = { qualifiedName: name, columns: new Set(), createdAt: at(start) };
      for (const column of statement.columns) {
        if (column.kind === "column") table.columns.add(column.name.name);
        else copyColumns(replay, table, qualified(column.like), "LIKE");
      }
      for (const parent of statement.inherits ?? []) copyColumns(replay, table, qualified(parent), "INHERITS");
      replay.tables.delete(name);
      replay.tables.set(name, table);
      return;
    }
    case "alter table": {
      const name = qualified(statement.table);
      const table = replay.tables.get(name);
      if (!table) return; // created outside these migrations: nothing to track
      for (const change of statement.changes) {
        const changeAt = at(change._location?.start ?? start);
        switch (change.type) {
          case "add column":
            table.columns.add(change.column.name.name);
            if (change.column.name.name === "brand_id") delete table.brandIdLostAt;
            break;
          case "drop column":
            table.columns.delete(change.column.name);
            if (change.column.name === "brand_id") table.brandIdLostAt = { ...changeAt, how: "drops column brand_id" };
            break;
          case "rename column":
            table.columns.delete(change.column.name);
            table.columns.add(change.to.name);
            if (change.column.name === "brand_id") table.brandIdLostAt = { ...changeAt, how: `renames column brand_id to "${change.to.name}"` };
            if (change.to.name === "brand_id") delete table.brandIdLostAt;
            break;
          case "rename": {
            const schema = name.slice(0, name.indexOf("."));
            const renamed = `${schema}.${change.to.name}`;
            replay.tables.delete(name);
            table.qualifiedName = renamed;
            replay.tables.set(renamed, table);
            break;
          }
          default:
            break; // constraints, defaults, types, owners: columns unchanged
        }
      }
      return;
    }
    case "drop table":
      for (const dropped of statement.names) replay.tables.delete(qualified(dropped));
      return;
    case "do": {
      // drizzle-kit wraps some statements in `DO $$ BEGIN … EXCEPTION … END $$`: replay the body.
      const codeOffset = sql.indexOf(statement.code, start);
      const body = /^\s*BEGIN\b([\s\S]*?)(?:\bEXCEPTION\b[\s\S]*)?\bEND\b\s*;?\s*$/i.exec(statement.code);
      if (codeOffset < 0 || !body) {
        if (/\bTABLE\b/i.test(statement.code)) {
          replay.unread.push({ ...at(start), excerpt: excerptOf(sql.slice(start)), reason: "a DO block whose body is not a plain BEGIN … END" });
        }
        return;
      }
      const bodyStart = piece.start + codeOffset + statement.code.indexOf(body[1]!);
      for (const inner of splitStatements(text, bodyStart, bodyStart + body[1]!.length)) applyPiece(replay, path, text, inner);
      return;
    }
    default:
      return; // schemas, indexes, types, sequences, comments: no table columns change
  }
}

function copyColumns(replay: MigrationReplay, table: MigratedTable, from: string, how: string): void {
  const source = replay.tables.get(from);
  if (source) {
    for (const column of source.columns) table.columns.add(column);
    if (source.unknownColumnsFrom) table.unknownColumnsFrom ??= source.unknownColumnsFrom;
  } else table.unknownColumnsFrom ??= `${how} ${from}`;
}

function qualified(name: { name: string; schema?: string }): string {
  return `${name.schema ?? "public"}.${name.name}`;
}

/** The parser's complaint, with its position moved from the statement to the file. */
function parseErrorReason(error: unknown, statementAt: SqlLocation): string {
  const message = error instanceof Error ? error.message : String(error);
  const unexpected = /^(Unexpected .*?)(?:\.\s+(?:I did not expect|Instead)\b.*)?$/m.exec(message)?.[1];
  const where = /at line (\d+) col (\d+)/.exec(message);
  let what = unexpected ?? message.split("\n")[0] ?? "syntax error";
  if (where) {
    const line = Number(where[1]);
    const column = Number(where[2]);
    const fileLine = statementAt.line + line - 1;
    const fileColumn = line === 1 ? statementAt.column + column - 1 : column;
    what = `${what.replace(/\s*at line \d+ col \d+:?/, "")} at line ${fileLine}, column ${fileColumn}`;
  }
  return what;
}

function excerptOf(sql: string): string {
  const first = sql.trim().split("\n")[0] ?? "";
  return first.length > 80 ? `${first.slice(0, 77)}…` : first;
}

/**
 * Splits SQL text into statements at top-level semicolons, skipping quoted
 * strings, quoted identifiers, dollar-quoted bodies and comments (drizzle-kit's
 * `--> statement-breakpoint` lines are comments). Each piece starts at its
 * first significant character so findings land on the statement's own line.
 */
export function splitStatements(text: string, from: number, to: number): Piece[] {
  const pieces: Piece[] = [];
  let start: number | undefined;
  let i = from;
  const close = (end: number) => {
    if (start !== undefined) pieces.push({ start, end });
    start = undefined;
  };
  while (i < to) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === "-" && next === "-") {
      const eol = text.indexOf("\n", i);
      i = eol < 0 || eol > to ? to : eol + 1;
      continue;
    }
    if (ch === "/" && next === "*") {
      let depth = 1;
      i += 2;
      while (i < to && depth > 0) {
        if (text[i] === "/" && text[i + 1] === "*") (depth++, (i += 2));
        else if (text[i] === "*" && text[i + 1] === "/") (depth--, (i += 2));
        else i++;
      }
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === ";") {
      close(i);
      i++;
      continue;
    }
    start ??= i;
    if (ch === "'" || ch === '"') {
      i++;
      while (i < to) {
        if (text[i] === ch) {
          if (text[i + 1] === ch) i += 2; // doubled quote escapes itself
          else break;
        } else i++;
      }
      i++;
      continue;
    }
    if (ch === "$") {
      const tag = /^\$[A-Za-z_]?[A-Za-z0-9_]*\$/.exec(text.slice(i, Math.min(to, i + 64)));
      if (tag) {
        const endTag = text.indexOf(tag[0], i + tag[0].length);
        i = endTag < 0 || endTag > to ? to : endTag + tag[0].length;
        continue;
      }
    }
    i++;
  }
  close(to);
  return pieces;
}
