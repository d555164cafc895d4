import { Node, SyntaxKind, type CallExpression, type ObjectLiteralExpression, type SourceFile } from "ts-morph";
import type { ServiceContext } from "../engine/context.js";
import { importBindings, refersToImport } from "./imports.js";

const PG_CORE = "drizzle-orm/pg-core";
/** Builder-chain methods that make a column NOT NULL or give it a default (for insert checks). */
const NOT_NULL_METHODS = new Set(["notNull", "primaryKey"]);
const DEFAULT_METHODS = new Set(["default", "defaultNow", "defaultRandom", "$default", "$defaultFn", "generatedAlwaysAs", "generatedAlwaysAsIdentity", "generatedByDefaultAsIdentity"]);
/** How far the analysis follows local helpers, variables and spreads before giving up. */
const MAX_DEPTH = 8;

/** Something the analysis cannot decide from this file alone, named as written. */
export interface UndecidableConstruct {
  construct: string;
  node: Node;
}

export interface DrizzleColumn {
  /** The property key in the columns object (`brandId`). */
  key: string;
  /**
   * The database column name: the builder's name argument, or the key when
   * the builder has none; `undefined` when it cannot be decided.
   */
  dbName: string | undefined;
  /** The builder has no name argument, so the key names the column (drizzle's `casing` may snake_case it). */
  nameFromKey: boolean;
  notNull: boolean;
  hasDefault: boolean;
  node: Node;
}

export interface DrizzleTable {
  /** The variable the table is assigned to (`invoices`), if any. */
  variable: string | undefined;
  /** The SQL table name (first argument), when it is a literal. */
  name: string | undefined;
  /** The pgSchema name; `undefined` for pgTable (public) or when it cannot be resolved. */
  schema: string | undefined;
  /** The table call (`pgTable(…)`, `billing.table(…)`): findings point here. */
  call: CallExpression;
  columns: DrizzleColumn[];
  /** Column sources the analysis cannot see into (imported spreads, helper calls, …). */
  undecidable: UndecidableConstruct[];
}

export interface DrizzleSchemaDeclaration {
  /** `undefined` when the argument is not a string literal. */
  name: string | undefined;
  call: CallExpression;
}

export interface DrizzleSchema {
  path: string;
  tables: DrizzleTable[];
  /** Every `pgSchema(…)` call in the file. */
  schemas: DrizzleSchemaDeclaration[];
}

/** The service's `src/db/schema.ts`, analysed once per check; `undefined` when the file does not exist. */
export function drizzleSchema(ctx: ServiceContext): Promise<DrizzleSchema | undefined> {
  return ctx.memo("drizzle-schema", async () => {
    const path = ctx.path("src/db/schema.ts");
    const file = await ctx.sourceFile(path);
    return file ? analyseSchemaFile(path, file) : undefined;
  });
}

/** Whether a column is the brand id by its database name (`brand_id`, or the key `brandId` under drizzle's snake_case casing). */
export function isBrandIdColumn(column: DrizzleColumn): boolean {
  return column.dbName === "brand_id" || (column.nameFromKey && column.key === "brandId");
}

export function analyseSchemaFile(path: string, file: SourceFile): DrizzleSchema {
  const schemas: DrizzleSchemaDeclaration[] = [];
  const tables: DrizzleTable[] = [];
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (refersToImport(call.getExpression(), file, PG_CORE, "pgSchema")) {
      schemas.push({ name: stringValue(call.getArguments()[0]), call });
      continue;
    }
    const table = tableCall(call, file);
    if (table) tables.push(readTable(call, file, table.schema));
  }
  return { path, tables, schemas };
}

/** Whether a call defines a table, and in which schema. */
function tableCall(call: CallExpression, file: SourceFile): { schema: string | undefined } | undefined {
  const callee = call.getExpression();
  if (refersToImport(callee, file, PG_CORE, "pgTable")) return { schema: undefined };
  if (Node.isIdentifier(callee)) {
    // const createTable = pgTableCreator((name) => `app_${name}`); createTable("x", {...})
    const init = localInitializer(file, callee.getText());
    if (init && Node.isCallExpression(init) && refersToImport(init.getExpression(), file, PG_CORE, "pgTableCreator")) return { schema: undefined };
    return undefined;
  }
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== "table") return undefined;
  const receiver = unwrap(callee.getExpression());
  // pgSchema("x").table(...)
  if (Node.isCallExpression(receiver) && refersToImport(receiver.getExpression(), file, PG_CORE, "pgSchema")) {
    return { schema: stringValue(receiver.getArguments()[0]) };
  }
  if (!Node.isIdentifier(receiver)) return undefined;
  // const billing = pgSchema("billing"); billing.table(...)
  const init = localInitializer(file, receiver.getText());
  if (init && Node.isCallExpression(init) && refersToImport(init.getExpression(), file, PG_CORE, "pgSchema")) {
    return { schema: stringValue(init.getArguments()[0]) };
  }
  // A schema object imported from another file: still a table when it has the table-call shape.
  const args = call.getArguments();
  const imported = importBindings(file).named.has(receiver.getText());
  if (imported && args.length >= 2 && stringValue(args[0]) !== undefined) return { schema: undefined };
  return undefined;
}

function readTable(call: CallExpression, file: SourceFile, schema: string | undefined): DrizzleTable {
  const parent = call.getParent();
  const table: DrizzleTable = {
    variable: parent && Node.isVariableDeclaration(parent) ? parent.getName() : undefined,
    name: stringValue(call.getArguments()[0]),
    schema,
    call,
    columns: [],
    undecidable: [],
  };
  const columnsArg = call.getArguments()[1];
  // The third argument (indexes, constraints) never adds columns: it is ignored.
  if (!columnsArg) {
    table.undecidable.push({ construct: `${shortText(call)} (no columns argument)`, node: call });
    return table;
  }
  readColumnsArgument(table, file, columnsArg, 0);
  return table;
}

/** Builder names available inside a `(t) => ({...})` or `({ text, uuid }) => ({...})` columns callback. */
interface BuilderScope {
  namespaces: Set<string>;
  names: Set<string>;
}

function readColumnsArgument(table: DrizzleTable, file: SourceFile, arg: Node, depth: number): void {
  const expr = unwrap(arg);
  if (Node.isObjectLiteralExpression(expr)) return readColumnsObject(table, file, expr, { namespaces: new Set(), names: new Set() }, new Set(), depth);
  if (Node.isArrowFunction(expr) || Node.isFunctionExpression(expr)) {
    const scope: BuilderScope = { namespaces: new Set(), names: new Set() };
    const param = expr.getParameters()[0]?.getNameNode();
    if (param && Node.isIdentifier(param)) scope.namespaces.add(param.getText());
    if (param && Node.isObjectBindingPattern(param)) for (const el of param.getElements()) scope.names.add(el.getName());
    const returned = returnedExpression(expr);
    if (returned && Node.isObjectLiteralExpression(returned)) return readColumnsObject(table, file, returned, scope, new Set(), depth);
    table.undecidable.push({ construct: `columns callback \`${shortText(expr)}\``, node: expr });
    return;
  }
  if (Node.isIdentifier(expr) && depth < MAX_DEPTH) {
    const init = localInitializer(file, expr.getText());
    if (init) return readColumnsArgument(table, file, init, depth + 1);
  }
  table.undecidable.push({ construct: `columns \`${shortText(expr)}\`${importNote(file, expr)}`, node: expr });
}

function readColumnsObject(
  table: DrizzleTable,
  file: SourceFile,
  object: ObjectLiteralExpression,
  scope: BuilderScope,
  visited: Set<Node>,
  depth: number,
): void {
  if (visited.has(object)) return;
  visited.add(object);
  for (const property of object.getProperties()) {
    if (Node.isPropertyAssignment(property)) {
      const nameNode = property.getNameNode();
      if (Node.isComputedPropertyName(nameNode)) {
        table.undecidable.push({ construct: `computed column key \`${shortText(nameNode)}\``, node: property });
        continue;
      }
      const key = Node.isStringLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode) ? nameNode.getLiteralText() : nameNode.getText();
      readColumn(table, file, key, property.getInitializerOrThrow(), property, scope, depth);
    } else if (Node.isShorthandPropertyAssignment(property)) {
      const key = property.getName();
      const init = localInitializer(file, key);
      if (init) readColumn(table, file, key, init, property, scope, depth + 1);
      else table.undecidable.push({ construct: `column \`${key}\`${importNote(file, property.getNameNode())}`, node: property });
    } else if (Node.isSpreadAssignment(property)) {
      const spread = unwrap(property.getExpression());
      // ...brandScoped, where `const brandScoped = { ... }` is in this file (possibly spreading others itself)
      const init = Node.isIdentifier(spread) && depth < MAX_DEPTH ? localInitializer(file, spread.getText()) : undefined;
      const target = init ? unwrap(init) : undefined;
      if (target && Node.isObjectLiteralExpression(target)) {
        readColumnsObject(table, file, target, scope, visited, depth + 1);
      } else {
        table.undecidable.push({ construct: `spread \`...${shortText(spread)}\`${importNote(file, spread)}`, node: property });
      }
    }
    // Methods and accessors do not define columns.
  }
}

function readColumn(table: DrizzleTable, file: SourceFile, key: string, value: Node, at: Node, scope: BuilderScope, depth: number): void {
  const chain = builderChain(file, value, scope, depth);
  if (!chain) {
    table.undecidable.push({ construct: `column \`${key}: ${shortText(value)}\``, node: at });
    return;
  }
  const column: DrizzleColumn = { key, dbName: key, nameFromKey: true, notNull: chain.notNull, hasDefault: chain.hasDefault, node: at };
  const first = chain.builder.getArguments()[0];
  const literal = stringValue(first);
  if (literal !== undefined) {
    column.dbName = literal;
    column.nameFromKey = false;
  } else if (first && !Node.isObjectLiteralExpression(unwrap(first))) {
    // text(COLUMN_NAME): a name held elsewhere.
    table.undecidable.push({ construct: `column \`${key}: ${shortText(value)}\``, node: at });
    return;
  } else if (!chain.known) {
    table.undecidable.push({ construct: `column \`${key}: ${shortText(value)}\``, node: at });
    return;
  }
  table.columns.push(column);
}

interface BuilderChain {
  /** The innermost call: `text("brand_id")` in `text("brand_id").notNull()`. */
  builder: CallExpression;
  /** Whether the builder is a drizzle one (import, callback parameter, local customType). */
  known: boolean;
  notNull: boolean;
  hasDefault: boolean;
}

/** Walks `text("x").notNull().default(…)` down to the builder call, following local helpers. */
function builderChain(file: SourceFile, value: Node, scope: BuilderScope, depth: number): BuilderChain | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let expr = unwrap(value);
  if (Node.isIdentifier(expr)) {
    const init = localInitializer(file, expr.getText());
    return init ? builderChain(file, init, scope, depth + 1) : undefined;
  }
  let notNull = false;
  let hasDefault = false;
  while (Node.isCallExpression(expr)) {
    const callee = expr.getExpression();
    if (Node.isPropertyAccessExpression(callee) && Node.isCallExpression(unwrap(callee.getExpression()))) {
      const method = callee.getName();
      if (NOT_NULL_METHODS.has(method)) notNull = true;
      if (DEFAULT_METHODS.has(method)) hasDefault = true;
      expr = unwrap(callee.getExpression());
      continue;
    }
    const known = isKnownBuilder(file, callee, scope);
    if (!known && Node.isIdentifier(callee) && expr.getArguments().length === 0) {
      // A local helper such as `const id = () => uuid("id").primaryKey()`.
      const returned = localHelperReturn(file, callee.getText());
      const inner = returned ? builderChain(file, returned, scope, depth + 1) : undefined;
      if (inner) return { ...inner, notNull: inner.notNull || notNull, hasDefault: inner.hasDefault || hasDefault };
    }
    return { builder: expr, known, notNull, hasDefault };
  }
  return undefined;
}

function isKnownBuilder(file: SourceFile, callee: Node, scope: BuilderScope): boolean {
  if (Node.isIdentifier(callee)) {
    const name = callee.getText();
    if (scope.names.has(name)) return true;
    const bound = importBindings(file).named.get(name);
    if (bound) return bound.module === PG_CORE;
    const init = localInitializer(file, name);
    return !!init && Node.isCallExpression(init) && refersToImport(init.getExpression(), file, PG_CORE, "customType");
  }
  if (Node.isPropertyAccessExpression(callee)) {
    const target = callee.getExpression();
    if (!Node.isIdentifier(target)) return false;
    if (scope.namespaces.has(target.getText())) return true;
    return importBindings(file).namespaces.get(target.getText()) === PG_CORE;
  }
  return false;
}

/** The initializer of a top-level `const`/`let` in the file. */
function localInitializer(file: SourceFile, name: string): Node | undefined {
  const decl = file.getVariableDeclaration(name);
  return decl ? unwrap(decl.getInitializer()) : undefined;
}

/** What a top-level helper (`function name() { return … }` or `const name = () => …`) returns. */
function localHelperReturn(file: SourceFile, name: string): Node | undefined {
  const fn = file.getFunction(name) ?? localInitializer(file, name);
  return fn ? returnedExpression(fn) : undefined;
}

/** The expression an arrow or function expression returns, when it has a single obvious one. */
export function returnedExpression(fn: Node): Node | undefined {
  if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn) && !Node.isFunctionDeclaration(fn) && !Node.isMethodDeclaration(fn)) return undefined;
  const body = fn.getBody();
  if (!body) return undefined;
  if (!Node.isBlock(body)) return unwrap(body);
  const returns = body.getDescendantsOfKind(SyntaxKind.ReturnStatement).filter((r) => r.getFirstAncestor((a) => isFunctionLike(a)) === fn);
  return returns.length === 1 ? unwrap(returns[0]!.getExpression()) : undefined;
}

function isFunctionLike(node: Node): boolean {
  return Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node) || Node.isConstructorDeclaration(node) || Node.isGetAccessorDeclaration(node) || Node.isSetAccessorDeclaration(node);
}

function importNote(file: SourceFile, node: Node): string {
  const root = Node.isPropertyAccessExpression(node) ? node.getExpression() : Node.isCallExpression(node) ? node.getExpression() : node;
  const name = Node.isIdentifier(root) ? root.getText() : Node.isPropertyAccessExpression(root) && Node.isIdentifier(root.getExpression()) ? root.getExpression().getText() : undefined;
  if (!name) return "";
  const bindings = importBindings(file);
  const module = bindings.named.get(name)?.module ?? bindings.namespaces.get(name);
  return module ? ` imported from "${module}"` : "";
}

/** A string literal's value (including a template without substitutions). */
export function stringValue(node: Node | undefined): string | undefined {
  const expr = unwrap(node);
  if (expr && (Node.isStringLiteral(expr) || Node.isNoSubstitutionTemplateLiteral(expr))) return expr.getLiteralText();
  return undefined;
}

/** Strips parentheses and type assertions (`(x)`, `x as T`, `x satisfies T`, `x!`). */
export function unwrap(node: Node): Node;
export function unwrap(node: Node | undefined): Node | undefined;
export function unwrap(node: Node | undefined): Node | undefined {
  let current = node;
  while (
    current &&
    (Node.isParenthesizedExpression(current) || Node.isAsExpression(current) || Node.isSatisfiesExpression(current) || Node.isNonNullExpression(current))
  ) {
    current = current.getExpression();
  }
  return current;
}

/** A construct's source text on one line, shortened for messages. */
export function shortText(node: Node): string {
  const text = node.getText().replace(/\s+/g, " ");
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
