import ts from "typescript";
import type { ServiceContext } from "../../engine/context.js";
import { readRawSql } from "../sql/brand-filter.js";
import { pgParser, type PgParser } from "../sql/pg-parser.js";
import { excerptOf } from "../sql/sql-text.js";
import { resolveName } from "../ts/symbols.js";
import { constructText, hasModifier, isFunctionLike, isImplementation, returnedExpressions, staticPropertyName, unwrap, writtenName, type FunctionLike } from "../ts/syntax.js";
import { evaluateString, functionOf, originOf, valueOf, type Substitution } from "../ts/values.js";
import { drizzleSchema, isBrandIdColumn, isDrizzleModule, tableDeclaredBy, tableNamed, type DrizzleSchema, type DrizzleTable } from "./schema.js";
import { callsIn, descendants, firstAncestor } from "../ts/walk.js";

/** `src/db/<entity>.repository.ts` as the guide places them, and in any folder under src/ (`src/db/repositories/`, `src/modules/x/`): a query there is still a repository query. */
const REPOSITORY_FILE = /^src\/(?:[^/]+\/)*[^/]+\.repository\.ts$/;
const SELECT_METHODS = new Set(["select", "selectDistinct", "selectDistinctOn"]);
/** Operators that filter by a column's value; `eq(t.brandId, …)` or `inArray(t.brandId, …)` scope to brands. */
const BRAND_FILTER_OPERATORS = new Set(["eq", "inArray"]);
const DRIZZLE_OPERATORS = new Set([
  "eq", "ne", "and", "or", "not", "gt", "gte", "lt", "lte", "isNull", "isNotNull", "inArray", "notInArray", "exists", "notExists",
  "between", "notBetween", "like", "notLike", "ilike", "notIlike", "arrayContains", "arrayContained", "arrayOverlaps",
]);
const MAX_DEPTH = 8;

export type QueryVerb = "reads" | "updates" | "deletes from" | "counts";

/** A query the analysis found wanting, with what a rule needs to say so. */
export type QueryFinding =
  | { kind: "noWhere" | "noBrandFilter"; method: string; verb: QueryVerb; table: string; column: string; node: ts.Node }
  | { kind: "undecidable"; method: string; verb: QueryVerb; table: string; column: string; construct: string; node: ts.Node }
  | { kind: "insertWithoutBrand"; method: string; table: string; node: ts.Node }
  | { kind: "insertUndecidable"; method: string; table: string; construct: string; node: ts.Node }
  | { kind: "rawWithoutBrand"; method: string; verb: string; table: string; excerpt: string; node: ts.Node }
  | { kind: "rawUndecidable"; method: string; construct: string; node: ts.Node };

/**
 * Every query in the service's `src/db/*.repository.ts` files, checked for a
 * brand filter: classes, their base classes' `this.table` queries, and
 * top-level functions alike. Findings are plain data plus the node to point at
 * (which may be in another file than the query: the call passing a filter).
 */
export function repositoryQueries(ctx: ServiceContext): Promise<QueryFinding[]> {
  return ctx.memo("repository-queries", async () => {
    const schema = await drizzleSchema(ctx);
    const prefix = `${ctx.service.dir}/`;
    const files: ts.SourceFile[] = [];
    for (const path of ctx.files) {
      if (!REPOSITORY_FILE.test(path.slice(prefix.length))) continue;
      const file = await ctx.sourceFile(path);
      if (file) files.push(file);
    }
    // Loaded before any name is resolved: names resolved before an await can go stale when other rules add files meanwhile.
    const pg = files.length ? await pgParser() : undefined;
    // Synchronous from here: every file is in the program.
    const checked = [...files, ...baseClassFiles(files)];
    return checked.flatMap((file) => new FileQueries(file, schema, pg, files).run());
  });
}

/**
 * Files outside `*.repository.ts` that declare a base class of a repository
 * (`class InvoiceRepository extends BaseRepository<…>` with the base in
 * `src/db/base.ts` or a workspace package): their queries run for the
 * repository, so they are checked too.
 */
function baseClassFiles(files: readonly ts.SourceFile[]): ts.SourceFile[] {
  const found = new Set<ts.SourceFile>();
  const queue: ts.ClassLikeDeclaration[] = files.flatMap((f) => f.statements.filter(ts.isClassDeclaration));
  for (let i = 0; i < queue.length && i < 200; i++) {
    const heritage = extendsExpression(queue[i]!);
    const base = heritage ? resolveName(heritage).declaration : undefined;
    if (!base || !ts.isClassDeclaration(base)) continue;
    const file = base.getSourceFile();
    if (!files.includes(file)) found.add(file);
    queue.push(base);
  }
  return [...found];
}


/** A filter's verdict: it scopes to one brand, it does not, or it cannot be told statically (and why). */
type Verdict = { kind: "yes" } | { kind: "no" } | { kind: "unknown"; construct: string };
const YES: Verdict = { kind: "yes" };
const NO: Verdict = { kind: "no" };

/** zod methods on a schema whose effect on its keys is known (the rest make a schema this analysis does not read). */
const SCHEMA_STEPS = new Set(["extend", "omit", "pick", "partial", "required", "strict", "passthrough", "strip", "describe", "openapi", "meta", "readonly", "brand"]);
/** Of those, the ones that need a literal `{ key: … }` argument to be read. */
const KEYED_SCHEMA_STEPS = new Set(["extend", "omit", "pick"]);
/** TypeScript's global utility types an insert parameter is typed with. */
const UTILITY_TYPES = new Set(["Omit", "Pick", "Partial", "Readonly", "Required", "NonNullable"]);

/** `"id"`, `"id" | "createdAt"`: the keys a type names, or undefined when one is not a string literal. */
function literalKeys(type: ts.TypeNode): string[] | undefined {
  const parts = ts.isUnionTypeNode(type) ? type.types : [type];
  const keys: string[] = [];
  for (const part of parts) {
    if (!ts.isLiteralTypeNode(part) || !ts.isStringLiteral(part.literal)) return undefined;
    keys.push(part.literal.text);
  }
  return keys;
}
const unknown = (node: ts.Node, what?: string): Verdict => ({ kind: "unknown", construct: what ?? `\`${constructText(node, 60)}\`` });
const NO_SUBST: Substitution = () => undefined;

/** One query: where it starts, what it touches, and the node findings point at. */
interface Query {
  verb: QueryVerb;
  table: string;
  column: string;
  anchor: ts.Node;
  start: ts.CallExpression;
}

class FileQueries {
  private readonly brandKeys = new Set(["brandId", "brand_id"]);
  private readonly findings: QueryFinding[] = [];

  constructor(
    private readonly file: ts.SourceFile,
    private readonly schema: DrizzleSchema | undefined,
    private readonly pg: PgParser | undefined,
    private readonly repositoryFiles: readonly ts.SourceFile[],
  ) {
    for (const table of schema?.tables ?? []) for (const column of table.columns) if (isBrandIdColumn(column)) this.brandKeys.add(column.key);
  }

  run(): QueryFinding[] {
    for (const call of callsIn(this.file)) {
      const callee = unwrap(call.expression);
      if (!ts.isPropertyAccessExpression(callee)) continue;
      const name = callee.name.text;
      const receiver = unwrap(callee.expression);
      const args = call.arguments;
      if (name === "from" && args.length === 1 && this.isSelect(receiver)) {
        if (this.isLocalSubquery(args[0]!)) continue; // the subquery is checked where it is built
        this.checkFiltered({ ...this.describe("reads", args[0]!), anchor: selectAnchor(receiver, callee), start: call });
      } else if (name === "update" && args.length === 1 && chainAbove(call).some((c) => methodName(c) === "set")) {
        this.checkFiltered({ ...this.describe("updates", args[0]!), anchor: callee.name, start: call });
      } else if (name === "delete" && args.length === 1 && this.isDrizzleDelete(call)) {
        this.checkFiltered({ ...this.describe("deletes from", args[0]!), anchor: callee.name, start: call });
      } else if (name === "insert" && args.length === 1) {
        const values = chainAbove(call).find((c) => methodName(c) === "values");
        if (values) this.checkInsert(call, values);
      } else if ((name === "findMany" || name === "findFirst") && ts.isPropertyAccessExpression(receiver) && isQueryNamespace(receiver.expression)) {
        this.checkRelationalQuery(call, receiver.name.text, callee.name);
      } else if (name === "$count" && args.length >= 1) {
        const query: Query = { ...this.describe("counts", args[0]!), anchor: callee.name, start: call };
        this.reportVerdict(query, args[1] ? this.filterVerdict(args[1], FilterScope.EMPTY, NO_SUBST, 0) : undefined);
      } else if (name === "execute" && args.length >= 1 && isSqlLike(args[0]!)) {
        this.checkRawSql(call, args[0]!, callee.name);
      } else if (name === "query" && args.length >= 1 && isClientReceiver(receiver)) {
        this.checkRawSql(call, args[0]!, callee.name);
      }
    }
    return this.findings;
  }

  // ── what a query touches ─────────────────────────────────────────────

  private describe(verb: QueryVerb, tableArg: ts.Node): Pick<Query, "verb" | "table" | "column"> {
    const table = constructText(tableArg, 60);
    return { verb, table, column: `${table}.brandId` };
  }

  /** `db.select()…`, or a variable holding one (`let q = this.db.select(); q = q.from(t)`). */
  private isSelect(receiver: ts.Node): boolean {
    const name = methodName(receiver);
    if (name && SELECT_METHODS.has(name)) return true;
    if (!ts.isIdentifier(receiver)) return false;
    return this.valuesOfVariable(receiver).some((v) => SELECT_METHODS.has(methodName(unwrap(v)) ?? ""));
  }

  /** `.delete(x)` is drizzle's when the chain goes on with where/returning or `x` is a table (not `map.delete(key)`). */
  private isDrizzleDelete(call: ts.CallExpression): boolean {
    if (chainAbove(call).some((c) => ["where", "returning"].includes(methodName(c) ?? ""))) return true;
    return this.isTable(call.arguments[0]!);
  }

  private isTable(expr: ts.Node): boolean {
    const node = unwrap(expr);
    if (tableNamed(this.schema, node)) return true;
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) return node.name.text === "table";
    return (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) && resolveName(node).imports.length > 0 && !resolveName(node).external;
  }

  private isLocalSubquery(arg: ts.Node): boolean {
    const node = unwrap(arg);
    if (!ts.isIdentifier(node)) return false;
    const value = valueOf(node);
    const name = value ? methodName(value) : undefined;
    return name === "as" || name === "$with";
  }

  // ── filters ──────────────────────────────────────────────────────────

  private checkFiltered(query: Query): void {
    const wheres = this.wheresOf(query.start, 0);
    if (wheres === "dynamic") return this.reportVerdict(query, unknown(query.start, "a dynamic query (`$dynamic()`)"));
    if (wheres.length === 0) return this.reportVerdict(query, undefined);
    // Each place the query is finished is checked on its own: a helper returning a builder has several callers.
    for (const where of wheres) {
      const at = where.caller ? { ...query, anchor: nameNode(where.caller.expression), start: where.caller } : query;
      // A filter the function receives (`findWhere(where: SQL)` in a base repository) is checked at each call, where it is written.
      const passed = where.filter ? this.argumentsFor(where.filter) : [];
      if (passed.length) {
        for (const { call, arg } of passed) this.reportVerdict({ ...at, anchor: nameNode(call.expression), start: call }, arg ? this.filterVerdict(arg, FilterScope.EMPTY, NO_SUBST, 0) : undefined);
        continue;
      }
      this.reportVerdict(at, where.filter ? this.filterVerdict(where.filter, FilterScope.EMPTY, where.subst ?? NO_SUBST, 0) : undefined);
    }
  }

  /** When `expr` is a parameter: each call of its function in the repository files, with the argument it passes. */
  private argumentsFor(expr: ts.Node): Array<{ call: ts.CallExpression; arg: ts.Node | undefined }> {
    const declaration = resolveName(unwrap(expr)).declaration;
    if (!declaration || !ts.isParameter(declaration)) return [];
    const fn = declaration.parent;
    if (!isFunctionLike(fn)) return [];
    const index = fn.parameters.indexOf(declaration);
    return this.callsTo(fn).map((call) => ({ call, arg: call.arguments[index] }));
  }

  /**
   * Where a query gets its filter: `.where(…)` in its own chain; on a variable
   * it is assigned to, later in the same function (`q = q.where(…)`); or, when
   * a function returns the builder, in each caller's chain.
   */
  private wheresOf(start: ts.Node, depth: number): Array<{ filter: ts.Node | undefined; caller?: ts.CallExpression; subst?: Substitution }> | "dynamic" {
    const chain = chainAbove(start);
    const where = chain.find((c) => methodName(c) === "where");
    if (where) return [{ filter: where.arguments[0] }];
    const top = chain[chain.length - 1] ?? start;
    const later = this.laterWheres(top);
    if (later.length) return later.map((filter) => ({ filter }));
    const viaHelper = depth < MAX_DEPTH ? this.helperWheres(top) : [];
    if (viaHelper.length) return viaHelper;
    const fn = depth < MAX_DEPTH ? returningFunction(top) : undefined;
    const callers = fn ? this.callsTo(fn) : [];
    if (callers.length) {
      return callers.flatMap((caller) => {
        const inner = this.wheresOf(caller, depth + 1);
        if (inner === "dynamic") return [{ filter: undefined, caller }];
        return inner.map((w) => ({ ...w, caller: w.caller ?? caller }));
      });
    }
    if (chain.some((c) => methodName(c) === "$dynamic")) return "dynamic";
    return [];
  }

  /**
   * Drizzle's dynamic query building: the builder (or the variable holding it)
   * passed to a repository helper that adds the where on its parameter
   * (`function scoped<T extends PgSelect>(qb: T, brandId: string) { return
   * qb.where(eq(t.brandId, brandId)) }`), read with the call's arguments.
   */
  private helperWheres(top: ts.Node): Array<{ filter: ts.Node; subst: Substitution }> {
    const uses: ts.Node[] = [top];
    const variable = assignedVariable(top);
    if (variable && ts.isIdentifier(variable.name)) {
      const name = variable.name.text;
      const body = firstAncestor(variable, isFunctionLike) ?? variable.getSourceFile();
      uses.push(...descendants(body, ts.isIdentifier).filter((id) => id.text === name && id.getStart() > top.getStart() && resolveName(id).declaration === variable));
    }
    const found: Array<{ filter: ts.Node; subst: Substitution }> = [];
    for (const use of uses) {
      let node: ts.Node = use;
      while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
      const call = node.parent;
      if (!call || !ts.isCallExpression(call) || call.expression === node) continue;
      const index = call.arguments.indexOf(node as ts.Expression);
      const fn = functionOf(call.expression);
      const param = fn?.parameters[index];
      if (!fn || !param || !ts.isIdentifier(param.name)) continue;
      const subst = bindParameters(fn, call.arguments, NO_SUBST);
      for (const id of descendants(fn, ts.isIdentifier)) {
        if (id.text !== param.name.text || resolveName(id).declaration !== param) continue;
        const where = chainAbove(id).find((c) => methodName(c) === "where");
        if (where?.arguments[0]) found.push({ filter: where.arguments[0], subst });
      }
    }
    return found;
  }

  /** `const q = db.select().from(t); … q.where(…)` / `q = q.where(…)`: wheres applied to the variable later in the same function. */
  private laterWheres(top: ts.Node): ts.Node[] {
    const variable = assignedVariable(top);
    if (!variable) return [];
    if (!ts.isIdentifier(variable.name)) return [];
    const name = variable.name.text;
    const body = firstAncestor(variable, isFunctionLike) ?? variable.getSourceFile();
    const after = top.getStart();
    return descendants(body, ts.isIdentifier)
      .filter((id) => id.text === name && id.getStart() > after && resolveName(id).declaration === variable)
      .flatMap((id) => {
        const where = chainAbove(id).find((c) => methodName(c) === "where");
        return where?.arguments[0] ? [where.arguments[0]!] : [];
      });
  }

  /** What a `let`/`const` variable is given: its initializer and every assignment to it. */
  private valuesOfVariable(id: ts.Node): ts.Node[] {
    const declaration = resolveName(id).declaration;
    if (!declaration || !ts.isVariableDeclaration(declaration)) return [];
    const values: ts.Node[] = [];
    const init = declaration.initializer;
    if (init) values.push(init);
    const scope = firstAncestor(declaration, isFunctionLike) ?? declaration.getSourceFile();
    for (const assignment of descendants(scope, ts.isBinaryExpression)) {
      const left = assignment.left;
      if (assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(left) && resolveName(left).declaration === declaration) values.push(assignment.right);
    }
    return values;
  }

  /** Calls to a function or method from any repository file of the service (`this.base()`, `super.findAll(…)`, `helper()`). */
  private callsTo(fn: FunctionLike): ts.CallExpression[] {
    const name = functionName(fn);
    if (!name) return [];
    return this.repositoryFiles.flatMap((file) =>
      callsIn(file).filter((call) => {
        const callee = unwrap(call.expression);
        const calleeName = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
        return calleeName === name && (functionOf(callee) ?? inheritedMethod(callee)) === fn;
      }),
    );
  }

  private reportVerdict(query: Query, verdict: Verdict | undefined): void {
    const base = { method: this.methodOf(query.start), verb: query.verb, table: query.table, column: query.column, node: query.anchor };
    if (!verdict) this.findings.push({ kind: "noWhere", ...base });
    else if (verdict.kind === "no") this.findings.push({ kind: "noBrandFilter", ...base });
    else if (verdict.kind === "unknown") this.findings.push({ kind: "undecidable", ...base, construct: verdict.construct });
  }

  private checkRelationalQuery(call: ts.CallExpression, tableName: string, anchor: ts.Node): void {
    const query: Query = { verb: "reads", table: `query.${tableName}`, column: `${tableName}.brandId`, anchor, start: call };
    const arg = call.arguments[0];
    if (!arg) return this.reportVerdict(query, undefined);
    const options = ts.isObjectLiteralExpression(unwrap(arg)) ? unwrap(arg) : valueOf(arg);
    if (!options || !ts.isObjectLiteralExpression(options)) return this.reportVerdict(query, unknown(arg, `the options \`${constructText(arg, 60)}\`${originOf(arg)}`));
    const where = options.properties.find((p) => writtenName(p) === "where");
    if (where && ts.isPropertyAssignment(where)) return this.reportVerdict(query, this.filterVerdict(where.initializer, FilterScope.EMPTY, NO_SUBST, 0));
    if (where && ts.isShorthandPropertyAssignment(where)) return this.reportVerdict(query, this.filterVerdict(where.name, FilterScope.EMPTY, NO_SUBST, 0));
    const spread = options.properties.find((p) => ts.isSpreadAssignment(p));
    this.reportVerdict(query, spread ? unknown(spread) : undefined);
  }

  /** Whether a where expression scopes the query to one brand. */
  private filterVerdict(node: ts.Node, scope: FilterScope, subst: Substitution, depth: number): Verdict {
    const expr = unwrap(node);
    if (depth > MAX_DEPTH) return unknown(expr);
    if (ts.isCallExpression(expr)) {
      const op = this.operatorOf(expr, scope);
      const args = expr.arguments;
      const each = () => args.map((a) => (ts.isSpreadElement(a) ? this.spreadVerdict(a.expression, scope, subst, depth) : this.filterVerdict(a, scope, subst, depth + 1)));
      if (op === "and") return combineAny(each());
      if (op === "or") return combineAll(each());
      if (op && BRAND_FILTER_OPERATORS.has(op)) return this.comparesBrandWithValue(args[0], args[1], scope, subst) ? YES : NO;
      if (op) return NO;
      // A helper that builds the condition: `this.byBrand(brandId)`, a function in another file.
      const fn = functionOf(expr.expression);
      const returned = fn ? returnedExpressions(fn) : [];
      if (fn && returned.length) return combineAll(returned.map((r) => this.filterVerdict(r, FilterScope.EMPTY, bindParameters(fn, args, subst), depth + 1)));
      return unknown(expr, `\`${constructText(expr, 60)}\`${originOf(expr, subst)}`);
    }
    if (ts.isTaggedTemplateExpression(expr)) return this.sqlConditionVerdict(expr);
    if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) {
      // Relational where callback: (table, { eq, and }) => and(eq(table.brandId, …), …)
      const returned = returnedExpressions(expr);
      return returned.length ? combineAll(returned.map((r) => this.filterVerdict(r, FilterScope.fromCallback(expr), subst, depth + 1))) : unknown(expr);
    }
    if (ts.isObjectLiteralExpression(expr)) return this.objectFilterVerdict(expr, depth);
    if (ts.isConditionalExpression(expr)) return combineAll([this.filterVerdict(expr.whenTrue, scope, subst, depth + 1), this.filterVerdict(expr.whenFalse, scope, subst, depth + 1)]);
    if (ts.isIdentifier(expr) || ts.isPropertyAccessExpression(expr)) {
      if (ts.isIdentifier(expr) && expr.text === "undefined") return NO;
      const value = valueOf(expr, subst) ?? this.letValue(expr);
      if (value && value !== expr) return this.filterVerdict(value, scope, subst, depth + 1);
      return this.parameterVerdict(expr, depth) ?? unknown(expr, `\`${constructText(expr, 60)}\`${originOf(expr, subst)}`);
    }
    if (expr.kind === ts.SyntaxKind.NullKeyword) return NO;
    return unknown(expr);
  }

  /**
   * `and(...conditions)`: the list's elements, when the analysis can read
   * them: a literal array, `[…].filter(Boolean)` (drizzle conditions are
   * objects, so it only drops the `undefined` ones), or a list variable with
   * the conditions its function pushes onto it (`conditions.push(eq(…))`).
   */
  private spreadVerdict(expr: ts.Node, scope: FilterScope, subst: Substitution, depth: number): Verdict {
    let value = unwrap(expr);
    if (ts.isIdentifier(value) && depth <= MAX_DEPTH) {
      const found = resolveName(value).declaration;
      const declaration = found && ts.isVariableDeclaration(found) ? found : undefined;
      const pushed = declaration ? pushesOnto(declaration) : [];
      const initial = valueOf(value, subst) ?? declaration?.initializer;
      if (initial) {
        const parts = [this.spreadVerdict(initial, scope, subst, depth + 1)];
        for (const push of pushed) {
          const verdict = combineAny(push.arguments.map((a) => (ts.isSpreadElement(a) ? this.spreadVerdict(a.expression, scope, subst, depth + 1) : this.filterVerdict(a, scope, subst, depth + 1))));
          // A condition pushed inside an if, a loop or a callback may never be pushed.
          parts.push(verdict.kind === "yes" && declaration && isConditional(push, declaration) ? unknown(push, `\`${constructText(push, 60)}\`, run only under a condition`) : verdict);
        }
        return combineAny(parts);
      }
    }
    if (ts.isCallExpression(value) && methodName(value) === "filter" && value.arguments.length === 1 && keepsEveryCondition(value.arguments[0]!)) {
      value = unwrap((unwrap(value.expression) as ts.PropertyAccessExpression).expression);
    }
    if (ts.isArrayLiteralExpression(value)) {
      return combineAny(value.elements.map((e) => (ts.isSpreadElement(e) ? this.spreadVerdict(e.expression, scope, subst, depth + 1) : this.filterVerdict(e, scope, subst, depth + 1))));
    }
    // `and(...this.conditions(brandId, query))`: a repository function that builds the list; every list it returns must filter.
    const fn = ts.isCallExpression(value) && depth <= MAX_DEPTH ? functionOf(value.expression) : undefined;
    const returned = fn ? returnedExpressions(fn) : [];
    if (fn && returned.length && ts.isCallExpression(value)) return combineAll(returned.map((r) => this.spreadVerdict(r, FilterScope.EMPTY, bindParameters(fn, value.arguments, subst), depth + 1)));
    return unknown(expr, `the spread \`...${constructText(expr, 60)}\``);
  }

  /** A `let` the function assigns once (`let where = and(…)`); several assignments must all filter. */
  private letValue(expr: ts.Node): ts.Node | undefined {
    if (!ts.isIdentifier(expr)) return undefined;
    const values = this.valuesOfVariable(expr);
    return values.length === 1 ? values[0] : undefined;
  }

  /**
   * A filter received as a parameter (`findAll(where: SQL)` in a generic base
   * repository): each caller in the repository files passes one, and each is
   * checked; with no caller here, the value comes from outside these files.
   */
  private parameterVerdict(expr: ts.Node, depth = 0): Verdict | undefined {
    const declaration = resolveName(unwrap(expr)).declaration;
    if (!declaration || !ts.isParameter(declaration)) return undefined;
    const fn = declaration.parent;
    if (!isFunctionLike(fn)) return undefined;
    const index = fn.parameters.indexOf(declaration);
    const callers = this.callsTo(fn);
    const label = `\`${declaration.name.getText()}\`, a parameter of \`${functionName(fn) ?? "(function)"}\``;
    if (!callers.length || depth >= MAX_DEPTH) return unknown(expr, `${label} that no repository code passes`);
    return combineAll(
      callers.map((call) => {
        const arg = call.arguments[index];
        return arg ? this.filterVerdict(arg, FilterScope.EMPTY, NO_SUBST, depth + 1) : NO;
      }),
    );
  }

  /** `eq(t.brandId, brandId)`: one side the brand column, the other a value (not a column: `eq(t.brandId, t.brandId)` filters nothing). */
  private comparesBrandWithValue(left: ts.Node | undefined, right: ts.Node | undefined, scope: FilterScope, subst: Substitution): boolean {
    if (!left || !right) return false;
    const l = this.columnKey(left, scope, subst);
    const r = this.columnKey(right, scope, subst);
    return (l !== undefined && this.brandKeys.has(l) && r === undefined) || (r !== undefined && this.brandKeys.has(r) && l === undefined);
  }

  /** The column key an expression reads (`invoices.brandId` → `brandId`), or undefined for a value. */
  private columnKey(node: ts.Node, scope: FilterScope, subst: Substitution, depth = 0): string | undefined {
    const expr = unwrap(node);
    if (depth > MAX_DEPTH) return undefined;
    if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) {
      const key = ts.isPropertyAccessExpression(expr) ? expr.name.text : staticPropertyName(expr.argumentExpression);
      if (key !== undefined && this.isTableExpression(expr.expression, scope, subst)) return key;
    }
    if (ts.isIdentifier(expr)) {
      const value = valueOf(expr, subst);
      if (value) return this.columnKey(value, scope, subst, depth + 1);
    }
    return undefined;
  }

  /**
   * A table whose columns a filter compares: one of the schema's, a
   * relational callback's table parameter, `alias(t, "a")` of a table, or a
   * class field holding one: `this.table`, a field initialised with a table
   * or typed as one (`protected readonly entity: T` with `T extends PgTable`,
   * `typeof invoices`), or a member of the schema namespace held in a field
   * (`private readonly schema = schema` … `this.schema.invoices`).
   */
  private isTableExpression(node: ts.Node, scope: FilterScope, subst: Substitution = NO_SUBST, depth = 0): boolean {
    const expr = unwrap(node);
    if (depth > MAX_DEPTH) return false;
    if (ts.isIdentifier(expr)) {
      const declaration = resolveName(expr).declaration;
      if (declaration && scope.tables.has(declaration)) return true;
      // A helper's table parameter (`byBrand(table, brandId)` → `eq(table.brandId, …)`) is the table its caller passes.
      const passed = declaration && ts.isParameter(declaration) ? subst(declaration) : undefined;
      if (passed && passed !== expr) return this.isTableExpression(passed, scope, NO_SUBST, depth + 1);
      const value = valueOf(expr, subst);
      if (value && ts.isCallExpression(value) && isDrizzleFunction(value.expression, "alias") && value.arguments[0]) return this.isTableExpression(value.arguments[0], scope, NO_SUBST, depth + 1);
    }
    if (ts.isPropertyAccessExpression(expr) && expr.expression.kind === ts.SyntaxKind.ThisKeyword) {
      if (expr.name.text === "table") return true;
      const field = classField(expr);
      if (!field) return false;
      if (field.initializer) return this.isTableExpression(field.initializer, scope, NO_SUBST, depth + 1);
      return field.type !== undefined && this.isTableType(field.type, depth + 1);
    }
    if (tableNamed(this.schema, expr) !== undefined) return true;
    if (ts.isPropertyAccessExpression(expr) && ts.isPropertyAccessExpression(unwrap(expr.expression))) {
      const holder = classField(unwrap(expr.expression) as ts.PropertyAccessExpression);
      const init = holder?.initializer ? unwrap(holder.initializer) : undefined;
      const namespace = init && ts.isIdentifier(init) && resolveName(init).imports.at(-1)?.name === "*";
      return !!namespace && !!this.schema?.tables.some((t) => t.variable === expr.name.text);
    }
    return false;
  }

  /** A field's declared type names a table: `typeof invoices`, `PgTable`, `AnyPgTable`, `PgTableWithColumns<…>`, or a type parameter constrained to one. */
  private isTableType(type: ts.TypeNode, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    if (ts.isTypeQueryNode(type)) return this.tableOfTypeQuery(type.exprName) !== undefined;
    if (ts.isIntersectionTypeNode(type)) return type.types.some((t) => this.isTableType(t, depth + 1));
    if (!ts.isTypeReferenceNode(type)) return false;
    const name = ts.isIdentifier(type.typeName) ? type.typeName : type.typeName.right;
    if (/^(?:Any)?PgTable(?:WithColumns)?$/.test(name.text)) return true;
    const declaration = ts.isIdentifier(type.typeName) ? resolveName(type.typeName).declaration : undefined;
    return !!declaration && ts.isTypeParameterDeclaration(declaration) && declaration.constraint !== undefined && this.isTableType(declaration.constraint, depth + 1);
  }

  /** Relational queries v2 style: `where: { brandId, AND: [...], OR: [...] }`. */
  private objectFilterVerdict(object: ts.Node, depth: number): Verdict {
    if (!ts.isObjectLiteralExpression(object) || depth > MAX_DEPTH) return unknown(object);
    const parts: Verdict[] = [];
    for (const property of object.properties) {
      if (ts.isSpreadAssignment(property)) {
        parts.push(unknown(property));
        continue;
      }
      if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
      const key = writtenName(property)!;
      if (this.brandKeys.has(key)) return YES;
      if ((key === "AND" || key === "OR") && ts.isPropertyAssignment(property)) {
        const list = unwrap(property.initializer);
        if (!ts.isArrayLiteralExpression(list)) {
          parts.push(unknown(list));
          continue;
        }
        const inner = list.elements.map((e) => this.objectFilterVerdict(unwrap(e), depth + 1));
        parts.push(key === "AND" ? combineAny(inner) : combineAll(inner));
      }
    }
    return combineAny(parts);
  }

  /** Which drizzle operator a call is (`eq`, `and`, …): imported from drizzle, or a relational callback's operators. */
  private operatorOf(call: ts.CallExpression, scope: FilterScope): string | undefined {
    const callee = unwrap(call.expression);
    if (ts.isIdentifier(callee)) {
      const declaration = resolveName(callee).declaration;
      const bound = declaration ? scope.names.get(declaration) : undefined;
      if (bound) return bound;
    }
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
      const declaration = resolveName(callee.expression).declaration;
      if (declaration && scope.namespaces.has(declaration)) return DRIZZLE_OPERATORS.has(callee.name.text) ? callee.name.text : undefined;
    }
    if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
    const step = resolveName(callee).imports.find((s) => isDrizzleModule(s.module) && DRIZZLE_OPERATORS.has(s.name));
    return step?.name;
  }

  // ── raw SQL ──────────────────────────────────────────────────────────

  /** `sql\`brand_id = ${brandId}\`` as a where: read as a WHERE clause. */
  private sqlConditionVerdict(template: ts.Node): Verdict {
    const text = this.sqlText(template);
    if ("undecidable" in text || !this.pg) return unknown(template, `raw SQL \`${constructText(template, 60)}\``);
    const reading = readRawSql(this.pg, `SELECT 1 FROM brand_filter_probe WHERE ${text.sql}`);
    if (!reading.ok) return unknown(template, `raw SQL \`${constructText(template, 60)}\` (${reading.message})`);
    return reading.statements.every((s) => s.brandScoped) ? YES : NO;
  }

  private checkRawSql(call: ts.CallExpression, arg: ts.Node, anchor: ts.Node): void {
    const method = this.methodOf(call);
    const text = this.sqlText(arg);
    if ("undecidable" in text) return void this.findings.push({ kind: "rawUndecidable", method, construct: text.undecidable, node: anchor });
    if (!this.pg) return;
    const reading = readRawSql(this.pg, text.sql);
    if (!reading.ok) {
      return void this.findings.push({ kind: "rawUndecidable", method, construct: `SQL that PostgreSQL's parser rejects (\`${excerptOf(text.sql)}\`: ${reading.message})`, node: anchor });
    }
    const unscoped = reading.statements.find((s) => !s.brandScoped);
    if (unscoped) this.findings.push({ kind: "rawWithoutBrand", method, verb: unscoped.verb, table: unscoped.table, excerpt: excerptOf(text.sql), node: anchor });
  }

  /**
   * The SQL text a value holds: a string the evaluator can read, or an
   * `sql\`…\`` template whose interpolations become `$n` parameters, table
   * names (`${invoices}`) or column names (`${invoices.brandId}`).
   */
  private sqlText(node: ts.Node): { sql: string } | { undecidable: string } {
    const expr = unwrap(node);
    if (ts.isTaggedTemplateExpression(expr)) {
      const template = expr.template;
      if (ts.isNoSubstitutionTemplateLiteral(template)) return { sql: template.text };
      let sql = template.head.text;
      let parameters = 0;
      for (const span of template.templateSpans) {
        sql += (this.interpolatedName(span.expression) ?? `$${++parameters}`) + span.literal.text;
      }
      return { sql };
    }
    if (ts.isCallExpression(expr) && methodName(expr) === "raw" && expr.arguments[0]) return this.sqlText(expr.arguments[0]!);
    const value = evaluateString(expr);
    return "value" in value ? { sql: value.value } : { undecidable: `SQL built from ${value.undecidable.construct}` };
  }

  /** `${invoices}` is the table's name and `${invoices.brandId}` the column's, as drizzle writes them; anything else is a parameter. */
  private interpolatedName(expr: ts.Node): string | undefined {
    const table = tableNamed(this.schema, expr);
    if (table?.name) return table.schema ? `"${table.schema}"."${table.name}"` : `"${table.name}"`;
    const node = unwrap(expr);
    if (ts.isPropertyAccessExpression(node)) {
      const owner = tableNamed(this.schema, node.expression);
      const column = owner?.columns.find((c) => c.key === node.name.text);
      if (column) return `"${isBrandIdColumn(column) ? "brand_id" : column.dbName}"`;
    }
    return undefined;
  }

  // ── inserts ──────────────────────────────────────────────────────────

  private checkInsert(insert: ts.CallExpression, values: ts.CallExpression): void {
    const table = insert.arguments[0]!;
    const arg = values.arguments[0];
    const verdict: Verdict = arg ? this.insertVerdict(arg, 0) : NO;
    if (verdict.kind === "yes") return;
    const base = { method: this.methodOf(insert), table: constructText(table, 60), node: nameNode(insert.expression) };
    if (verdict.kind === "no") this.findings.push({ kind: "insertWithoutBrand", ...base });
    else this.findings.push({ kind: "insertUndecidable", ...base, construct: verdict.construct });
  }

  private insertVerdict(node: ts.Node, depth: number): Verdict {
    const expr = unwrap(node);
    if (depth > MAX_DEPTH) return unknown(expr);
    // `input as NewInvoice` / `… satisfies NewInvoice`: the type written there, when it decides.
    const asserted = assertedType(node);
    const fromAssertion = asserted ? this.typeVerdict(asserted, depth + 1) : undefined;
    if (fromAssertion && fromAssertion.kind !== "unknown") return fromAssertion;
    if (ts.isObjectLiteralExpression(expr)) {
      const parts: Verdict[] = [];
      for (const property of expr.properties) {
        if ((ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) && this.brandKeys.has(writtenName(property)!)) return YES;
        if (ts.isSpreadAssignment(property)) parts.push(this.insertVerdict(property.expression, depth + 1));
      }
      return combineAny(parts);
    }
    if (ts.isArrayLiteralExpression(expr)) {
      const elements = expr.elements;
      return elements.length ? combineAll(elements.map((e) => this.insertVerdict(e, depth + 1))) : NO;
    }
    if (ts.isIdentifier(expr)) {
      const declaration = resolveName(expr).declaration;
      if (declaration && ts.isParameter(declaration)) {
        const type = declaration.type;
        return type ? this.typeVerdict(type, depth + 1) : unknown(expr, `the untyped parameter \`${expr.text}\``);
      }
      // `const row: NewInvoice = …`, `const { params: data } = result as { params: NewInvoice }`: the declared type, when it decides.
      const declared = declaration ? declaredTypeOf(declaration) : undefined;
      const fromType = declared ? this.typeVerdict(declared, depth + 1) : undefined;
      if (fromType && fromType.kind !== "unknown") return fromType;
      const value = valueOf(expr) ?? this.letValue(expr);
      if (value && value !== expr) return this.insertVerdict(value, depth + 1);
      return fromType ?? unknown(expr);
    }
    // rows.map((row) => ({ ...row, brandId })), or a mapper in the repository (`toRow(input, brandId)`,
    // `invoice.toPersistence()`): what the function returns is what is inserted.
    if (ts.isCallExpression(expr)) {
      const isMap = methodName(expr) === "map";
      const fn = isMap ? (expr.arguments[0] ? functionOf(expr.arguments[0]) : undefined) : functionOf(expr.expression);
      const returned = fn ? returnedExpressions(fn) : [];
      if (returned.length) return combineAll(returned.map((r) => this.insertVerdict(r, depth + 1)));
    }
    return unknown(expr);
  }

  /** Whether a type literal's or interface's properties include a brand key (`brandId: string`). */
  private hasBrandProperty(members: readonly ts.TypeElement[]): boolean {
    return members.some((m) => ts.isPropertySignature(m) && this.brandKeys.has(writtenName(m)!));
  }

  /** Whether a parameter's declared type carries brandId. */
  private typeVerdict(type: ts.TypeNode, depth: number): Verdict {
    if (depth > MAX_DEPTH) return unknown(type);
    if (ts.isTypeLiteralNode(type)) return this.hasBrandProperty(type.members) ? YES : NO;
    if (ts.isIntersectionTypeNode(type)) return combineAny(type.types.map((t) => this.typeVerdict(t, depth + 1)));
    if (ts.isUnionTypeNode(type)) return combineAll(type.types.map((t) => this.typeVerdict(t, depth + 1)));
    if (ts.isParenthesizedTypeNode(type)) return this.typeVerdict(type.type, depth + 1);
    if (ts.isArrayTypeNode(type)) return this.typeVerdict(type.elementType, depth + 1);
    // typeof invoices.$inferInsert / InferInsertModel<typeof invoices>: brandId is required when the column is NOT NULL without default.
    const inferred = this.inferredInsertTable(type);
    if (inferred === null) return unknown(type, `\`${constructText(type, 60)}\` (a table platform-checks did not find in the schema)`);
    if (inferred !== undefined) {
      const brand = inferred.columns.find(isBrandIdColumn);
      if (brand && brand.notNull && !brand.hasDefault) return YES;
      return unknown(type, `\`${constructText(type, 60)}\` (brandId is optional there)`);
    }
    const fromSchema = this.validatorTypeVerdict(type) ?? this.utilityTypeVerdict(type, depth);
    if (fromSchema) return fromSchema;
    if (ts.isTypeReferenceNode(type)) {
      const name = type.typeName;
      const declaration = ts.isIdentifier(name) ? resolveName(name).declaration : undefined;
      if (declaration && ts.isTypeAliasDeclaration(declaration)) {
        const aliased = declaration.type;
        return aliased ? this.typeVerdict(aliased, depth + 1) : unknown(type);
      }
      // A DTO class (`class CreateInvoiceDto { brandId!: string }`): its fields and constructor parameter properties.
      if (declaration && ts.isClassDeclaration(declaration)) {
        const ctor = declaration.members.find(ts.isConstructorDeclaration);
        const fields = declaration.members.filter(ts.isPropertyDeclaration).map((m) => writtenName(m));
        const parameters = (ctor?.parameters ?? []).filter((p) => ts.isParameterPropertyDeclaration(p, ctor!)).map((p) => writtenName(p));
        if ([...fields, ...parameters].some((k) => k !== undefined && this.brandKeys.has(k))) return YES;
        const base = extendsExpression(declaration);
        return base ? unknown(type, `the type \`${name.getText()}\` (it extends \`${constructText(base, 60)}\`)`) : NO;
      }
      if (declaration && ts.isInterfaceDeclaration(declaration)) {
        if (this.hasBrandProperty(declaration.members)) return YES;
        const bases = (declaration.heritageClauses ?? []).filter((h) => h.token === ts.SyntaxKind.ExtendsKeyword).flatMap((h) => h.types.map((e) => e.expression));
        return bases.length ? unknown(type, `the type \`${name.getText()}\` (it extends ${bases.map((b) => `\`${b.getText()}\``).join(", ")})`) : NO;
      }
    }
    return unknown(type, `the type \`${constructText(type, 60)}\`${ts.isTypeReferenceNode(type) ? originOf(type.typeName) : ""}`);
  }

  /**
   * `z.infer<typeof s>` (also `z.input`, `z.output`) of a validator written in
   * the repository: drizzle-zod's `createInsertSchema(table, …)` requires
   * brandId when the table's column is NOT NULL without default;
   * `z.object({ … })` has the keys it lists; then the chain's methods apply
   * in order: `.extend({ … })` adds keys, `.omit({ … })` / `.pick({ … })`
   * remove them, `.partial()` / `.required()` change whether they are
   * optional, and metadata (`.openapi("Name")`, `.describe`, `.strict`…)
   * changes nothing.
   */
  private validatorTypeVerdict(type: ts.TypeNode): Verdict | undefined {
    if (!ts.isTypeReferenceNode(type)) return undefined;
    const typeName = type.typeName.getText();
    const arg = type.typeArguments?.[0];
    if (!/(?:^|\.)(?:infer|input|output)$/.test(typeName) || !arg || !ts.isTypeQueryNode(arg)) return undefined;
    const name = arg.exprName;
    const value = ts.isIdentifier(name) ? valueOf(name) : undefined;
    if (!value || !ts.isCallExpression(value)) return undefined;
    // The chain from its last call inwards, down to the call that makes the schema.
    const steps: { method: string; keys: string[] | undefined }[] = [];
    let brand: { exists: boolean; required: boolean } | undefined;
    let call: ts.Node = value;
    for (let hops = 0; ts.isCallExpression(call) && hops < MAX_DEPTH && !brand; hops++) {
      const callee = unwrap(call.expression);
      const first = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
      const keys = first && ts.isObjectLiteralExpression(first) ? first.properties.flatMap((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? [writtenName(p)!] : [])) : undefined;
      if ((ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee)) && resolveName(callee).imports.some((s) => s.name === "createInsertSchema" && s.module.includes("zod"))) {
        const table = first ? tableNamed(this.schema, first) : undefined;
        if (!table) return undefined;
        const column = table.columns.find(isBrandIdColumn);
        const required = column !== undefined && column.notNull && !column.hasDefault;
        brand = { exists: required, required };
        break;
      }
      const method = methodName(call);
      if (method === "object") {
        if (!keys) return undefined;
        const has = keys.some((k) => this.brandKeys.has(k));
        brand = { exists: has, required: has };
        break;
      }
      if (method === undefined || !SCHEMA_STEPS.has(method)) return undefined;
      if (KEYED_SCHEMA_STEPS.has(method) && !keys) return undefined;
      steps.push({ method, keys });
      call = ts.isPropertyAccessExpression(callee) ? unwrap(callee.expression) : callee;
    }
    if (!brand) return undefined;
    for (const { method, keys } of steps.reverse()) {
      const namesBrand = keys === undefined || keys.some((k) => this.brandKeys.has(k));
      if (method === "extend" && namesBrand) brand = { exists: true, required: true };
      else if (method === "omit" && namesBrand) brand = { exists: false, required: false };
      else if (method === "pick" && !namesBrand) brand = { exists: false, required: false };
      else if (method === "partial" && namesBrand) brand = { ...brand, required: false };
      else if (method === "required" && namesBrand) brand = { ...brand, required: brand.exists };
    }
    if (brand.required) return YES;
    return brand.exists ? unknown(type, `\`${constructText(type, 60)}\` (brandId is optional there)`) : NO;
  }

  /**
   * TypeScript's utility types over an insert type: `Omit<T, "id">` keeps T's
   * brandId unless it omits it, `Pick<T, "brandId" | …>` keeps it only when
   * it picks it, `Partial<T>` makes it optional, `Readonly<T>`,
   * `Required<T>` and `NonNullable<T>` keep it. Undefined for other types,
   * and for a local type that happens to share the name.
   */
  private utilityTypeVerdict(type: ts.TypeNode, depth: number): Verdict | undefined {
    if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
    const utility = type.typeName.text;
    const [inner, keysType] = type.typeArguments ?? [];
    if (!inner || !UTILITY_TYPES.has(utility) || resolveName(type.typeName).declaration) return undefined;
    if (utility === "Omit" || utility === "Pick") {
      const keys = keysType ? literalKeys(keysType) : undefined;
      if (!keys) return unknown(type);
      const namesBrand = keys.some((k) => this.brandKeys.has(k));
      if (utility === "Omit") return namesBrand ? NO : this.typeVerdict(inner, depth + 1);
      return namesBrand ? this.typeVerdict(inner, depth + 1) : NO;
    }
    const verdict = this.typeVerdict(inner, depth + 1);
    if (utility === "Partial" && verdict.kind === "yes") return unknown(type, `\`${constructText(type, 60)}\` (brandId is optional there)`);
    return verdict;
  }

  /** The table of `typeof t.$inferInsert` / `InferInsertModel<typeof t>` (null when `t` is not a schema table), or undefined for other types. */
  private inferredInsertTable(type: ts.TypeNode) {
    let query: ts.Node | undefined;
    if (ts.isTypeQueryNode(type)) {
      const name = type.exprName;
      if (ts.isQualifiedName(name) && name.right.text === "$inferInsert") query = name.left;
    } else if (ts.isTypeReferenceNode(type) && type.typeName.getText().endsWith("InferInsertModel")) {
      const arg = type.typeArguments?.[0];
      if (arg && ts.isTypeQueryNode(arg)) query = arg.exprName;
    }
    if (!query) return undefined;
    return this.tableOfTypeQuery(query) ?? null;
  }

  /** The table `typeof invoices` or `typeof schema.invoices` (a namespace import of the schema) names. */
  private tableOfTypeQuery(name: ts.Node): DrizzleTable | undefined {
    if (ts.isIdentifier(name)) {
      const declaration = resolveName(name).declaration;
      return declaration ? tableDeclaredBy(this.schema, declaration) : undefined;
    }
    if (!ts.isQualifiedName(name) || !ts.isIdentifier(name.left) || resolveName(name.left).imports.at(-1)?.name !== "*") return undefined;
    return this.schema?.tables.find((t) => t.variable === name.right.text);
  }

  /** The function or method a node is in, as engineers name it. */
  private methodOf(node: ts.Node): string {
    for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
      if (isFunctionLike(current) || ts.isGetAccessorDeclaration(current) || ts.isPropertyDeclaration(current)) {
        const name = ts.isConstructorDeclaration(current) ? "constructor" : functionName(current as FunctionLike);
        if (name) return name;
      }
    }
    return "(module top level)";
  }
}

/** Names bound inside a relational where callback: its table parameter and its operators (`(t, { eq, and: both }) => …` or `(t, ops) => ops.eq(…)`). */
class FilterScope {
  static readonly EMPTY = new FilterScope();
  readonly names = new Map<ts.Node, string>();
  readonly namespaces = new Set<ts.Node>();
  readonly tables = new Set<ts.Node>();

  static fromCallback(fn: ts.Node): FilterScope {
    const scope = new FilterScope();
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return scope;
    const [table, ops] = fn.parameters;
    if (table) scope.tables.add(table);
    const pattern = ops?.name;
    if (ops && pattern && ts.isIdentifier(pattern)) scope.namespaces.add(ops);
    if (pattern && ts.isObjectBindingPattern(pattern)) {
      for (const element of pattern.elements) {
        const imported = (element.propertyName ?? element.name).getText();
        if (DRIZZLE_OPERATORS.has(imported)) scope.names.set(element, imported);
      }
    }
    return scope;
  }
}

/** The type an expression is asserted to (`x as T`, `<T>x`, `x satisfies T`), through parentheses; never `as const`. */
function assertedType(node: ts.Node): ts.TypeNode | undefined {
  let expr = node;
  while (ts.isParenthesizedExpression(expr)) expr = expr.expression;
  if (!ts.isAsExpression(expr) && !ts.isSatisfiesExpression(expr) && !ts.isTypeAssertionExpression(expr)) return undefined;
  const type = expr.type;
  return ts.isTypeReferenceNode(type) && type.typeName.getText() === "const" ? undefined : type;
}

/** A variable's written type: its annotation, its initializer's assertion, or for `{ key: name }` destructuring the key's member of that type literal. */
function declaredTypeOf(declaration: ts.Node): ts.TypeNode | undefined {
  if (ts.isVariableDeclaration(declaration)) return declaration.type ?? (declaration.initializer ? assertedType(declaration.initializer) : undefined);
  if (!ts.isBindingElement(declaration) || !ts.isObjectBindingPattern(declaration.parent) || declaration.dotDotDotToken) return undefined;
  const holder = declaration.parent.parent;
  const whole = ts.isVariableDeclaration(holder) || ts.isParameter(holder) ? declaredTypeOf(holder) ?? holder.type : undefined;
  const key = declaration.propertyName ? staticPropertyName(declaration.propertyName) : ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
  if (!whole || !ts.isTypeLiteralNode(whole) || key === undefined) return undefined;
  const member = whole.members.find((m) => ts.isPropertySignature(m) && writtenName(m) === key);
  return member && ts.isPropertySignature(member) ? member.type : undefined;
}

/** `this.x`'s declaration in its class or a base class: a property or a constructor parameter property. */
function classField(access: ts.PropertyAccessExpression): { initializer: ts.Expression | undefined; type: ts.TypeNode | undefined } | undefined {
  if (access.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const name = access.name.text;
  let cls: ts.Node | undefined = firstAncestor(access, ts.isClassLike);
  for (let hop = 0; cls && ts.isClassLike(cls) && hop < MAX_DEPTH; hop++) {
    for (const member of cls.members) {
      if (ts.isPropertyDeclaration(member) && writtenName(member) === name) return { initializer: member.initializer, type: member.type };
      if (ts.isConstructorDeclaration(member)) {
        const param = member.parameters.find((p) => ts.isParameterPropertyDeclaration(p, member) && writtenName(p) === name);
        if (param) return { initializer: undefined, type: param.type };
      }
    }
    const heritage = extendsExpression(cls);
    cls = heritage ? resolveName(heritage).declaration : undefined;
  }
  return undefined;
}

/** A call's callee is `name` imported from drizzle (`alias` from drizzle-orm/pg-core). */
function isDrizzleFunction(callee: ts.Node, name: string): boolean {
  const node = unwrap(callee);
  return (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) && resolveName(node).imports.some((s) => isDrizzleModule(s.module) && s.name === name);
}

/** `conditions.push(…)` calls on a list variable, in the function (or file) that declares it. */
function pushesOnto(declaration: ts.VariableDeclaration): ts.CallExpression[] {
  const scope = firstAncestor(declaration, isFunctionLike) ?? declaration.getSourceFile();
  return descendants(scope, ts.isCallExpression).filter((call) => {
    const callee = unwrap(call.expression);
    return ts.isPropertyAccessExpression(callee) && callee.name.text === "push" && ts.isIdentifier(callee.expression) && resolveName(callee.expression).declaration === declaration;
  });
}

/** Whether a call may not run every time its list's function does: under an if, a loop, a switch, a `&&` / `?:`, a catch, or in a callback. */
function isConditional(call: ts.Node, declaration: ts.VariableDeclaration): boolean {
  const scope = firstAncestor(declaration, isFunctionLike) ?? declaration.getSourceFile();
  for (let node = call.parent; node && node !== scope; node = node.parent) {
    if (isFunctionLike(node) || ts.isIfStatement(node) || ts.isIterationStatement(node, false) || ts.isSwitchStatement(node) || ts.isConditionalExpression(node) || ts.isCatchClause(node)) return true;
    if (ts.isBinaryExpression(node) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(node.operatorToken.kind)) return true;
  }
  return false;
}

/** `.filter(Boolean)`, `.filter((c) => c)`, `.filter((c) => !!c)`, `.filter((c) => c !== undefined)`: predicates that keep every condition object. */
function keepsEveryCondition(predicate: ts.Node): boolean {
  const fn = unwrap(predicate);
  if (ts.isIdentifier(fn)) return fn.text === "Boolean" && !resolveName(fn).declaration;
  if (!ts.isArrowFunction(fn) || fn.parameters.length !== 1 || !ts.isIdentifier(fn.parameters[0]!.name)) return false;
  const param = fn.parameters[0]!.name.text;
  let body = ts.isBlock(fn.body) ? undefined : unwrap(fn.body);
  while (body && ts.isPrefixUnaryExpression(body) && body.operator === ts.SyntaxKind.ExclamationToken && ts.isPrefixUnaryExpression(unwrap(body.operand))) body = unwrap((unwrap(body.operand) as ts.PrefixUnaryExpression).operand);
  if (!body) return false;
  if (ts.isIdentifier(body)) return body.text === param;
  if (!ts.isBinaryExpression(body)) return false;
  const operator = body.operatorToken.kind;
  const left = unwrap(body.left);
  const right = unwrap(body.right);
  const nothing = right.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(right) && right.text === "undefined");
  return ts.isIdentifier(left) && left.text === param && nothing && [ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(operator);
}

/** At least one part scopes to a brand (`and(…)`). */
function combineAny(parts: Verdict[]): Verdict {
  if (parts.some((p) => p.kind === "yes")) return YES;
  return parts.find((p) => p.kind === "unknown") ?? NO;
}

/** Every part scopes to a brand (`or(…)`, both branches, every caller). */
function combineAll(parts: Verdict[]): Verdict {
  if (parts.length === 0) return NO;
  if (parts.some((p) => p.kind === "no")) return NO;
  return parts.find((p) => p.kind === "unknown") ?? YES;
}

/** Parameters bound to a helper call's arguments, so `eq(column, value)` in the helper sees the caller's column. */
function bindParameters(fn: FunctionLike, args: readonly ts.Node[], outer: Substitution): Substitution {
  const params = fn.parameters;
  return (declaration) => {
    const index = params.indexOf(declaration as (typeof params)[number]);
    return index >= 0 ? args[index] : outer(declaration);
  };
}

function methodName(node: ts.Node): string | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = unwrap(node.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

function nameNode(callee: ts.Node): ts.Node {
  const node = unwrap(callee);
  return ts.isPropertyAccessExpression(node) ? node.name : node;
}

/** `select` in `db.select().from(t)`; the `from` of `q.from(t)` when the select is in a variable. */
function selectAnchor(receiver: ts.Node, from: ts.Node): ts.Node {
  return ts.isCallExpression(receiver) ? nameNode(receiver.expression) : nameNode(from);
}

/** The method calls chained onto `node`: `.where(…)`, `.orderBy(…)`, … in order. */
function chainAbove(node: ts.Node): ts.CallExpression[] {
  const chain: ts.CallExpression[] = [];
  let current = node;
  for (;;) {
    let parent = current.parent;
    while (parent && (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent) || ts.isAsExpression(parent))) parent = parent.parent;
    if (!parent || !ts.isPropertyAccessExpression(parent)) break;
    const call = parent.parent;
    if (!call || !ts.isCallExpression(call) || call.expression !== parent) break;
    chain.push(call);
    current = call;
  }
  return chain;
}

/** The variable a query is stored in: `const q = <top>` or `q = <top>`. */
function assignedVariable(top: ts.Node) {
  let parent = top.parent;
  while (parent && (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent))) parent = parent.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent;
  if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(parent.left)) {
    const declaration = resolveName(parent.left).declaration;
    return declaration && ts.isVariableDeclaration(declaration) ? declaration : undefined;
  }
  return undefined;
}

/** The function whose result `top` is (`return db.select().from(t)` or an arrow's expression body). */
function returningFunction(top: ts.Node): FunctionLike | undefined {
  const parent = top.parent;
  if (parent && ts.isReturnStatement(parent)) {
    return firstAncestor(parent, isFunctionLike);
  }
  if (parent && isFunctionLike(parent) && ts.isArrowFunction(parent) && parent.body === top) return parent;
  return undefined;
}

function functionName(fn: ts.Node): string | undefined {
  if (ts.isMethodDeclaration(fn) || ts.isFunctionDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isPropertyDeclaration(fn)) return writtenName(fn);
  const parent = fn.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent))) return writtenName(parent);
  return undefined;
}

/** `this.m` / `super.m` naming a method a base class declares (`class R extends Base<T>`), through the `extends` chain. */
function inheritedMethod(callee: ts.Node): FunctionLike | undefined {
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const receiver = callee.expression.kind;
  if (receiver !== ts.SyntaxKind.ThisKeyword && receiver !== ts.SyntaxKind.SuperKeyword) return undefined;
  const name = callee.name.text;
  let cls: ts.Node | undefined = firstAncestor(callee, ts.isClassLike);
  for (let hop = 0; cls && ts.isClassLike(cls) && hop < MAX_DEPTH; hop++) {
    const method = methodNamed(cls, name);
    if (method && (hop > 0 || receiver === ts.SyntaxKind.ThisKeyword)) return method;
    const heritage = extendsExpression(cls);
    cls = heritage ? resolveName(heritage).declaration : undefined;
  }
  return undefined;
}

/** A class's method by name: one with a body or an abstract one (any in ambient code), never an overload signature. */
function methodNamed(cls: ts.ClassLikeDeclaration, name: string): ts.MethodDeclaration | undefined {
  return cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && writtenName(m) === name && isImplementation(m));
}

/** The class expression after `extends` (`Base` in `extends Base<T>`). */
function extendsExpression(cls: ts.ClassLikeDeclaration): ts.Expression | undefined {
  return cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
}

/** `db.query` / `this.db.query` / `tx.query`. */
function isQueryNamespace(node: ts.Node): boolean {
  const expr = unwrap(node);
  return ts.isPropertyAccessExpression(expr) && expr.name.text === "query";
}

/** The node-postgres client under drizzle: `db.$client`, `this.db.$client`. */
function isClientReceiver(node: ts.Node): boolean {
  const expr = unwrap(node);
  return ts.isPropertyAccessExpression(expr) && expr.name.text === "$client";
}

/** What `execute(…)` runs when it is SQL: a `sql` template, a string, `sql.raw(…)`, or a constant holding one. */
function isSqlLike(arg: ts.Node, depth = 0): boolean {
  const expr = unwrap(arg);
  if (ts.isTaggedTemplateExpression(expr) || ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr) || ts.isTemplateExpression(expr)) return true;
  if (ts.isCallExpression(expr)) return methodName(expr) === "raw";
  if (depth < 4 && (ts.isIdentifier(expr) || ts.isPropertyAccessExpression(expr))) {
    const value = valueOf(expr);
    return value ? isSqlLike(value, depth + 1) : false;
  }
  return false;
}
