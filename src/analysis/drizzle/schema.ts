import ts from "typescript";
import type { ServiceContext } from "../../engine/context.js";
import { drizzleConfig, matchesSchemaEntry } from "./config.js";
import { repoPathOf, undecidableAt, type Undecidable } from "../ts/location.js";
import { importedFile } from "../ts/program.js";
import { resolveName } from "../ts/symbols.js";
import { constructText, isFunctionLike, returnedExpressions, staticPropertyName, unwrap } from "../ts/syntax.js";
import { bindArguments, evaluateString, functionOf, objectLiteralOf, originOf, valueOf, type Substitution } from "../ts/values.js";
import { callsIn } from "../ts/walk.js";

const PG_CORE = "drizzle-orm/pg-core";
/** Any drizzle module: pg-core builders, `pgEnum`, `customType`, … */
export const isDrizzleModule = (specifier: string): boolean => specifier === "drizzle-orm" || specifier.startsWith("drizzle-orm/");
/** Builder-chain methods that make a column NOT NULL or give it a default (for insert checks). */
const NOT_NULL_METHODS = new Set(["notNull", "primaryKey"]);
const DEFAULT_METHODS = new Set(["default", "defaultNow", "defaultRandom", "$default", "$defaultFn", "generatedAlwaysAs", "generatedAlwaysAsIdentity", "generatedByDefaultAsIdentity"]);
/** How far the analysis follows helpers, constants and spreads (a cycle ends here too). */
const MAX_DEPTH = 10;
/** Re-export hops followed from the schema entry. */
const MAX_SCHEMA_FILES = 200;

export interface DrizzleColumn {
  /** The property key in the columns object (`brandId`). */
  key: string;
  /** The database column name: the builder's name argument, or the key when the builder has none. */
  dbName: string;
  /** The builder has no name argument, so the key names the column (drizzle's `casing` may snake_case it). */
  nameFromKey: boolean;
  notNull: boolean;
  hasDefault: boolean;
  node: ts.Node;
}

export interface DrizzleTable {
  /** The variable the table is assigned to (`invoices`), if any. */
  variable: string | undefined;
  /** Its declaration, so repositories can tell which table an expression names. */
  declaration: ts.Node | undefined;
  /** The SQL table name, when it is known statically. */
  name: string | undefined;
  /** The pgSchema name; `undefined` for pgTable (public) or when it cannot be resolved. */
  schema: string | undefined;
  /** The table call (`pgTable(…)`, `billing.table(…)`): findings point here. */
  call: ts.CallExpression;
  /** Repository-relative path of the file holding the call. */
  path: string;
  columns: DrizzleColumn[];
  /** Column sources the analysis cannot see into: values from outside the repository or from run time. */
  undecidable: Undecidable[];
}

export interface DrizzleSchemaDeclaration {
  /** `undefined` when the name cannot be known statically (see `undecidable`). */
  name: string | undefined;
  undecidable: Undecidable | undefined;
  call: ts.CallExpression;
  path: string;
}

export interface DrizzleSchema {
  /** The schema entry (`src/db/schema.ts`, or `src/db/schema/index.ts` when the schema is a folder). */
  path: string;
  /** Every file read as part of the schema. */
  files: string[];
  tables: DrizzleTable[];
  /** Every `pgSchema(…)` the schema files declare or their tables use. */
  schemas: DrizzleSchemaDeclaration[];
}

/**
 * The service's Drizzle schema, analysed once per check: `src/db/schema.ts`
 * (or `src/db/schema/index.ts`), every file it re-exports, every file
 * under `src/db/schema/`, and the files drizzle.config.ts's `schema` names.
 * `undefined` when the service has none of these.
 */
export function drizzleSchema(ctx: ServiceContext): Promise<DrizzleSchema | undefined> {
  return ctx.memo("drizzle-schema", async () => {
    const folder = ctx.path("src/db/schema/");
    const candidates = [ctx.path("src/db/schema.ts"), ctx.path("src/db/schema/index.ts")];
    const entryPath = candidates.find((p) => ctx.files.includes(p));
    // drizzle.config.ts's `schema` may name other files, folders or globs (`./src/db/tables/*.ts`).
    const configured = (await drizzleConfig(ctx)).schema;
    const prefix = `${ctx.service.dir}/`;
    const isSource = (p: string) => /\.[cm]?tsx?$/.test(p) && !p.endsWith(".d.ts");
    const folderFiles = ctx.files.filter(
      (p) => isSource(p) && p !== entryPath && (p.startsWith(folder) || (p.startsWith(prefix) && configured.some((entry) => matchesSchemaEntry(entry, p.slice(prefix.length))))),
    );
    if (!entryPath && folderFiles.length === 0) return undefined;
    const loaded: ts.SourceFile[] = [];
    for (const path of entryPath ? [entryPath, ...folderFiles] : folderFiles) {
      const file = await ctx.sourceFile(path);
      if (file) loaded.push(file);
    }
    // Everything below is synchronous: the program's files are all loaded.
    return readDrizzleSchema(entryPath ?? folderFiles[0]!, schemaFiles(loaded));
  });
}

/** The given files plus every program file their re-exports (`export * from`, `export { x } from`) reach. */
export function schemaFiles(roots: readonly ts.SourceFile[]): ts.SourceFile[] {
  const seen = new Set<ts.SourceFile>();
  const queue = [...roots];
  while (queue.length && seen.size < MAX_SCHEMA_FILES) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const statement of file.statements) {
      if (!ts.isExportDeclaration(statement)) continue;
      const target = importedFile(statement);
      if (target && !seen.has(target)) queue.push(target);
    }
  }
  return [...seen];
}

/** Reads tables and schemas from already-loaded files (synchronous: name resolution needs a stable program). */
export function readDrizzleSchema(entryPath: string, files: readonly ts.SourceFile[]): DrizzleSchema {
  const schemas = new Map<ts.CallExpression, DrizzleSchemaDeclaration>();
  const tables: DrizzleTable[] = [];
  const addSchema = (call: ts.CallExpression) => {
    if (schemas.has(call)) return;
    const name = call.arguments[0] ? evaluateString(call.arguments[0]) : undefined;
    schemas.set(call, {
      name: name && "value" in name ? name.value : undefined,
      undecidable: name && "undecidable" in name ? name.undecidable : name ? undefined : undecidableAt(call, `\`${constructText(call, 60)}\` (no name)`),
      call,
      path: repoPathOf(call),
    });
  };
  for (const file of files) {
    for (const call of callsIn(file)) {
      if (isPgSchemaCall(call)) {
        addSchema(call);
        continue;
      }
      const kind = tableCallKind(call);
      if (!kind) continue;
      if (kind.schemaCall) addSchema(kind.schemaCall);
      tables.push(readTable(call, kind.schemaCall ? schemas.get(kind.schemaCall)?.name : undefined));
    }
  }
  return { path: entryPath, files: files.map((f) => f.fileName.replace(/^\//, "")), tables, schemas: [...schemas.values()] };
}

/** Whether a column is the brand id by its database name (`brand_id`, or the key `brandId` under drizzle's snake_case casing). */
export function isBrandIdColumn(column: DrizzleColumn): boolean {
  return column.dbName === "brand_id" || (column.nameFromKey && column.key === "brandId");
}

/**
 * The table an expression names (`invoices`, `schema.invoices`, an imported
 * table): among the schema's tables, or any variable of the repository
 * initialised with a table call (a service that keeps its tables outside
 * `src/db/schema.ts` still has tables its repositories query).
 */
export function tableNamed(schema: DrizzleSchema | undefined, expr: ts.Node): DrizzleTable | undefined {
  const node = unwrap(expr);
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return undefined;
  const declaration = resolveName(node).declaration;
  return declaration ? tableDeclaredBy(schema, declaration) : undefined;
}

const tablesOutsideSchema = new WeakMap<ts.Node, DrizzleTable | null>();

/** The table a declaration holds: the schema's, or read from `const t = pgTable(…)` (also `….enableRLS()`) wherever it is. */
export function tableDeclaredBy(schema: DrizzleSchema | undefined, declaration: ts.Node): DrizzleTable | undefined {
  const known = schema?.tables.find((t) => t.declaration === declaration);
  if (known) return known;
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  let table = tablesOutsideSchema.get(declaration);
  if (table === undefined) {
    let call: ts.Node = unwrap(declaration.initializer);
    for (let hops = 0; ts.isCallExpression(call) && !tableCallKind(call) && ts.isPropertyAccessExpression(unwrap(call.expression)) && hops < MAX_DEPTH; hops++) {
      call = unwrap((unwrap(call.expression) as ts.PropertyAccessExpression).expression);
    }
    const kind = ts.isCallExpression(call) ? tableCallKind(call) : undefined;
    const schemaName = kind?.schemaCall?.arguments[0] ? evaluateString(kind.schemaCall.arguments[0]) : undefined;
    table = kind ? readTable(call as ts.CallExpression, schemaName && "value" in schemaName ? schemaName.value : undefined) : null;
    tablesOutsideSchema.set(declaration, table);
  }
  return table ?? undefined;
}

function isPgSchemaCall(call: ts.CallExpression): boolean {
  return isPgCoreExport(call.expression, "pgSchema");
}

function isPgCoreExport(expr: ts.Node, name: string): boolean {
  const node = unwrap(expr);
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return false;
  return resolveName(node).imports.some((step) => step.module === PG_CORE && step.name === name);
}

/** The call a name's value is (`const billing = pgSchema("billing")`), followed across files. */
function callValue(expr: ts.Node): ts.CallExpression | undefined {
  const node = unwrap(expr);
  if (ts.isCallExpression(node)) return node;
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return undefined;
  const value = valueOf(node);
  return value && ts.isCallExpression(value) ? value : undefined;
}

/** Whether a call defines a table: `pgTable(…)`, a `pgTableCreator` result, or `<pgSchema>.table(…)`, also as `….withRLS(…)`. */
function tableCallKind(call: ts.CallExpression): { schemaCall: ts.CallExpression | undefined } | undefined {
  let callee = unwrap(call.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === "withRLS") callee = unwrap(callee.expression);
  if (call.arguments.length < 1) return undefined;
  if (ts.isIdentifier(callee) || (ts.isPropertyAccessExpression(callee) && callee.name.text !== "table")) {
    if (isPgCoreExport(callee, "pgTable")) return { schemaCall: undefined };
    // const createTable = pgTableCreator((name) => `app_${name}`), possibly in another file
    const creator = callValue(callee);
    if (creator && isPgCoreExport(creator.expression, "pgTableCreator")) return { schemaCall: undefined };
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const schemaCall = callValue(callee.expression);
  return schemaCall && isPgSchemaCall(schemaCall) ? { schemaCall } : undefined;
}

function readTable(call: ts.CallExpression, schema: string | undefined): DrizzleTable {
  // `pgTable(…).enableRLS()` is still the table.
  let parent: ts.Node | undefined = call.parent;
  while (parent && ts.isPropertyAccessExpression(parent) && parent.parent?.kind === ts.SyntaxKind.CallExpression) parent = parent.parent.parent;
  const declaration = parent && ts.isVariableDeclaration(parent) ? parent : undefined;
  const nameArg = call.arguments[0];
  const name = nameArg ? evaluateString(nameArg) : undefined;
  const table: DrizzleTable = {
    variable: declaration?.name.getText(),
    declaration,
    name: name && "value" in name ? name.value : undefined,
    schema,
    call,
    path: repoPathOf(call),
    columns: [],
    undecidable: [],
  };
  const columnsArg = call.arguments[1];
  // The third argument (indexes, constraints) never adds columns.
  if (columnsArg) new ColumnReader(table).columns(columnsArg, EMPTY_SCOPE, NO_SUBST, 0);
  return table;
}

const NO_SUBST: Substitution = () => undefined;

/** Builder names available inside a `(t) => ({…})` or `({ text, uuid }) => ({…})` columns callback. */
interface BuilderScope {
  namespaces: ReadonlySet<ts.Node>;
  names: ReadonlySet<ts.Node>;
}
const EMPTY_SCOPE: BuilderScope = { namespaces: new Set(), names: new Set() };

interface BuilderChain {
  /** The builder call: `text("brand_id")` in `text("brand_id").notNull()`. */
  builder: ts.CallExpression;
  subst: Substitution;
  notNull: boolean;
  hasDefault: boolean;
}

/** Reads a table's columns argument: object literals, callbacks, constants, spreads and helper calls from anywhere in the repository. */
class ColumnReader {
  private readonly visited = new Set<ts.Node>();

  constructor(private readonly table: DrizzleTable) {}

  private undecidable(node: ts.Node, construct: string): void {
    this.table.undecidable.push(undecidableAt(node, construct));
  }

  columns(arg: ts.Node, scope: BuilderScope, subst: Substitution, depth: number, spread = false): void {
    const expr = unwrap(arg);
    const named = (node: ts.Node) => `${spread ? "the spread `..." : "`"}${constructText(node, 60)}\`${originOf(node, subst)}`;
    if (depth > MAX_DEPTH) return this.undecidable(expr, `\`${constructText(expr, 60)}\` (nested too deeply)`);
    if (ts.isObjectLiteralExpression(expr)) return this.object(expr, scope, subst, depth);
    if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) {
      const returned = returnedExpressions(expr);
      if (returned.length !== 1) return this.undecidable(expr, `the columns callback \`${constructText(expr, 60)}\` (it returns ${returned.length} values)`);
      return this.columns(returned[0]!, callbackScope(expr), subst, depth + 1);
    }
    if (ts.isCallExpression(expr)) {
      // ...timestamps() / columns built by a helper function in the repository
      const fn = functionOf(expr.expression);
      const returned = fn ? returnedExpressions(fn) : [];
      if (fn && returned.length === 1) return this.columns(returned[0]!, scope, bindArguments(fn, expr.arguments, subst), depth + 1);
      return this.undecidable(expr, named(expr));
    }
    const object = objectLiteralOf(expr, subst);
    if (object) return this.object(object, scope, subst, depth + 1);
    this.undecidable(expr, named(expr));
  }

  private object(object: ts.ObjectLiteralExpression, scope: BuilderScope, subst: Substitution, depth: number): void {
    if (this.visited.has(object)) return;
    this.visited.add(object);
    for (const property of object.properties) {
      if (ts.isPropertyAssignment(property)) {
        const key = staticPropertyName(property.name);
        if (key === undefined) {
          const computed = property.name;
          const value = ts.isComputedPropertyName(computed) ? evaluateString(computed.expression, subst) : undefined;
          if (value && "value" in value) this.column(value.value, property.initializer, property, scope, subst, depth);
          else this.undecidable(property, `the computed column key \`${constructText(computed, 60)}\``);
          continue;
        }
        this.column(key, property.initializer, property, scope, subst, depth);
      } else if (ts.isShorthandPropertyAssignment(property)) {
        this.column(property.name.text, property.name, property, scope, subst, depth);
      } else if (ts.isSpreadAssignment(property)) {
        this.columns(property.expression, scope, subst, depth + 1, true);
      }
      // Methods and accessors do not define columns.
    }
  }

  private column(key: string, value: ts.Node, at: ts.Node, scope: BuilderScope, subst: Substitution, depth: number): void {
    const chain = this.builderChain(value, scope, subst, depth);
    if ("undecidable" in chain) return this.undecidable(at, chain.undecidable);
    const first = chain.builder.arguments[0];
    const column: DrizzleColumn = { key, dbName: key, nameFromKey: true, notNull: chain.notNull, hasDefault: chain.hasDefault, node: at };
    if (first && !ts.isObjectLiteralExpression(unwrap(first))) {
      const name = evaluateString(first, chain.subst);
      if ("undecidable" in name) return this.undecidable(at, `the name of column \`${key}\`: ${name.undecidable.construct}`);
      column.dbName = name.value;
      column.nameFromKey = false;
    }
    this.table.columns.push(column);
  }

  /** Walks `text("x").notNull().default(…)` down to the builder call, following constants and helper functions. */
  private builderChain(value: ts.Node, scope: BuilderScope, subst: Substitution, depth: number): BuilderChain | { undecidable: string } {
    let expr = unwrap(value);
    const cannot = (node: ts.Node) => ({ undecidable: `\`${constructText(node, 60)}\`${originOf(node, subst)}` });
    if (depth > MAX_DEPTH) return cannot(expr);
    if (ts.isIdentifier(expr) || ts.isPropertyAccessExpression(expr)) {
      const next = valueOf(expr, subst);
      return next ? this.builderChain(next, scope, subst, depth + 1) : cannot(expr);
    }
    let notNull = false;
    let hasDefault = false;
    // Bounded: a constant can name itself (`const c = c.default(1)`).
    for (let steps = 0; ts.isCallExpression(expr) && steps < 64; steps++) {
      const callee = unwrap(expr.expression);
      // A modifier on a builder chain, written inline or held in a constant (`planColumn.default("free")`).
      const receiver = ts.isPropertyAccessExpression(callee) ? unwrap(callee.expression) : undefined;
      const chained = receiver && (ts.isCallExpression(receiver) ? receiver : (ts.isIdentifier(receiver) || ts.isPropertyAccessExpression(receiver)) && !isBuilder(callee, scope) ? valueOf(receiver, subst) : undefined);
      if (ts.isPropertyAccessExpression(callee) && chained && ts.isCallExpression(chained)) {
        const method = callee.name.text;
        if (NOT_NULL_METHODS.has(method)) notNull = true;
        if (DEFAULT_METHODS.has(method)) hasDefault = true;
        expr = unwrap(chained);
        continue;
      }
      if (isBuilder(callee, scope)) return { builder: expr, subst, notNull, hasDefault };
      // A helper in the repository: `id()`, `brandId()`, `fk("invoice_id")`.
      const fn = functionOf(callee);
      const returned = fn ? returnedExpressions(fn) : [];
      if (fn && returned.length === 1) {
        const inner = this.builderChain(returned[0]!, EMPTY_SCOPE, bindArguments(fn, expr.arguments, subst), depth + 1);
        return "undecidable" in inner ? inner : { ...inner, notNull: inner.notNull || notNull, hasDefault: inner.hasDefault || hasDefault };
      }
      return cannot(expr);
    }
    return cannot(expr);
  }
}

/** A drizzle builder: imported from drizzle, a callback's builder, or a `pgEnum` / `customType` / `schema.enum` result. */
function isBuilder(callee: ts.Node, scope: BuilderScope): boolean {
  if (ts.isIdentifier(callee)) {
    const declaration = resolveName(callee).declaration;
    if (declaration && scope.names.has(declaration)) return true;
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const target = unwrap(callee.expression);
    const declaration = ts.isIdentifier(target) ? resolveName(target).declaration : undefined;
    if (declaration && scope.namespaces.has(declaration)) return true;
  }
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return false;
  if (resolveName(callee).imports.some((step) => isDrizzleModule(step.module))) return true;
  // const statusEnum = pgEnum("status", […]) / billing.enum(…) / customType<…>({…}), anywhere in the repository
  const made = callValue(callee);
  if (!made) return false;
  const maker = unwrap(made.expression);
  if (ts.isPropertyAccessExpression(maker) && maker.name.text === "enum") {
    const schemaCall = callValue(maker.expression);
    return !!schemaCall && isPgSchemaCall(schemaCall);
  }
  return (ts.isIdentifier(maker) || ts.isPropertyAccessExpression(maker)) && resolveName(maker).imports.some((step) => isDrizzleModule(step.module));
}

/** `(t) => …` binds a builder namespace; `({ text, uuid: id }) => …` binds builder names. */
function callbackScope(fn: ts.Node): BuilderScope {
  if (!isFunctionLike(fn)) return EMPTY_SCOPE;
  const param = fn.parameters[0];
  const name = param?.name;
  if (!param || !name) return EMPTY_SCOPE;
  if (ts.isIdentifier(name)) return { namespaces: new Set([param]), names: new Set() };
  if (ts.isObjectBindingPattern(name)) return { namespaces: new Set(), names: new Set(name.elements) };
  return EMPTY_SCOPE;
}
