import type { ParseResult, ScanToken } from "libpg-query";

/**
 * PostgreSQL's own parser (libpg_query compiled to WebAssembly), loaded on
 * first use. libpg-query instantiates its WASM module as soon as it is
 * imported, so the import itself is deferred: a check that reads no SQL never
 * pays for it, and each worker thread loads it once (module state is per
 * thread) and awaits it before the synchronous parse calls.
 */
export interface PgParser {
  /** Parses SQL text (any number of statements); locations in the tree are UTF-8 byte offsets into `sql`. */
  parse(sql: string): PgParseOutcome<ParseResult>;
  /** Parses one `CREATE FUNCTION … LANGUAGE plpgsql` statement and compiles its body into PL/pgSQL statements. */
  parsePlPgSql(createFunction: string): PgParseOutcome<PlPgSqlParseResult>;
  /** PostgreSQL's lexer: the tokens of `sql`, with UTF-8 byte offsets. */
  scan(sql: string): ScanToken[] | undefined;
}

export type PgParseOutcome<T> = { ok: true; result: T } | { ok: false; message: string; /** UTF-8 byte offset of the error, when PostgreSQL gives one. */ byteOffset: number | undefined };

/** The PL/pgSQL compiler's output (libpg-query types it as a ParseResult; it is not). */
export interface PlPgSqlParseResult {
  plpgsql_funcs?: Array<{ PLpgSQL_function?: Record<string, unknown> }>;
}

type LibPgQuery = typeof import("libpg-query");

let loading: Promise<PgParser> | undefined;

/** The parser for this thread, loaded once. A failed load is retried on the next call. */
export function pgParser(): Promise<PgParser> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(): Promise<PgParser> {
  const lib: LibPgQuery = await import("libpg-query");
  await lib.loadModule();
  return {
    parse: (sql) => guarded(lib, sql, () => (sql.trim() === "" ? { version: 0, stmts: [] } : lib.parseSync(sql))),
    parsePlPgSql: (sql) => guarded(lib, sql, () => lib.parsePlPgSQLSync(sql) as unknown as PlPgSqlParseResult),
    scan: (sql) => {
      try {
        return lib.scanSync(sql).tokens;
      } catch {
        return undefined;
      }
    },
  };
}

function guarded<T>(lib: LibPgQuery, sql: string, run: () => T): PgParseOutcome<T> {
  try {
    return { ok: true, result: run() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const cursor = lib.hasSqlDetails(error) ? error.sqlDetails?.cursorPosition : undefined;
    return { ok: false, message, byteOffset: cursor !== undefined && cursor >= 0 && cursor <= Buffer.byteLength(sql) ? cursor : undefined };
  }
}
