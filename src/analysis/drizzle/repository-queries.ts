import { Node, SyntaxKind, type CallExpression, type ObjectLiteralExpression, type SourceFile, type TypeNode } from "ts-morph";
import type { ServiceContext } from "../../engine/context.js";
import { readRawSql } from "../sql/brand-filter.js";
import { pgParser, type PgParser } from "../sql/pg-parser.js";
import { excerptOf } from "../sql/sql-text.js";
import { resolveName } from "../ts/symbols.js";
import { constructText, isFunctionLike, returnedExpressions, staticPropertyName, unwrap, type FunctionLike } from "../ts/syntax.js";
import { evaluateString, functionOf, originOf, valueOf, type Substitution } from "../ts/values.js";
import { drizzleSchema, isBrandIdColumn, isDrizzleModule, tableNamed, type DrizzleSchema } from "./schema.js";
import { callsIn, descendantsOfKind } from "../ts/walk.js";

const REPOSITORY_FILE = /^src\/db\/[^/]+\.repository\.ts$/;
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
  | { kind: "noWhere" | "noBrandFilter"; method: string; verb: QueryVerb; table: string; column: string; node: Node }
  | { kind: "undecidable"; method: string; verb: QueryVerb; table: string; column: string; construct: string; node: Node }
  | { kind: "insertWithoutBrand"; method: string; table: string; node: Node }
  | { kind: "insertUndecidable"; method: string; table: string; construct: string; node: Node }
  | { kind: "rawWithoutBrand"; method: string; verb: string; table: string; excerpt: string; node: Node }
  | { kind: "rawUndecidable"; method: string; construct: string; node: Node };

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
    const files: SourceFile[] = [];
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
function baseClassFiles(files: readonly SourceFile[]): SourceFile[] {
  const found = new Set<SourceFile>();
  const queue = files.flatMap((f) => f.getClasses());
  for (let i = 0; i < queue.length && i < 200; i++) {
    const heritage = queue[i]!.getExtends()?.getExpression();
    const base = heritage ? resolveName(heritage).declaration : undefined;
    if (!base || !Node.isClassDeclaration(base)) continue;
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
const unknown = (node: Node, what?: string): Verdict => ({ kind: "unknown", construct: what ?? `\`${constructText(node, 60)}\`` });
const NO_SUBST: Substitution = () => undefined;

/** One query: where it starts, what it touches, and the node findings point at. */
interface Query {
  verb: QueryVerb;
  table: string;
  column: string;
  anchor: Node;
  start: CallExpression;
}

class FileQueries {
  private readonly brandKeys = new Set(["brandId", "brand_id"]);
  private readonly findings: QueryFinding[] = [];

  constructor(
    private readonly file: SourceFile,
    private readonly schema: DrizzleSchema | undefined,
    private readonly pg: PgParser | undefined,
    private readonly repositoryFiles: readonly SourceFile[],
  ) {
    for (const table of schema?.tables ?? []) for (const column of table.columns) if (isBrandIdColumn(column)) this.brandKeys.add(column.key);
  }

  run(): QueryFinding[] {
    for (const call of callsIn(this.file)) {
      const callee = unwrap(call.getExpression());
      if (!Node.isPropertyAccessExpression(callee)) continue;
      const name = callee.getName();
      const receiver = unwrap(callee.getExpression());
      const args = call.getArguments();
      if (name === "from" && args.length === 1 && this.isSelect(receiver)) {
        if (this.isLocalSubquery(args[0]!)) continue; // the subquery is checked where it is built
        this.checkFiltered({ ...this.describe("reads", args[0]!), anchor: selectAnchor(receiver, callee), start: call });
      } else if (name === "update" && args.length === 1 && chainAbove(call).some((c) => methodName(c) === "set")) {
        this.checkFiltered({ ...this.describe("updates", args[0]!), anchor: callee.getNameNode(), start: call });
      } else if (name === "delete" && args.length === 1 && this.isDrizzleDelete(call)) {
        this.checkFiltered({ ...this.describe("deletes from", args[0]!), anchor: callee.getNameNode(), start: call });
      } else if (name === "insert" && args.length === 1) {
        const values = chainAbove(call).find((c) => methodName(c) === "values");
        if (values) this.checkInsert(call, values);
      } else if ((name === "findMany" || name === "findFirst") && Node.isPropertyAccessExpression(receiver) && isQueryNamespace(receiver.getExpression())) {
        this.checkRelationalQuery(call, receiver.getName(), callee.getNameNode());
      } else if (name === "$count" && args.length >= 1) {
        const query: Query = { ...this.describe("counts", args[0]!), anchor: callee.getNameNode(), start: call };
        this.reportVerdict(query, args[1] ? this.filterVerdict(args[1], FilterScope.EMPTY, NO_SUBST, 0) : undefined);
      } else if (name === "execute" && args.length >= 1 && isSqlLike(args[0]!)) {
        this.checkRawSql(call, args[0]!, callee.getNameNode());
      } else if (name === "query" && args.length >= 1 && isClientReceiver(receiver)) {
        this.checkRawSql(call, args[0]!, callee.getNameNode());
      }
    }
    return this.findings;
  }

  // ── what a query touches ─────────────────────────────────────────────

  private describe(verb: QueryVerb, tableArg: Node): Pick<Query, "verb" | "table" | "column"> {
    const table = constructText(tableArg, 60);
    return { verb, table, column: `${table}.brandId` };
  }

  /** `db.select()…`, or a variable holding one (`let q = this.db.select(); q = q.from(t)`). */
  private isSelect(receiver: Node): boolean {
    const name = methodName(receiver);
    if (name && SELECT_METHODS.has(name)) return true;
    if (!Node.isIdentifier(receiver)) return false;
    return this.valuesOfVariable(receiver).some((v) => SELECT_METHODS.has(methodName(unwrap(v)) ?? ""));
  }

  /** `.delete(x)` is drizzle's when the chain goes on with where/returning or `x` is a table (not `map.delete(key)`). */
  private isDrizzleDelete(call: CallExpression): boolean {
    if (chainAbove(call).some((c) => ["where", "returning"].includes(methodName(c) ?? ""))) return true;
    return this.isTable(call.getArguments()[0]!);
  }

  private isTable(expr: Node): boolean {
    const node = unwrap(expr);
    if (tableNamed(this.schema, node)) return true;
    if (Node.isPropertyAccessExpression(node) && node.getExpression().getKind() === SyntaxKind.ThisKeyword) return node.getName() === "table";
    return (Node.isIdentifier(node) || Node.isPropertyAccessExpression(node)) && resolveName(node).imports.length > 0 && !resolveName(node).external;
  }

  private isLocalSubquery(arg: Node): boolean {
    const node = unwrap(arg);
    if (!Node.isIdentifier(node)) return false;
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
      const at = where.caller ? { ...query, anchor: nameNode(where.caller.getExpression()), start: where.caller } : query;
      // A filter the function receives (`findWhere(where: SQL)` in a base repository) is checked at each call, where it is written.
      const passed = where.filter ? this.argumentsFor(where.filter) : [];
      if (passed.length) {
        for (const { call, arg } of passed) this.reportVerdict({ ...at, anchor: nameNode(call.getExpression()), start: call }, arg ? this.filterVerdict(arg, FilterScope.EMPTY, NO_SUBST, 0) : undefined);
        continue;
      }
      this.reportVerdict(at, where.filter ? this.filterVerdict(where.filter, FilterScope.EMPTY, NO_SUBST, 0) : undefined);
    }
  }

  /** When `expr` is a parameter: each call of its function in the repository files, with the argument it passes. */
  private argumentsFor(expr: Node): Array<{ call: CallExpression; arg: Node | undefined }> {
    const declaration = resolveName(unwrap(expr)).declaration;
    if (!declaration || !Node.isParameterDeclaration(declaration)) return [];
    const fn = declaration.getParent();
    if (!isFunctionLike(fn)) return [];
    const index = fn.getParameters().indexOf(declaration);
    return this.callsTo(fn).map((call) => ({ call, arg: call.getArguments()[index] }));
  }

  /**
   * Where a query gets its filter: `.where(…)` in its own chain; on a variable
   * it is assigned to, later in the same function (`q = q.where(…)`); or, when
   * a function returns the builder, in each caller's chain.
   */
  private wheresOf(start: Node, depth: number): Array<{ filter: Node | undefined; caller?: CallExpression }> | "dynamic" {
    const chain = chainAbove(start);
    const where = chain.find((c) => methodName(c) === "where");
    if (where) return [{ filter: where.getArguments()[0] }];
    const top = chain[chain.length - 1] ?? start;
    const later = this.laterWheres(top);
    if (later.length) return later.map((filter) => ({ filter }));
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

  /** `const q = db.select().from(t); … q.where(…)` / `q = q.where(…)`: wheres applied to the variable later in the same function. */
  private laterWheres(top: Node): Node[] {
    const variable = assignedVariable(top);
    if (!variable) return [];
    const body = variable.getFirstAncestor((a) => isFunctionLike(a)) ?? variable.getSourceFile();
    return descendantsOfKind(body, SyntaxKind.Identifier)
      .filter((id) => id.getText() === variable.getName() && id.getStart() > top.getStart() && resolveName(id).declaration === variable)
      .flatMap((id) => {
        const where = chainAbove(id).find((c) => methodName(c) === "where");
        return where?.getArguments()[0] ? [where.getArguments()[0]!] : [];
      });
  }

  /** What a `let`/`const` variable is given: its initializer and every assignment to it. */
  private valuesOfVariable(id: Node): Node[] {
    const declaration = resolveName(id).declaration;
    if (!declaration || !Node.isVariableDeclaration(declaration)) return [];
    const values: Node[] = [];
    const init = declaration.getInitializer();
    if (init) values.push(init);
    const scope = declaration.getFirstAncestor((a) => isFunctionLike(a)) ?? declaration.getSourceFile();
    for (const assignment of descendantsOfKind(scope, SyntaxKind.BinaryExpression)) {
      const left = assignment.getLeft();
      if (assignment.getOperatorToken().getKind() === SyntaxKind.EqualsToken && Node.isIdentifier(left) && resolveName(left).declaration === declaration) values.push(assignment.getRight());
    }
    return values;
  }

  /** Calls to a function or method from any repository file of the service (`this.base()`, `super.findAll(…)`, `helper()`). */
  private callsTo(fn: FunctionLike): CallExpression[] {
    const name = functionName(fn);
    if (!name) return [];
    return this.repositoryFiles.flatMap((file) =>
      callsIn(file).filter((call) => {
        const callee = unwrap(call.getExpression());
        const calleeName = Node.isPropertyAccessExpression(callee) ? callee.getName() : Node.isIdentifier(callee) ? callee.getText() : undefined;
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

  private checkRelationalQuery(call: CallExpression, tableName: string, anchor: Node): void {
    const query: Query = { verb: "reads", table: `query.${tableName}`, column: `${tableName}.brandId`, anchor, start: call };
    const arg = call.getArguments()[0];
    if (!arg) return this.reportVerdict(query, undefined);
    const options = Node.isObjectLiteralExpression(unwrap(arg)) ? unwrap(arg) : valueOf(arg);
    if (!options || !Node.isObjectLiteralExpression(options)) return this.reportVerdict(query, unknown(arg, `the options \`${constructText(arg, 60)}\`${originOf(arg)}`));
    const where = options.getProperty("where");
    if (where && Node.isPropertyAssignment(where)) return this.reportVerdict(query, this.filterVerdict(where.getInitializerOrThrow(), FilterScope.EMPTY, NO_SUBST, 0));
    if (where && Node.isShorthandPropertyAssignment(where)) return this.reportVerdict(query, this.filterVerdict(where.getNameNode(), FilterScope.EMPTY, NO_SUBST, 0));
    const spread = options.getProperties().find((p) => Node.isSpreadAssignment(p));
    this.reportVerdict(query, spread ? unknown(spread) : undefined);
  }

  /** Whether a where expression scopes the query to one brand. */
  private filterVerdict(node: Node, scope: FilterScope, subst: Substitution, depth: number): Verdict {
    const expr = unwrap(node);
    if (depth > MAX_DEPTH) return unknown(expr);
    if (Node.isCallExpression(expr)) {
      const op = this.operatorOf(expr, scope);
      const args = expr.getArguments();
      const each = () => args.map((a) => (Node.isSpreadElement(a) ? this.spreadVerdict(a.getExpression(), scope, subst, depth) : this.filterVerdict(a, scope, subst, depth + 1)));
      if (op === "and") return combineAny(each());
      if (op === "or") return combineAll(each());
      if (op && BRAND_FILTER_OPERATORS.has(op)) return this.comparesBrandWithValue(args[0], args[1], scope, subst) ? YES : NO;
      if (op) return NO;
      // A helper that builds the condition: `this.byBrand(brandId)`, a function in another file.
      const fn = functionOf(expr.getExpression());
      const returned = fn ? returnedExpressions(fn) : [];
      if (fn && returned.length) return combineAll(returned.map((r) => this.filterVerdict(r, FilterScope.EMPTY, bindParameters(fn, args, subst), depth + 1)));
      return unknown(expr, `\`${constructText(expr, 60)}\`${originOf(expr, subst)}`);
    }
    if (Node.isTaggedTemplateExpression(expr)) return this.sqlConditionVerdict(expr);
    if (Node.isArrowFunction(expr) || Node.isFunctionExpression(expr)) {
      // Relational where callback: (table, { eq, and }) => and(eq(table.brandId, …), …)
      const returned = returnedExpressions(expr);
      return returned.length ? combineAll(returned.map((r) => this.filterVerdict(r, FilterScope.fromCallback(expr), subst, depth + 1))) : unknown(expr);
    }
    if (Node.isObjectLiteralExpression(expr)) return this.objectFilterVerdict(expr, depth);
    if (Node.isConditionalExpression(expr)) return combineAll([this.filterVerdict(expr.getWhenTrue(), scope, subst, depth + 1), this.filterVerdict(expr.getWhenFalse(), scope, subst, depth + 1)]);
    if (Node.isIdentifier(expr) || Node.isPropertyAccessExpression(expr)) {
      if (expr.getText() === "undefined") return NO;
      const value = valueOf(expr, subst) ?? this.letValue(expr);
      if (value && value !== expr) return this.filterVerdict(value, scope, subst, depth + 1);
      return this.parameterVerdict(expr, depth) ?? unknown(expr, `\`${constructText(expr, 60)}\`${originOf(expr, subst)}`);
    }
    if (expr.getKind() === SyntaxKind.NullKeyword) return NO;
    return unknown(expr);
  }

  /** `and(...conditions)`: the array's elements, when it is a literal the analysis can read. */
  private spreadVerdict(expr: Node, scope: FilterScope, subst: Substitution, depth: number): Verdict {
    const value = unwrap(expr);
    const list = Node.isArrayLiteralExpression(value) ? value : valueOf(value, subst);
    if (list && Node.isArrayLiteralExpression(list)) return combineAny(list.getElements().map((e) => this.filterVerdict(e, scope, subst, depth + 1)));
    return unknown(expr, `the spread \`...${constructText(expr, 60)}\``);
  }

  /** A `let` the function assigns once (`let where = and(…)`); several assignments must all filter. */
  private letValue(expr: Node): Node | undefined {
    if (!Node.isIdentifier(expr)) return undefined;
    const values = this.valuesOfVariable(expr);
    return values.length === 1 ? values[0] : undefined;
  }

  /**
   * A filter received as a parameter (`findAll(where: SQL)` in a generic base
   * repository): each caller in the repository files passes one, and each is
   * checked; with no caller here, the value comes from outside these files.
   */
  private parameterVerdict(expr: Node, depth = 0): Verdict | undefined {
    const declaration = resolveName(unwrap(expr)).declaration;
    if (!declaration || !Node.isParameterDeclaration(declaration)) return undefined;
    const fn = declaration.getParent();
    if (!isFunctionLike(fn)) return undefined;
    const index = fn.getParameters().indexOf(declaration);
    const callers = this.callsTo(fn);
    const label = `\`${declaration.getName()}\`, a parameter of \`${functionName(fn) ?? "(function)"}\``;
    if (!callers.length || depth >= MAX_DEPTH) return unknown(expr, `${label} that no repository code passes`);
    return combineAll(
      callers.map((call) => {
        const arg = call.getArguments()[index];
        return arg ? this.filterVerdict(arg, FilterScope.EMPTY, NO_SUBST, depth + 1) : NO;
      }),
    );
  }

  /** `eq(t.brandId, brandId)`: one side the brand column, the other a value (not a column: `eq(t.brandId, t.brandId)` filters nothing). */
  private comparesBrandWithValue(left: Node | undefined, right: Node | undefined, scope: FilterScope, subst: Substitution): boolean {
    if (!left || !right) return false;
    const l = this.columnKey(left, scope, subst);
    const r = this.columnKey(right, scope, subst);
    return (l !== undefined && this.brandKeys.has(l) && r === undefined) || (r !== undefined && this.brandKeys.has(r) && l === undefined);
  }

  /** The column key an expression reads (`invoices.brandId` → `brandId`), or undefined for a value. */
  private columnKey(node: Node, scope: FilterScope, subst: Substitution, depth = 0): string | undefined {
    const expr = unwrap(node);
    if (depth > MAX_DEPTH) return undefined;
    if (Node.isPropertyAccessExpression(expr) || Node.isElementAccessExpression(expr)) {
      const key = Node.isPropertyAccessExpression(expr) ? expr.getName() : staticPropertyName(expr.getArgumentExpressionOrThrow());
      if (key !== undefined && this.isTableExpression(expr.getExpression(), scope)) return key;
    }
    if (Node.isIdentifier(expr)) {
      const value = valueOf(expr, subst);
      if (value) return this.columnKey(value, scope, subst, depth + 1);
    }
    return undefined;
  }

  /** A table whose columns a filter compares: one of the schema's, `this.table`, or a relational callback's table parameter. */
  private isTableExpression(node: Node, scope: FilterScope): boolean {
    const expr = unwrap(node);
    if (Node.isIdentifier(expr)) {
      const declaration = resolveName(expr).declaration;
      if (declaration && scope.tables.has(declaration)) return true;
    }
    if (Node.isPropertyAccessExpression(expr) && expr.getExpression().getKind() === SyntaxKind.ThisKeyword) return expr.getName() === "table";
    return tableNamed(this.schema, expr) !== undefined;
  }

  /** Relational queries v2 style: `where: { brandId, AND: [...], OR: [...] }`. */
  private objectFilterVerdict(object: Node, depth: number): Verdict {
    if (!Node.isObjectLiteralExpression(object) || depth > MAX_DEPTH) return unknown(object);
    const parts: Verdict[] = [];
    for (const property of object.getProperties()) {
      if (Node.isSpreadAssignment(property)) {
        parts.push(unknown(property));
        continue;
      }
      if (!Node.isPropertyAssignment(property) && !Node.isShorthandPropertyAssignment(property)) continue;
      const key = property.getName();
      if (this.brandKeys.has(key)) return YES;
      if ((key === "AND" || key === "OR") && Node.isPropertyAssignment(property)) {
        const list = unwrap(property.getInitializerOrThrow());
        if (!Node.isArrayLiteralExpression(list)) {
          parts.push(unknown(list));
          continue;
        }
        const inner = list.getElements().map((e) => this.objectFilterVerdict(unwrap(e), depth + 1));
        parts.push(key === "AND" ? combineAny(inner) : combineAll(inner));
      }
    }
    return combineAny(parts);
  }

  /** Which drizzle operator a call is (`eq`, `and`, …): imported from drizzle, or a relational callback's operators. */
  private operatorOf(call: CallExpression, scope: FilterScope): string | undefined {
    const callee = unwrap(call.getExpression());
    if (Node.isIdentifier(callee)) {
      const declaration = resolveName(callee).declaration;
      const bound = declaration ? scope.names.get(declaration) : undefined;
      if (bound) return bound;
    }
    if (Node.isPropertyAccessExpression(callee) && Node.isIdentifier(callee.getExpression())) {
      const declaration = resolveName(callee.getExpression()).declaration;
      if (declaration && scope.namespaces.has(declaration)) return DRIZZLE_OPERATORS.has(callee.getName()) ? callee.getName() : undefined;
    }
    if (!Node.isIdentifier(callee) && !Node.isPropertyAccessExpression(callee)) return undefined;
    const step = resolveName(callee).imports.find((s) => isDrizzleModule(s.module) && DRIZZLE_OPERATORS.has(s.name));
    return step?.name;
  }

  // ── raw SQL ──────────────────────────────────────────────────────────

  /** `sql\`brand_id = ${brandId}\`` as a where: read as a WHERE clause. */
  private sqlConditionVerdict(template: Node): Verdict {
    const text = this.sqlText(template);
    if ("undecidable" in text || !this.pg) return unknown(template, `raw SQL \`${constructText(template, 60)}\``);
    const reading = readRawSql(this.pg, `SELECT 1 FROM brand_filter_probe WHERE ${text.sql}`);
    if (!reading.ok) return unknown(template, `raw SQL \`${constructText(template, 60)}\` (${reading.message})`);
    return reading.statements.every((s) => s.brandScoped) ? YES : NO;
  }

  private checkRawSql(call: CallExpression, arg: Node, anchor: Node): void {
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
  private sqlText(node: Node): { sql: string } | { undecidable: string } {
    const expr = unwrap(node);
    if (Node.isTaggedTemplateExpression(expr)) {
      const template = expr.getTemplate();
      if (Node.isNoSubstitutionTemplateLiteral(template)) return { sql: template.getLiteralText() };
      let sql = template.getHead().getLiteralText();
      let parameters = 0;
      for (const span of template.getTemplateSpans()) {
        sql += (this.interpolatedName(span.getExpression()) ?? `$${++parameters}`) + span.getLiteral().getLiteralText();
      }
      return { sql };
    }
    if (Node.isCallExpression(expr) && methodName(expr) === "raw" && expr.getArguments()[0]) return this.sqlText(expr.getArguments()[0]!);
    const value = evaluateString(expr);
    return "value" in value ? { sql: value.value } : { undecidable: `SQL built from ${value.undecidable.construct}` };
  }

  /** `${invoices}` is the table's name and `${invoices.brandId}` the column's, as drizzle writes them; anything else is a parameter. */
  private interpolatedName(expr: Node): string | undefined {
    const table = tableNamed(this.schema, expr);
    if (table?.name) return table.schema ? `"${table.schema}"."${table.name}"` : `"${table.name}"`;
    const node = unwrap(expr);
    if (Node.isPropertyAccessExpression(node)) {
      const owner = tableNamed(this.schema, node.getExpression());
      const column = owner?.columns.find((c) => c.key === node.getName());
      if (column) return `"${isBrandIdColumn(column) ? "brand_id" : column.dbName}"`;
    }
    return undefined;
  }

  // ── inserts ──────────────────────────────────────────────────────────

  private checkInsert(insert: CallExpression, values: CallExpression): void {
    const table = insert.getArguments()[0]!;
    const arg = values.getArguments()[0];
    const verdict: Verdict = arg ? this.insertVerdict(arg, 0) : NO;
    if (verdict.kind === "yes") return;
    const base = { method: this.methodOf(insert), table: constructText(table, 60), node: nameNode(insert.getExpression()) };
    if (verdict.kind === "no") this.findings.push({ kind: "insertWithoutBrand", ...base });
    else this.findings.push({ kind: "insertUndecidable", ...base, construct: verdict.construct });
  }

  private insertVerdict(node: Node, depth: number): Verdict {
    const expr = unwrap(node);
    if (depth > MAX_DEPTH) return unknown(expr);
    if (Node.isObjectLiteralExpression(expr)) {
      const parts: Verdict[] = [];
      for (const property of expr.getProperties()) {
        if ((Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property)) && this.brandKeys.has(property.getName())) return YES;
        if (Node.isSpreadAssignment(property)) parts.push(this.insertVerdict(property.getExpression(), depth + 1));
      }
      return combineAny(parts);
    }
    if (Node.isArrayLiteralExpression(expr)) {
      const elements = expr.getElements();
      return elements.length ? combineAll(elements.map((e) => this.insertVerdict(e, depth + 1))) : NO;
    }
    if (Node.isIdentifier(expr)) {
      const declaration = resolveName(expr).declaration;
      if (declaration && Node.isParameterDeclaration(declaration)) {
        const type = declaration.getTypeNode();
        return type ? this.typeVerdict(type, depth + 1) : unknown(expr, `the untyped parameter \`${expr.getText()}\``);
      }
      const value = valueOf(expr) ?? this.letValue(expr);
      if (value && value !== expr) return this.insertVerdict(value, depth + 1);
      return unknown(expr);
    }
    // rows.map((row) => ({ ...row, brandId }))
    if (Node.isCallExpression(expr) && methodName(expr) === "map") {
      const mapper = expr.getArguments()[0];
      const fn = mapper ? unwrap(mapper) : undefined;
      const returned = fn && isFunctionLike(fn) ? returnedExpressions(fn) : [];
      if (returned.length) return combineAll(returned.map((r) => this.insertVerdict(r, depth + 1)));
    }
    return unknown(expr);
  }

  /** Whether a parameter's declared type carries brandId. */
  private typeVerdict(type: TypeNode, depth: number): Verdict {
    if (depth > MAX_DEPTH) return unknown(type);
    if (Node.isTypeLiteral(type)) return type.getProperties().some((p) => this.brandKeys.has(p.getName())) ? YES : NO;
    if (Node.isIntersectionTypeNode(type)) return combineAny(type.getTypeNodes().map((t) => this.typeVerdict(t, depth + 1)));
    if (Node.isUnionTypeNode(type)) return combineAll(type.getTypeNodes().map((t) => this.typeVerdict(t, depth + 1)));
    if (Node.isParenthesizedTypeNode(type)) return this.typeVerdict(type.getTypeNode(), depth + 1);
    if (Node.isArrayTypeNode(type)) return this.typeVerdict(type.getElementTypeNode(), depth + 1);
    // typeof invoices.$inferInsert / InferInsertModel<typeof invoices>: brandId is required when the column is NOT NULL without default.
    const inferred = this.inferredInsertTable(type);
    if (inferred !== undefined) {
      const brand = inferred?.columns.find(isBrandIdColumn);
      if (brand && brand.notNull && !brand.hasDefault) return YES;
      return unknown(type, `\`${constructText(type, 60)}\` (brandId is optional there)`);
    }
    const fromSchema = this.validatorTypeVerdict(type);
    if (fromSchema) return fromSchema;
    if (Node.isTypeReference(type)) {
      const name = type.getTypeName();
      const declaration = Node.isIdentifier(name) ? resolveName(name).declaration : undefined;
      if (declaration && Node.isTypeAliasDeclaration(declaration)) {
        const aliased = declaration.getTypeNode();
        return aliased ? this.typeVerdict(aliased, depth + 1) : unknown(type);
      }
      if (declaration && Node.isInterfaceDeclaration(declaration)) {
        if (declaration.getProperties().some((p) => this.brandKeys.has(p.getName()))) return YES;
        const bases = declaration.getExtends().map((e) => e.getExpression());
        return bases.length ? unknown(type, `the type \`${name.getText()}\` (it extends ${bases.map((b) => `\`${b.getText()}\``).join(", ")})`) : NO;
      }
    }
    return unknown(type, `the type \`${constructText(type, 60)}\`${Node.isTypeReference(type) ? originOf(type.getTypeName()) : ""}`);
  }

  /**
   * `z.infer<typeof s>` (also `z.input`, `z.output`) of a validator written in
   * the repository: drizzle-zod's `createInsertSchema(table, …)` requires
   * brandId when the table's column is NOT NULL without default;
   * `z.object({ … })` (and `.extend({ … })`) has the keys it lists.
   */
  private validatorTypeVerdict(type: TypeNode): Verdict | undefined {
    if (!Node.isTypeReference(type)) return undefined;
    const typeName = type.getTypeName().getText();
    const arg = type.getTypeArguments()[0];
    if (!/(?:^|\.)(?:infer|input|output)$/.test(typeName) || !arg || !Node.isTypeQuery(arg)) return undefined;
    const name = arg.getExprName();
    const value = Node.isIdentifier(name) ? valueOf(name) : undefined;
    if (!value || !Node.isCallExpression(value)) return undefined;
    const keys: string[] = [];
    let call: Node = value;
    for (let hops = 0; Node.isCallExpression(call) && hops < MAX_DEPTH; hops++) {
      const callee = unwrap(call.getExpression());
      const first = call.getArguments()[0];
      if ((Node.isIdentifier(callee) || Node.isPropertyAccessExpression(callee)) && resolveName(callee).imports.some((s) => s.name === "createInsertSchema" && s.module.includes("zod"))) {
        const table = first ? tableNamed(this.schema, first) : undefined;
        const brand = table?.columns.find(isBrandIdColumn);
        if (keys.some((k) => this.brandKeys.has(k)) || (brand && brand.notNull && !brand.hasDefault)) return YES;
        return table ? NO : undefined;
      }
      const method = methodName(call);
      const object = first && Node.isObjectLiteralExpression(unwrap(first)) ? (unwrap(first) as ObjectLiteralExpression) : undefined;
      if ((method === "object" || method === "extend") && object) keys.push(...object.getProperties().flatMap((p) => (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) ? [p.getName()] : [])));
      else if (method !== "strict" && method !== "passthrough" && method !== "strip" && method !== "describe") return undefined;
      if (method === "object") return keys.some((k) => this.brandKeys.has(k)) ? YES : NO;
      call = Node.isPropertyAccessExpression(callee) ? unwrap(callee.getExpression()) : callee;
    }
    return undefined;
  }

  /** The table of `typeof t.$inferInsert` / `InferInsertModel<typeof t>` (null when `t` is not a schema table), or undefined for other types. */
  private inferredInsertTable(type: TypeNode) {
    let query: Node | undefined;
    if (Node.isTypeQuery(type)) {
      const name = type.getExprName();
      if (Node.isQualifiedName(name) && name.getRight().getText() === "$inferInsert") query = name.getLeft();
    } else if (Node.isTypeReference(type) && type.getTypeName().getText().endsWith("InferInsertModel")) {
      const arg = type.getTypeArguments()[0];
      if (arg && Node.isTypeQuery(arg)) query = arg.getExprName();
    }
    if (!query) return undefined;
    const declaration = Node.isIdentifier(query) ? resolveName(query).declaration : undefined;
    return this.schema?.tables.find((t) => t.declaration === declaration) ?? null;
  }

  /** The function or method a node is in, as engineers name it. */
  private methodOf(node: Node): string {
    for (let current: Node | undefined = node.getParent(); current; current = current.getParent()) {
      if (isFunctionLike(current) || Node.isGetAccessorDeclaration(current) || Node.isPropertyDeclaration(current)) {
        const name = Node.isConstructorDeclaration(current) ? "constructor" : functionName(current as FunctionLike);
        if (name) return name;
      }
    }
    return "(module top level)";
  }
}

/** Names bound inside a relational where callback: its table parameter and its operators (`(t, { eq, and: both }) => …` or `(t, ops) => ops.eq(…)`). */
class FilterScope {
  static readonly EMPTY = new FilterScope();
  readonly names = new Map<Node, string>();
  readonly namespaces = new Set<Node>();
  readonly tables = new Set<Node>();

  static fromCallback(fn: Node): FilterScope {
    const scope = new FilterScope();
    if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return scope;
    const [table, ops] = fn.getParameters();
    if (table) scope.tables.add(table);
    const pattern = ops?.getNameNode();
    if (ops && pattern && Node.isIdentifier(pattern)) scope.namespaces.add(ops);
    if (pattern && Node.isObjectBindingPattern(pattern)) {
      for (const element of pattern.getElements()) {
        const imported = element.getPropertyNameNode()?.getText() ?? element.getName();
        if (DRIZZLE_OPERATORS.has(imported)) scope.names.set(element, imported);
      }
    }
    return scope;
  }
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
function bindParameters(fn: FunctionLike, args: readonly Node[], outer: Substitution): Substitution {
  const params = fn.getParameters();
  return (declaration) => {
    const index = params.indexOf(declaration as (typeof params)[number]);
    return index >= 0 ? args[index] : outer(declaration);
  };
}

function methodName(node: Node): string | undefined {
  if (!Node.isCallExpression(node)) return undefined;
  const callee = unwrap(node.getExpression());
  return Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
}

function nameNode(callee: Node): Node {
  const node = unwrap(callee);
  return Node.isPropertyAccessExpression(node) ? node.getNameNode() : node;
}

/** `select` in `db.select().from(t)`; the `from` of `q.from(t)` when the select is in a variable. */
function selectAnchor(receiver: Node, from: Node): Node {
  return Node.isCallExpression(receiver) ? nameNode(receiver.getExpression()) : nameNode(from);
}

/** The method calls chained onto `node`: `.where(…)`, `.orderBy(…)`, … in order. */
function chainAbove(node: Node): CallExpression[] {
  const chain: CallExpression[] = [];
  let current = node;
  for (;;) {
    let parent = current.getParent();
    while (parent && (Node.isParenthesizedExpression(parent) || Node.isNonNullExpression(parent) || Node.isAsExpression(parent))) parent = parent.getParent();
    if (!parent || !Node.isPropertyAccessExpression(parent)) break;
    const call = parent.getParent();
    if (!call || !Node.isCallExpression(call) || call.getExpression() !== parent) break;
    chain.push(call);
    current = call;
  }
  return chain;
}

/** The variable a query is stored in: `const q = <top>` or `q = <top>`. */
function assignedVariable(top: Node) {
  let parent = top.getParent();
  while (parent && (Node.isAwaitExpression(parent) || Node.isParenthesizedExpression(parent) || Node.isAsExpression(parent))) parent = parent.getParent();
  if (parent && Node.isVariableDeclaration(parent)) return parent;
  if (parent && Node.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken && Node.isIdentifier(parent.getLeft())) {
    const declaration = resolveName(parent.getLeft()).declaration;
    return declaration && Node.isVariableDeclaration(declaration) ? declaration : undefined;
  }
  return undefined;
}

/** The function whose result `top` is (`return db.select().from(t)` or an arrow's expression body). */
function returningFunction(top: Node): FunctionLike | undefined {
  const parent = top.getParent();
  if (parent && Node.isReturnStatement(parent)) {
    const fn = parent.getFirstAncestor((a) => isFunctionLike(a));
    return fn && isFunctionLike(fn) ? fn : undefined;
  }
  if (parent && isFunctionLike(parent) && Node.isArrowFunction(parent) && parent.getBody() === top) return parent;
  return undefined;
}

function functionName(fn: Node): string | undefined {
  if (Node.isMethodDeclaration(fn) || Node.isFunctionDeclaration(fn) || Node.isGetAccessorDeclaration(fn) || Node.isPropertyDeclaration(fn)) return fn.getName();
  const parent = fn.getParent();
  if (parent && (Node.isVariableDeclaration(parent) || Node.isPropertyDeclaration(parent) || Node.isPropertyAssignment(parent))) return parent.getName();
  return undefined;
}

/** `this.m` / `super.m` naming a method a base class declares (`class R extends Base<T>`), through the `extends` chain. */
function inheritedMethod(callee: Node): FunctionLike | undefined {
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const receiver = callee.getExpression().getKind();
  if (receiver !== SyntaxKind.ThisKeyword && receiver !== SyntaxKind.SuperKeyword) return undefined;
  let cls: Node | undefined = callee.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a));
  for (let hop = 0; cls && (Node.isClassDeclaration(cls) || Node.isClassExpression(cls)) && hop < MAX_DEPTH; hop++) {
    const method = cls.getMethod(callee.getName());
    if (method && (hop > 0 || receiver === SyntaxKind.ThisKeyword)) return method;
    const heritage = cls.getExtends()?.getExpression();
    cls = heritage ? resolveName(heritage).declaration : undefined;
  }
  return undefined;
}

/** `db.query` / `this.db.query` / `tx.query`. */
function isQueryNamespace(node: Node): boolean {
  const expr = unwrap(node);
  return Node.isPropertyAccessExpression(expr) && expr.getName() === "query";
}

/** The node-postgres client under drizzle: `db.$client`, `this.db.$client`. */
function isClientReceiver(node: Node): boolean {
  const expr = unwrap(node);
  return Node.isPropertyAccessExpression(expr) && expr.getName() === "$client";
}

/** What `execute(…)` runs when it is SQL: a `sql` template, a string, `sql.raw(…)`, or a constant holding one. */
function isSqlLike(arg: Node, depth = 0): boolean {
  const expr = unwrap(arg);
  if (Node.isTaggedTemplateExpression(expr) || Node.isStringLiteral(expr) || Node.isNoSubstitutionTemplateLiteral(expr) || Node.isTemplateExpression(expr)) return true;
  if (Node.isCallExpression(expr)) return methodName(expr) === "raw";
  if (depth < 4 && (Node.isIdentifier(expr) || Node.isPropertyAccessExpression(expr))) {
    const value = valueOf(expr);
    return value ? isSqlLike(value, depth + 1) : false;
  }
  return false;
}
