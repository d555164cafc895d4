import type { AlterTableStmt, CreateFunctionStmt, CreateStmt, CreateTableAsStmt, DoStmt, DropStmt, Node, RangeVar, RenameStmt, SelectStmt, VariableSetStmt } from "libpg-query";
import type { ServiceContext } from "../../engine/context.js";
import { drizzleConfig } from "../drizzle/config.js";
import { constantString, nameTokenCount, namesOf, parseSearchPath, stringConstantsUnder, writtenName } from "./pg-nodes.js";
import { pgParser, type PgParser } from "./pg-parser.js";
import { walkPlPgSql } from "./plpgsql.js";
import { queryColumns } from "./query-columns.js";
import { splitStatements } from "./split-statements.js";
import { ByteOffsets, excerptOf, SqlFile, SqlRegion, type SqlLocation } from "./sql-text.js";

export type { SqlLocation } from "./sql-text.js";

const BRAND_ID = "brand_id";
/** PostgreSQL's default `search_path` is `"$user", public`; no migration creates a schema per login role. */
const DEFAULT_SEARCH_PATH = ["public"];

/** A table as the migrations leave it. */
export interface MigratedTable {
  /** `schema.name`. */
  qualifiedName: string;
  columns: Set<string>;
  /** The statement that created it. */
  createdAt: SqlLocation;
  /** The last statement that removed `brand_id` (DROP COLUMN, RENAME COLUMN), while it is still missing. */
  brandIdLostAt?: SqlLocation & { how: string };
  /** Columns copied from a table these migrations do not create (`LIKE`, `INHERITS`, `PARTITION OF`, `OF type`). */
  unknownColumnsFrom?: string;
  /** Columns that come from a query the replay cannot expand (`CREATE TABLE … AS SELECT *` over a join). */
  unfollowedColumnsFrom?: string;
}

/** A statement PostgreSQL's parser rejects: the migration would fail there. */
export interface UnreadStatement extends SqlLocation {
  excerpt: string;
  reason: string;
}

/** A statement that can change a table's columns in a way the replay cannot follow, e.g. SQL built at run time. */
export interface UnfollowableStatement extends SqlLocation {
  /** What it is and what it may do, as a sentence fragment: "runs SQL built at run time (`EXECUTE format(…)`)". */
  description: string;
}

export interface MigrationReplay {
  /** The migration files, in the order they were applied. */
  files: string[];
  /** Final state, by qualified name, in creation order. */
  tables: Map<string, MigratedTable>;
  unread: UnreadStatement[];
  unfollowable: UnfollowableStatement[];
}

/** drizzle-kit's default `out`, used when the service has no drizzle.config.ts naming another. */
const DEFAULT_MIGRATIONS_FOLDER = "drizzle";

/** Where a service's migrations are: `drizzle/`, or the folder its drizzle.config.ts names in `out`. */
export interface MigrationsFolder {
  /** Service-relative, without `./` or a trailing slash: `drizzle`, `src/db/migrations`. */
  folder: string;
}

/**
 * Replays a service's SQL migrations in file-name order (drizzle-kit numbers
 * them 0000_, 0001_, …) with PostgreSQL's own parser, tracking each table's
 * columns. Shared by every rule that needs the migrated schema. The files
 * are `<out>/*.sql` (drizzle-kit's flat layout; `meta/` holds JSON only) or
 * `<out>/<timestamp>_<name>/migration.sql` (drizzle-kit 1.0, beside a
 * `snapshot.json`), where `out` is drizzle.config.ts's, `drizzle` by default.
 */
export function migrationReplay(ctx: ServiceContext): Promise<MigrationReplay & MigrationsFolder> {
  return ctx.memo("sql-migrations", async () => {
    const prefix = `${ctx.service.dir}/`;
    const folder = (await drizzleConfig(ctx)).out ?? DEFAULT_MIGRATIONS_FOLDER;
    const inFolder = `${folder}/`;
    const paths = ctx.files
      .filter((p) => {
        const relative = p.slice(prefix.length);
        if (!p.startsWith(prefix) || !relative.startsWith(inFolder)) return false;
        const rest = relative.slice(inFolder.length).split("/");
        return (rest.length === 1 && rest[0]!.endsWith(".sql")) || (rest.length === 2 && rest[1] === "migration.sql");
      })
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    const files: SqlFile[] = [];
    for (const path of paths) files.push(new SqlFile(path, (await ctx.read(path)) ?? ""));
    return { ...(await replayMigrations(files)), folder };
  });
}

/**
 * Applies the files in order, as drizzle-kit's migrator does: one session, so
 * a `SET search_path` in one file holds for the files after it.
 */
export async function replayMigrations(files: readonly SqlFile[]): Promise<MigrationReplay> {
  const replay = new Replay(await pgParser());
  for (const file of files) replay.run(SqlRegion.wholeFile(file), APPLY);
  return { files: files.map((f) => f.path), tables: replay.tables, unread: replay.unread, unfollowable: replay.unfollowable };
}

/**
 * How statements take effect. A migration's own statements (and those of its
 * DO blocks) run now and are applied. A function body runs whenever someone
 * calls it, so its statements are only inspected: one that could leave a
 * table without brand_id is reported as something the replay cannot follow.
 */
export type Effect = { kind: "apply" } | { kind: "inspect"; owner: string };
const APPLY: Effect = { kind: "apply" };

/** One parsed statement and where its bytes are. */
export interface StatementAt {
  region: SqlRegion;
  /** UTF-8 byte range in `region.text`. */
  start: number;
  end: number;
  effect: Effect;
  /** `CREATE SCHEMA x CREATE TABLE t (…)` creates `x.t`. */
  defaultSchema?: string;
}

export class Replay {
  readonly tables = new Map<string, MigratedTable>();
  readonly unread: UnreadStatement[] = [];
  readonly unfollowable: UnfollowableStatement[] = [];
  private searchPath = DEFAULT_SEARCH_PATH;

  constructor(readonly pg: PgParser) {}

  /** Parses a piece of SQL and applies (or inspects) each statement in it. */
  run(given: SqlRegion, effect: Effect): void {
    const region = withoutBulkData(given);
    const parsed = this.pg.parse(region.text);
    if (parsed.ok) {
      for (const raw of parsed.result.stmts ?? []) {
        if (!raw.stmt) continue;
        const start = raw.stmt_location ?? 0;
        const end = raw.stmt_len ? start + raw.stmt_len : Buffer.byteLength(region.text);
        this.statement(raw.stmt, { region, start, end, effect });
      }
      return;
    }
    // PostgreSQL rejects the text: read it statement by statement, so the good ones still count
    // and the bad one is reported at its own line.
    const spans = splitStatements(region.text);
    for (const span of spans) {
      const piece = region.sub(span.start, region.text.slice(span.start, span.end));
      const one = spans.length === 1 ? parsed : this.pg.parse(piece.text);
      if (one.ok) this.run(piece, effect);
      else this.reject(piece, one.message, one.byteOffset);
    }
  }

  reject(region: SqlRegion, message: string, byteOffset: number | undefined): void {
    // Located at the statement's first word, not the whitespace a body starts with (ASCII: bytes = characters).
    let lead = 0;
    while (lead < region.text.length && /\s/.test(region.text[lead]!)) lead++;
    const at = region.locate(lead);
    const where = byteOffset !== undefined && region.verbatim ? region.locate(byteOffset) : undefined;
    const reason = where ? `${message} at line ${where.line}, column ${where.column}` : message;
    this.unread.push({ ...at, excerpt: excerptOf(region.text), reason });
  }

  report(at: SqlLocation, description: string): void {
    this.unfollowable.push({ ...at, description });
  }

  statement(node: Node, at: StatementAt): void {
    if ("CreateStmt" in node) return this.createTable(node.CreateStmt, at);
    if ("CreateForeignTableStmt" in node && node.CreateForeignTableStmt.base) return this.createTable(node.CreateForeignTableStmt.base, at);
    if ("CreateTableAsStmt" in node) return this.createTableAs(node.CreateTableAsStmt, at);
    if ("SelectStmt" in node) return this.select(node.SelectStmt, at);
    if ("AlterTableStmt" in node) return this.alterTable(node.AlterTableStmt, at);
    if ("RenameStmt" in node) return this.rename(node.RenameStmt, at);
    if ("AlterObjectSchemaStmt" in node) {
      const { objectType, relation, newschema } = node.AlterObjectSchemaStmt;
      if (!isTableObject(objectType) || !relation || !newschema) return;
      return this.moveTable(relation, `${newschema}.${relation.relname}`, at);
    }
    if ("DropStmt" in node) return this.drop(node.DropStmt, at);
    if ("CreateSchemaStmt" in node) {
      const { schemaname, schemaElts } = node.CreateSchemaStmt;
      for (const element of schemaElts ?? []) this.statement(element, { ...at, ...(schemaname ? { defaultSchema: schemaname } : {}) });
      return;
    }
    if ("VariableSetStmt" in node) return this.setVariable(node.VariableSetStmt);
    if ("ExplainStmt" in node && node.ExplainStmt.query) return this.statement(node.ExplainStmt.query, at);
    if ("DoStmt" in node) return this.doBlock(node.DoStmt, at);
    if ("CreateFunctionStmt" in node) return this.createFunction(node.CreateFunctionStmt, at);
    // Everything else (indexes, policies, row-level security, grants, comments, types, enums,
    // sequences, views, publications, DML, …) cannot add, drop or rename a table's column.
  }

  // ── tables ────────────────────────────────────────────────────────────

  private createTable(create: CreateStmt, at: StatementAt): void {
    const relation = create.relation;
    if (!relation?.relname || relation.relpersistence === "t") return; // temporary tables vanish with the session
    const name = this.nameForCreate(relation, at);
    if (create.if_not_exists && this.tables.has(name)) return;
    const table: MigratedTable = { qualifiedName: name, columns: new Set(), createdAt: at.region.locate(at.start) };
    for (const element of create.tableElts ?? []) {
      if ("ColumnDef" in element && element.ColumnDef.colname) table.columns.add(element.ColumnDef.colname);
      else if ("TableLikeClause" in element && element.TableLikeClause.relation) this.copyColumns(table, element.TableLikeClause.relation, "LIKE", at);
    }
    for (const parent of create.inhRelations ?? []) {
      if ("RangeVar" in parent) this.copyColumns(table, parent.RangeVar, create.partbound ? "PARTITION OF" : "INHERITS", at);
    }
    if (create.ofTypename) table.unknownColumnsFrom ??= `OF ${namesOf(create.ofTypename.names).join(".")}`;
    this.created(table, at, "creates");
  }

  private createTableAs(create: CreateTableAsStmt, at: StatementAt): void {
    const relation = create.into?.rel;
    if (create.objtype !== "OBJECT_TABLE" || !relation?.relname || relation.relpersistence === "t") return; // materialized views are not tables
    const name = this.nameForCreate(relation, at);
    if (create.if_not_exists && this.tables.has(name)) return;
    const table: MigratedTable = { qualifiedName: name, columns: new Set(), createdAt: at.region.locate(at.start) };
    const named = namesOf(create.into?.colNames);
    const fromQuery = queryColumns(create.query, (rv) => this.existing(rv, at)?.columns);
    const columns = named.length ? named : fromQuery.columns;
    for (const column of columns) table.columns.add(column);
    if (!named.length && fromQuery.unexpanded) {
      table.unfollowedColumnsFrom = `${create.is_select_into ? "SELECT … INTO" : "CREATE TABLE … AS"} (${fromQuery.unexpanded})`;
    }
    this.created(table, at, "creates");
  }

  private select(select: SelectStmt, at: StatementAt): void {
    if (select.intoClause) {
      return this.createTableAs({ query: { SelectStmt: { ...select, intoClause: undefined } }, into: select.intoClause, objtype: "OBJECT_TABLE", is_select_into: true }, at);
    }
    // SELECT set_config('search_path', 'billing, public', false)
    for (const target of select.targetList ?? []) {
      const value = "ResTarget" in target ? target.ResTarget.val : undefined;
      if (!value || !("FuncCall" in value)) continue;
      const fn = namesOf(value.FuncCall.funcname);
      const [setting, path] = value.FuncCall.args ?? [];
      if (fn[fn.length - 1] !== "set_config" || constantString(setting)?.toLowerCase() !== "search_path") continue;
      const literal = constantString(path);
      if (literal !== undefined) {
        if (at.effect.kind === "apply") this.searchPath = this.pathFrom(parseSearchPath(literal));
      } else {
        this.report(at.region.locate(at.start), `sets search_path from an expression computed at run time (\`${excerptOf(at.region.bytes.slice(at.start, at.end))}\`), so the tables its later statements name cannot be told`);
      }
    }
  }

  private setVariable(set: VariableSetStmt): void {
    if (set.name !== "search_path" && set.kind !== "VAR_RESET_ALL") return;
    if (set.kind === "VAR_SET_VALUE") this.searchPath = this.pathFrom((set.args ?? []).map((a) => constantString(a)).filter((s): s is string => s !== undefined));
    else if (set.kind === "VAR_SET_DEFAULT" || set.kind === "VAR_RESET" || set.kind === "VAR_RESET_ALL") this.searchPath = DEFAULT_SEARCH_PATH;
  }

  private pathFrom(schemas: string[]): string[] {
    return schemas.filter((s) => s !== "" && s !== "$user" && s !== "pg_temp" && s !== "pg_catalog");
  }

  private alterTable(alter: AlterTableStmt, at: StatementAt): void {
    if (!isTableObject(alter.objtype) || !alter.relation) return;
    const cmds = alter.cmds ?? [];
    const offsets = commandOffsets(this.pg, at, alter.relation, cmds.length);
    cmds.forEach((node, index) => {
      if (!("AlterTableCmd" in node)) return;
      const cmd = node.AlterTableCmd;
      const where = at.region.locate(offsets[index] ?? at.start);
      if (cmd.subtype === "AT_AddColumn" && cmd.def && "ColumnDef" in cmd.def && cmd.def.ColumnDef.colname) {
        const table = this.existing(alter.relation!, at);
        if (table && at.effect.kind === "apply") {
          table.columns.add(cmd.def.ColumnDef.colname);
          if (cmd.def.ColumnDef.colname === BRAND_ID) delete table.brandIdLostAt;
        }
      } else if (cmd.subtype === "AT_DropColumn" && cmd.name) {
        this.removeColumn(alter.relation!, cmd.name, where, "drops column brand_id", at);
      }
    });
  }

  private rename(rename: RenameStmt, at: StatementAt): void {
    const relation = rename.relation;
    if (!relation || !rename.newname) return;
    if (rename.renameType === "OBJECT_COLUMN" && isTableObject(rename.relationType) && rename.subname) {
      const where = at.region.locate(keywordOffset(this.pg, at, relation, "RENAME") ?? at.start);
      if (rename.subname === BRAND_ID) this.removeColumn(relation, BRAND_ID, where, `renames column brand_id to "${rename.newname}"`, at, rename.newname);
      else {
        const table = this.existing(relation, at);
        if (table && at.effect.kind === "apply" && table.columns.delete(rename.subname)) {
          table.columns.add(rename.newname);
          if (rename.newname === BRAND_ID) delete table.brandIdLostAt;
        }
      }
    } else if (isTableObject(rename.renameType)) {
      const schema = this.existing(relation, at)?.qualifiedName.split(".")[0];
      if (schema) this.moveTable(relation, `${schema}.${rename.newname}`, at);
    }
  }

  /** DROP COLUMN or RENAME COLUMN: applied, or in a function body reported when it is brand_id of one of the service's tables. */
  private removeColumn(relation: RangeVar, column: string, where: SqlLocation, how: string, at: StatementAt, renamedTo?: string): void {
    const table = this.existing(relation, at);
    if (!table) return; // not created by these migrations: another owner's table
    if (at.effect.kind === "inspect") {
      if (column === BRAND_ID) this.report(where, `defines ${at.effect.owner}, whose body ${how} of \`${table.qualifiedName}\` whenever it is called`);
      return;
    }
    table.columns.delete(column);
    if (renamedTo !== undefined) table.columns.add(renamedTo);
    if (column === BRAND_ID && renamedTo !== BRAND_ID) table.brandIdLostAt = { ...where, how };
  }

  private moveTable(relation: RangeVar, to: string, at: StatementAt): void {
    const table = this.existing(relation, at);
    if (!table || at.effect.kind === "inspect") return;
    this.tables.delete(table.qualifiedName);
    table.qualifiedName = to;
    this.tables.set(to, table);
  }

  private drop(drop: DropStmt, at: StatementAt): void {
    if (at.effect.kind === "inspect") return; // a table dropped at run time cannot lose a column
    if (isTableObject(drop.removeType)) {
      for (const object of drop.objects ?? []) {
        const parts = "List" in object ? namesOf(object.List.items) : [];
        const relname = parts[parts.length - 1];
        const schemaname = parts.length > 1 ? parts[parts.length - 2] : undefined;
        const table = relname ? this.existing({ relname, ...(schemaname ? { schemaname } : {}) }, at) : undefined;
        if (table) this.tables.delete(table.qualifiedName);
      }
    } else if (drop.removeType === "OBJECT_SCHEMA") {
      for (const object of drop.objects ?? []) {
        const schema = "String" in object ? object.String.sval : undefined;
        for (const name of [...this.tables.keys()]) if (name.startsWith(`${schema}.`)) this.tables.delete(name);
      }
    }
  }

  private created(table: MigratedTable, at: StatementAt, verb: string): void {
    if (at.effect.kind === "inspect") {
      if (table.columns.has(BRAND_ID) || table.unknownColumnsFrom) return;
      const what = table.unfollowedColumnsFrom ? `with columns from ${table.unfollowedColumnsFrom}` : "without a brand_id column";
      this.report(table.createdAt, `defines ${at.effect.owner}, whose body ${verb} table \`${table.qualifiedName}\` ${what} whenever it is called`);
      return;
    }
    this.tables.delete(table.qualifiedName);
    this.tables.set(table.qualifiedName, table);
  }

  private copyColumns(table: MigratedTable, from: RangeVar, how: string, at: StatementAt): void {
    const source = this.existing(from, at);
    if (source) {
      for (const column of source.columns) table.columns.add(column);
      if (source.unknownColumnsFrom) table.unknownColumnsFrom ??= source.unknownColumnsFrom;
      if (source.unfollowedColumnsFrom) table.unfollowedColumnsFrom ??= source.unfollowedColumnsFrom;
    } else table.unknownColumnsFrom ??= `${how} ${writtenName(from)}`;
  }

  /**
   * The tracked table a name refers to: a qualified name as is; an unqualified
   * one through the current search_path. A function body runs under a
   * search_path nobody can know here, so there an unqualified name matches a
   * table of that name in any schema.
   */
  existing(relation: RangeVar, at: StatementAt): MigratedTable | undefined {
    const name = relation.relname;
    if (!name) return undefined;
    if (relation.schemaname) return this.tables.get(`${relation.schemaname}.${name}`);
    if (at.effect.kind === "inspect") return [...this.tables.values()].find((t) => t.qualifiedName.endsWith(`.${name}`));
    for (const schema of this.searchPath) {
      const table = this.tables.get(`${schema}.${name}`);
      if (table) return table;
    }
    return undefined;
  }

  private nameForCreate(relation: RangeVar, at: StatementAt): string {
    return `${relation.schemaname ?? at.defaultSchema ?? this.searchPath[0] ?? "public"}.${relation.relname}`;
  }

  /** Whether a piece of code names one of the tables tracked so far (for bodies in languages the replay cannot read). */
  namesTrackedTable(code: string): string | undefined {
    const words = new Set(code.toLowerCase().match(/[a-z_][a-z0-9_$]*/g) ?? []);
    for (const table of this.tables.values()) if (words.has(table.qualifiedName.slice(table.qualifiedName.indexOf(".") + 1).toLowerCase())) return table.qualifiedName;
    return undefined;
  }

  // ── code: DO blocks and functions ─────────────────────────────────────

  private doBlock(block: DoStmt, at: StatementAt): void {
    const options = definitions(block.args);
    const language = (options.get("language")?.value ?? "plpgsql").toLowerCase();
    const body = options.get("as");
    if (!body?.value) return;
    const region = bodyRegion(this.pg, at, body.location, body.value);
    const statementAt = at.region.locate(at.start);
    if (language !== "plpgsql") {
      const table = this.namesTrackedTable(body.value);
      if (table) this.report(statementAt, `runs a DO block in ${language}, which the replay cannot read, and it names table \`${table}\``);
      return;
    }
    const tag = dollarTagFor(body.value);
    const wrapper = `CREATE FUNCTION pg_temp.platform_checks_do_block() RETURNS void LANGUAGE plpgsql AS ${tag}${body.value}${tag}`;
    const compiled = this.pg.parsePlPgSql(wrapper);
    if (!compiled.ok) return this.reject(region, `PL/pgSQL: ${compiled.message}`, undefined);
    walkPlPgSql(this, compiled.result, region, at.effect);
  }

  private createFunction(fn: CreateFunctionStmt, at: StatementAt): void {
    const name = namesOf(fn.funcname).join(".");
    const effect: Effect = { kind: "inspect", owner: `${fn.is_procedure ? "procedure" : "function"} \`${name}\`` };
    const options = definitions(fn.options);
    const language = (options.get("language")?.value ?? "sql").toLowerCase();
    const body = options.get("as");
    if (fn.sql_body) {
      // BEGIN ATOMIC … END: PostgreSQL parsed the statements already, at their places in this text.
      for (const statement of statementsUnder(fn.sql_body)) this.statement(statement, { ...at, effect });
      return;
    }
    if (!body?.value) return;
    const region = bodyRegion(this.pg, at, body.location, body.value);
    if (language === "sql") return this.run(region, effect);
    if (language === "plpgsql") {
      const compiled = this.pg.parsePlPgSql(at.region.bytes.slice(at.start, at.end));
      if (!compiled.ok) return this.reject(region, `PL/pgSQL: ${compiled.message}`, undefined);
      return walkPlPgSql(this, compiled.result, region, effect);
    }
    if (language === "c" || language === "internal") return;
    const table = this.namesTrackedTable(body.value);
    if (table) this.report(at.region.locate(at.start), `defines ${effect.owner} in ${language}, which the replay cannot read, and its body names table \`${table}\``);
  }

  /** `EXECUTE <expression>`: a constant string is replayed like any statement; SQL built at run time cannot be followed. */
  execute(expression: string, region: SqlRegion, effect: Effect, what: string): void {
    const parsed = this.pg.parse(`SELECT ${expression}`);
    const target = parsed.ok ? parsed.result.stmts?.[0]?.stmt : undefined;
    const value = target && "SelectStmt" in target ? target.SelectStmt.targetList?.[0] : undefined;
    const expr = value && "ResTarget" in value ? value.ResTarget.val : undefined;
    const constant = constantString(expr);
    if (constant !== undefined) return this.run(region.derived(0, constant), effect);
    const words = stringConstantsUnder(expr).join(" ").toLowerCase();
    const mayChangeColumns = words === "" || /\b(?:alter|drop|rename|create|into)\b/.test(words);
    if (!mayChangeColumns) return;
    const excerpt = excerptOf(`${what} ${expression}`);
    const owner = effect.kind === "inspect" ? `defines ${effect.owner}, whose body ` : "";
    this.report(region.locate(0), `${owner}runs SQL built at run time (\`${excerpt}\`), which can change any table's columns`);
  }
}

function isTableObject(type: string | undefined): boolean {
  return type === "OBJECT_TABLE" || type === "OBJECT_FOREIGN_TABLE";
}

/** A `DO` / `CREATE FUNCTION` option list: name → string value and where it is written. */
function definitions(args: readonly Node[] | undefined): Map<string, { value: string | undefined; location: number | undefined }> {
  const map = new Map<string, { value: string | undefined; location: number | undefined }>();
  for (const arg of args ?? []) {
    if (!("DefElem" in arg) || !arg.DefElem.defname) continue;
    const value = arg.DefElem.arg;
    const text = value ? ("String" in value ? value.String.sval : "List" in value ? namesOf(value.List.items)[0] : undefined) : undefined;
    map.set(arg.DefElem.defname, { value: text, location: arg.DefElem.location });
  }
  return map;
}

/** A dollar-quote tag that does not occur in `body`. */
function dollarTagFor(body: string): string {
  for (let n = 0; ; n++) {
    const tag = `$platform_checks${n}$`;
    if (!body.includes(tag)) return tag;
  }
}

/**
 * Where a body string sits: PostgreSQL gives the option's location (`AS` or
 * the literal itself); the first string token from there is the literal. A
 * dollar-quoted body is the file's own text; a quoted one has escapes, so its
 * statements are located at the literal.
 */
function bodyRegion(pg: PgParser, at: StatementAt, optionLocation: number | undefined, body: string): SqlRegion {
  const statementText = at.region.bytes.slice(at.start, at.end);
  const statementChar = at.region.bytes.toChar(at.start);
  const tokens = pg.scan(statementText) ?? [];
  const from = (optionLocation ?? at.start) - at.start;
  const literal = tokens.find((t) => t.start >= from && (t.tokenName === "SCONST" || t.tokenName === "USCONST"));
  if (!literal) return at.region.derived(statementChar, body);
  const literalChar = statementChar + new ByteOffsets(statementText).toChar(literal.start);
  if (literal.text.startsWith("$")) {
    const tagLength = literal.text.indexOf("$", 1) + 1;
    const candidate = at.region.text.slice(literalChar + tagLength, literalChar + tagLength + body.length);
    if (candidate === body) return at.region.sub(literalChar + tagLength, body);
  }
  return at.region.derived(literalChar, body);
}

/** Byte offsets (in the statement's region) where each ALTER TABLE subcommand starts: after the table name, then after each top-level comma. */
function commandOffsets(pg: PgParser, at: StatementAt, relation: RangeVar, count: number): number[] {
  const tokens = statementTokens(pg, at);
  const first = tokens.findIndex((t) => t.start === relation.location);
  if (first < 0) return [];
  const offsets: number[] = [];
  let depth = 0;
  for (let i = first + nameTokenCount(relation); i < tokens.length && offsets.length < count; i++) {
    const token = tokens[i]!;
    if (offsets.length === 0) offsets.push(token.start);
    if (token.text === "(") depth++;
    else if (token.text === ")") depth--;
    else if (token.text === "," && depth === 0 && tokens[i + 1]) offsets.push(tokens[i + 1]!.start);
  }
  return offsets;
}

/** Byte offset of the first `keyword` token after the table name. */
function keywordOffset(pg: PgParser, at: StatementAt, relation: RangeVar, keyword: string): number | undefined {
  const tokens = statementTokens(pg, at);
  const first = tokens.findIndex((t) => t.start === relation.location);
  return first < 0 ? undefined : tokens.slice(first).find((t) => t.text.toUpperCase() === keyword)?.start;
}

/** The statement's tokens, with byte offsets in the region (not the statement). */
function statementTokens(pg: PgParser, at: StatementAt) {
  const tokens = pg.scan(at.region.bytes.slice(at.start, at.end)) ?? [];
  return tokens.map((t) => ({ ...t, start: t.start + at.start }));
}

/** Statement nodes in a `BEGIN ATOMIC` body (a list of lists of statements). */
function statementsUnder(body: Node): Node[] {
  const found: Node[] = [];
  const visit = (node: Node) => {
    if ("List" in node) for (const item of node.List.items ?? []) visit(item);
    else found.push(node);
  };
  visit(body);
  return found;
}

/** Statements that only move rows: they cannot add, drop or rename a column. */
const DATA_STATEMENT = new Set(["insert", "copy", "update", "delete", "values", "merge", "truncate"]);
/** Below this a piece is parsed as it is; above it, large data statements are blanked out first. */
const BULK_REGION_CHARS = 64 * 1024;
const BULK_STATEMENT_CHARS = 8 * 1024;

/**
 * A seed migration can hold megabytes of `INSERT … VALUES`, whose syntax tree
 * costs the parser seconds and hundreds of megabytes, and which cannot change
 * a column. Large data statements are replaced by spaces (same length, so
 * every location stays where it was) before the text is parsed.
 */
function withoutBulkData(region: SqlRegion): SqlRegion {
  if (region.text.length < BULK_REGION_CHARS) return region;
  let masked: string[] | undefined;
  let last = 0;
  for (const span of splitStatements(region.text)) {
    if (span.end - span.start < BULK_STATEMENT_CHARS) continue;
    let wordEnd = span.start;
    while (wordEnd < span.end && wordEnd - span.start < 16 && /[A-Za-z]/.test(region.text[wordEnd]!)) wordEnd++;
    if (!DATA_STATEMENT.has(region.text.slice(span.start, wordEnd).toLowerCase())) continue;
    masked ??= [];
    masked.push(region.text.slice(last, span.start), " ".repeat(span.end - span.start));
    last = span.end;
  }
  if (!masked) return region;
  masked.push(region.text.slice(last));
  return new SqlRegion(region.file, masked.join(""), region.base, region.verbatim);
}
