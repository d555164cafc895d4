import { Node, SyntaxKind, type CallExpression, type ClassDeclaration, type ClassExpression, type SourceFile, type TypeNode } from "ts-morph";
import { drizzleSchema, isBrandIdColumn, returnedExpression, shortText, unwrap, type DrizzleSchema } from "../analysis/drizzle-schema.js";
import { exportedClasses } from "../analysis/exported-classes.js";
import { importBindings, nodePosition, refersToImport } from "../analysis/imports.js";
import { defineServiceRule, type ReportFn } from "../engine/rule.js";

const REPOSITORY_FILE = /^src\/db\/[^/]+\.repository\.ts$/;
const DRIZZLE = (specifier: string) => specifier === "drizzle-orm" || specifier.startsWith("drizzle-orm/");
const SELECT_METHODS = new Set(["select", "selectDistinct", "selectDistinctOn"]);
/** Operators that filter by a column's value; `eq(t.brandId, …)` or `inArray(t.brandId, …)` scope to brands. */
const BRAND_FILTER_OPERATORS = new Set(["eq", "inArray"]);
const DRIZZLE_OPERATORS = new Set([
  "eq", "ne", "and", "or", "not", "gt", "gte", "lt", "lte", "isNull", "isNotNull", "inArray", "notInArray", "exists", "notExists",
  "between", "notBetween", "like", "notLike", "ilike", "notIlike", "arrayContains", "arrayContained", "arrayOverlaps",
]);
const MAX_DEPTH = 6;

type Verb = "reads" | "updates" | "deletes from" | "counts";

/** A filter's verdict: it scopes to one brand, it does not, or it cannot be told statically (and why). */
type Verdict = { kind: "yes" } | { kind: "no" } | { kind: "unknown"; construct: string };
const YES: Verdict = { kind: "yes" };
const NO: Verdict = { kind: "no" };
const unknown = (node: Node, what?: string): Verdict => ({ kind: "unknown", construct: what ?? `\`${shortText(node)}\`` });

const messages = {
  noWhere:
    "`{{method}}` {{verb}} `{{table}}` with no where clause, so it touches every brand's rows. Filter it with `eq({{column}}, brandId)` (guide step 3: always filter by brand_id).",
  noBrandFilter:
    "`{{method}}` {{verb}} `{{table}}` without filtering by brand id. Add `eq({{column}}, brandId)` to its where, inside `and(…)` with the other conditions (guide step 3: always filter by brand_id).",
  undecidable:
    "`{{method}}` {{verb}} `{{table}}` with a filter built from {{construct}}, which platform-checks cannot read statically. Put `eq({{column}}, brandId)` directly in the where so the brand filter is visible.",
  insertWithoutBrand:
    "`{{method}}` inserts into `{{table}}` without setting brandId. Set `brandId` in the values passed to `.values(…)` so every row belongs to a brand.",
  insertUndecidable:
    "`{{method}}` inserts into `{{table}}` values from {{construct}}, and platform-checks cannot tell whether they set brandId. Set `brandId` explicitly in `.values({ …, brandId })` or type the parameter with a brandId field.",
  rawSql:
    "`{{method}}` runs raw SQL ({{construct}}), which platform-checks cannot read. Prefer the query builder with `eq(table.brandId, brandId)`, or make sure the SQL filters on brand_id.",
};

export default defineServiceRule({
  meta: {
    id: "repository-brand-filter",
    defaultSeverity: "error",
    title: "Repository reads, updates and deletes filter by brand id; inserts set it",
    messages,
  },
  async check(ctx, report) {
    const schema = await drizzleSchema(ctx);
    const prefix = `${ctx.service.dir}/`;
    for (const path of ctx.files) {
      if (!REPOSITORY_FILE.test(path.slice(prefix.length))) continue;
      const file = await ctx.sourceFile(path);
      if (!file) continue;
      for (const { node } of exportedClasses(file).classes) {
        new RepositoryClassCheck(file, node, schema, (r) => report({ ...r, path })).run();
      }
    }
  },
});

type ClassNode = ClassDeclaration | ClassExpression;
type LocalReport = (r: Omit<Parameters<ReportFn<typeof messages>>[0], "path">) => void;

/** One query found in a method: where it starts, what it touches and how far its chain goes. */
interface Query {
  verb: Verb;
  table: string;
  column: string;
  /** The method name token (`select`, `update`, `findMany`): findings point here. */
  anchor: Node;
  /** The call the chain grows from (`.from(t)`, `.update(t)`, `.delete(t)`). */
  start: CallExpression;
}

class RepositoryClassCheck {
  private readonly brandKeys = new Set(["brandId", "brand_id"]);

  constructor(
    private readonly file: SourceFile,
    private readonly cls: ClassNode,
    private readonly schema: DrizzleSchema | undefined,
    private readonly report: LocalReport,
  ) {
    for (const table of schema?.tables ?? []) for (const column of table.columns) if (isBrandIdColumn(column)) this.brandKeys.add(column.key);
  }

  run(): void {
    for (const call of this.cls.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee)) continue;
      const name = callee.getName();
      const receiver = unwrap(callee.getExpression());
      if (name === "from" && Node.isCallExpression(receiver) && methodName(receiver) !== undefined && SELECT_METHODS.has(methodName(receiver)!)) {
        const select = receiver.getExpression() as Node;
        this.checkFiltered({ ...this.describe("reads", call.getArguments()[0]), anchor: nameNode(select), start: call });
      } else if (name === "update" && chainAbove(call).some((c) => methodName(c) === "set")) {
        this.checkFiltered({ ...this.describe("updates", call.getArguments()[0]), anchor: callee.getNameNode(), start: call });
      } else if (name === "delete" && call.getArguments().length === 1 && this.isDrizzleDelete(call)) {
        this.checkFiltered({ ...this.describe("deletes from", call.getArguments()[0]), anchor: callee.getNameNode(), start: call });
      } else if (name === "insert" && call.getArguments().length === 1) {
        const values = chainAbove(call).find((c) => methodName(c) === "values");
        if (values) this.checkInsert(call, values);
      } else if ((name === "findMany" || name === "findFirst") && Node.isPropertyAccessExpression(receiver) && isQueryNamespace(receiver.getExpression())) {
        this.checkRelationalQuery(call, receiver.getName(), callee.getNameNode());
      } else if (name === "$count" && call.getArguments().length >= 1) {
        this.checkCount(call, callee.getNameNode());
      } else if (name === "execute" && call.getArguments().length >= 1) {
        const arg = call.getArguments()[0]!;
        this.report({ messageId: "rawSql", severity: "warning", data: { method: this.methodOf(call), construct: shortText(arg) }, ...nodePosition(callee.getNameNode()) });
      }
    }
  }

  private describe(verb: Verb, tableArg: Node | undefined): Pick<Query, "verb" | "table" | "column"> {
    const table = tableArg ? shortText(tableArg) : "?";
    return { verb, table, column: `${table}.brandId` };
  }

  /** `.delete(x)` is drizzle's when the chain goes on with where/returning or `x` is a table (not `map.delete(key)`). */
  private isDrizzleDelete(call: CallExpression): boolean {
    if (chainAbove(call).some((c) => ["where", "returning"].includes(methodName(c) ?? ""))) return true;
    const arg = unwrap(call.getArguments()[0]!);
    const root = Node.isPropertyAccessExpression(arg) ? arg.getExpression() : arg;
    if (!Node.isIdentifier(root)) return false;
    const bindings = importBindings(this.file);
    if (Node.isPropertyAccessExpression(arg)) return bindings.namespaces.has(root.getText());
    return bindings.named.has(root.getText()) || (this.schema?.tables.some((t) => t.variable === root.getText()) ?? false);
  }

  private checkFiltered(query: Query): void {
    // Reading from a local subquery (`const sq = db.select()….as("sq")`): the subquery is checked on its own.
    if (query.verb === "reads" && this.isLocalSubquery(query.start.getArguments()[0])) return;
    const method = this.methodOf(query.start);
    const where = whereOf(query.start);
    if (where) return this.reportVerdict(query, method, this.filterVerdict(where, new FilterScope(), 0));

    const top = chainTop(query.start);
    const dynamic = chainAbove(query.start).some((c) => methodName(c) === "$dynamic");
    // A builder returned without a where by a helper method (`private base() { return db.select().from(t) }`):
    // its callers in this class add the where, so they are checked instead.
    const helper = this.returningMember(top);
    const callers = helper ? this.callsToMember(helper) : [];
    if (callers.length > 0) {
      for (const caller of callers) {
        const callerWhere = whereOf(caller);
        const at = { ...query, anchor: nameNode(caller.getExpression()), start: caller };
        if (callerWhere) this.reportVerdict(at, this.methodOf(caller), this.filterVerdict(callerWhere, new FilterScope(), 0));
        else this.reportVerdict(at, this.methodOf(caller), undefined);
      }
      return;
    }
    // const q = db.select().from(t); … q.where(…)
    const later = this.laterWheres(top);
    if (later.length > 0) {
      return this.reportVerdict(query, method, combineAll(later.map((w) => this.filterVerdict(w, new FilterScope(), 0))));
    }
    if (dynamic) return this.reportVerdict(query, method, unknown(top, "a dynamic query (`$dynamic()`)"));
    this.reportVerdict(query, method, undefined);
  }

  /** `undefined` verdict: there is no where at all. */
  private reportVerdict(query: Query, method: string, verdict: Verdict | undefined): void {
    const data = { method, verb: query.verb, table: query.table, column: query.column };
    const at = nodePosition(query.anchor);
    if (!verdict) this.report({ messageId: "noWhere", data, ...at });
    else if (verdict.kind === "no") this.report({ messageId: "noBrandFilter", data, ...at });
    else if (verdict.kind === "unknown") this.report({ messageId: "undecidable", severity: "warning", data: { ...data, construct: verdict.construct }, ...at });
  }

  private checkRelationalQuery(call: CallExpression, tableName: string, anchor: Node): void {
    const query: Query = { verb: "reads", table: `query.${tableName}`, column: `${tableName}.brandId`, anchor, start: call };
    const method = this.methodOf(call);
    const arg = call.getArguments()[0];
    if (!arg) return this.reportVerdict(query, method, undefined);
    const options = this.resolveLocal(unwrap(arg), call);
    if (!options || !Node.isObjectLiteralExpression(options)) return this.reportVerdict(query, method, unknown(arg, `the options \`${shortText(arg)}\``));
    const where = options.getProperty("where");
    if (where && Node.isPropertyAssignment(where)) return this.reportVerdict(query, method, this.filterVerdict(where.getInitializerOrThrow(), new FilterScope(), 0));
    if (where && Node.isShorthandPropertyAssignment(where)) return this.reportVerdict(query, method, this.filterVerdict(where.getNameNode(), new FilterScope(), 0));
    const spread = options.getProperties().find((p) => Node.isSpreadAssignment(p));
    this.reportVerdict(query, method, spread ? unknown(spread) : undefined);
  }

  private checkCount(call: CallExpression, anchor: Node): void {
    const [table, filter] = call.getArguments();
    const query: Query = { ...this.describe("counts", table), anchor, start: call };
    this.reportVerdict(query, this.methodOf(call), filter ? this.filterVerdict(filter, new FilterScope(), 0) : undefined);
  }

  private checkInsert(insert: CallExpression, values: CallExpression): void {
    const table = insert.getArguments()[0]!;
    const arg = values.getArguments()[0];
    const verdict: Verdict = arg ? this.insertVerdict(arg, table, 0) : NO;
    if (verdict.kind === "yes") return;
    const data = { method: this.methodOf(insert), table: shortText(table) };
    const at = nodePosition(nameNode(insert.getExpression()));
    if (verdict.kind === "no") this.report({ messageId: "insertWithoutBrand", data, ...at });
    else this.report({ messageId: "insertUndecidable", severity: "warning", data: { ...data, construct: verdict.construct }, ...at });
  }

  /** Whether the where expression scopes the query to a brand. */
  private filterVerdict(node: Node, scope: FilterScope, depth: number): Verdict {
    const expr = unwrap(node);
    if (depth > MAX_DEPTH) return unknown(expr);
    if (Node.isCallExpression(expr)) {
      const op = this.operatorOf(expr, scope);
      const args = expr.getArguments();
      if (op === "and") {
        return combineAny(args.map((a) => (Node.isSpreadElement(a) ? unknown(a) : this.filterVerdict(a, scope, depth + 1))));
      }
      if (op === "or") return combineAll(args.map((a) => (Node.isSpreadElement(a) ? unknown(a) : this.filterVerdict(a, scope, depth + 1))));
      if (op && BRAND_FILTER_OPERATORS.has(op)) return args.slice(0, 2).some((a) => this.isBrandColumn(a)) ? YES : NO;
      if (op) return NO;
      // A helper that builds the condition: `this.byBrand(brandId)` or a local function.
      const helper = this.helperReturn(expr);
      if (helper) return this.filterVerdict(helper, new FilterScope(), depth + 1);
      return unknown(expr);
    }
    if (Node.isTaggedTemplateExpression(expr)) return unknown(expr, `raw SQL \`${shortText(expr)}\``);
    if (Node.isArrowFunction(expr) || Node.isFunctionExpression(expr)) {
      // Relational where callback: (table, { eq, and }) => and(eq(table.brandId, …), …)
      const body = returnedExpression(expr);
      return body ? this.filterVerdict(body, FilterScope.fromCallback(expr), depth + 1) : unknown(expr);
    }
    if (Node.isObjectLiteralExpression(expr)) return this.objectFilterVerdict(expr, scope, depth);
    if (Node.isConditionalExpression(expr)) {
      const whenTrue = this.filterVerdict(expr.getWhenTrue(), scope, depth + 1);
      const whenFalse = this.filterVerdict(expr.getWhenFalse(), scope, depth + 1);
      if (whenTrue.kind === whenFalse.kind && whenTrue.kind !== "unknown") return whenTrue;
      return unknown(expr, `the conditional filter \`${shortText(expr)}\``);
    }
    if (Node.isIdentifier(expr)) {
      if (expr.getText() === "undefined") return NO;
      const init = this.resolveLocal(expr, expr);
      if (init && init !== expr) return this.filterVerdict(init, scope, depth + 1);
      return unknown(expr, `\`${expr.getText()}\`${this.isParameter(expr) ? " (a parameter)" : ""}`);
    }
    if (expr.getKind() === SyntaxKind.NullKeyword) return NO;
    return unknown(expr);
  }

  /** Relational queries v2 style: `where: { brandId, AND: [...], OR: [...] }`. */
  private objectFilterVerdict(object: Node, scope: FilterScope, depth: number): Verdict {
    if (!Node.isObjectLiteralExpression(object)) return unknown(object);
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
        const inner = list.getElements().map((e) => this.objectFilterVerdict(unwrap(e), scope, depth + 1));
        parts.push(key === "AND" ? combineAny(inner) : combineAll(inner));
      }
    }
    return combineAny(parts);
  }

  private insertVerdict(node: Node, table: Node, depth: number): Verdict {
    const expr = unwrap(node);
    if (depth > MAX_DEPTH) return unknown(expr);
    if (Node.isObjectLiteralExpression(expr)) {
      const parts: Verdict[] = [];
      for (const property of expr.getProperties()) {
        if ((Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property)) && this.brandKeys.has(property.getName())) return YES;
        if (Node.isSpreadAssignment(property)) parts.push(this.insertVerdict(property.getExpression(), table, depth + 1));
      }
      return combineAny(parts);
    }
    if (Node.isArrayLiteralExpression(expr)) {
      const elements = expr.getElements();
      return elements.length ? combineAll(elements.map((e) => this.insertVerdict(e, table, depth + 1))) : NO;
    }
    if (Node.isIdentifier(expr)) {
      const param = this.parameterNamed(expr);
      if (param) {
        const type = param.getTypeNode();
        return type ? this.typeVerdict(type, depth + 1) : unknown(expr, `the untyped parameter \`${expr.getText()}\``);
      }
      const init = this.resolveLocal(expr, expr);
      if (init && init !== expr) return this.insertVerdict(init, table, depth + 1);
      return unknown(expr);
    }
    // rows.map((row) => ({ ...row, brandId }))
    if (Node.isCallExpression(expr) && methodName(expr) === "map") {
      const mapper = expr.getArguments()[0];
      const returned = mapper ? returnedExpression(unwrap(mapper)) : undefined;
      if (returned) return this.insertVerdict(returned, table, depth + 1);
    }
    return unknown(expr);
  }

  /** Whether a parameter's declared type carries brandId. */
  private typeVerdict(type: TypeNode, depth: number): Verdict {
    if (depth > MAX_DEPTH) return unknown(type);
    if (Node.isTypeLiteral(type)) return type.getProperties().some((p) => this.brandKeys.has(p.getName())) ? YES : NO;
    if (Node.isIntersectionTypeNode(type)) return combineAny(type.getTypeNodes().map((t) => this.typeVerdict(t, depth + 1)));
    if (Node.isParenthesizedTypeNode(type)) return this.typeVerdict(type.getTypeNode(), depth + 1);
    if (Node.isArrayTypeNode(type)) return this.typeVerdict(type.getElementTypeNode(), depth + 1);
    // typeof invoices.$inferInsert / InferInsertModel<typeof invoices>: TypeScript requires brandId when the column is NOT NULL without default.
    const inferred = /^(?:typeof\s+([\w$]+)\.\$inferInsert|InferInsertModel<\s*typeof\s+([\w$]+)\s*>)$/.exec(type.getText());
    if (inferred) {
      const variable = inferred[1] ?? inferred[2];
      const table = this.schema?.tables.find((t) => t.variable === variable);
      const brand = table?.columns.find(isBrandIdColumn);
      if (brand && brand.notNull && !brand.hasDefault) return YES;
      return unknown(type, `\`${type.getText()}\` (brandId is optional there)`);
    }
    if (Node.isTypeReference(type)) {
      const name = type.getTypeName().getText();
      const alias = this.file.getTypeAlias(name);
      if (alias) {
        const aliased = alias.getTypeNode();
        return aliased ? this.typeVerdict(aliased, depth + 1) : unknown(type);
      }
      const iface = this.file.getInterface(name);
      if (iface) {
        if (iface.getProperties().some((p) => this.brandKeys.has(p.getName()))) return YES;
        return iface.getExtends().length ? unknown(type, `the type \`${name}\``) : NO;
      }
    }
    return unknown(type, `the type \`${shortText(type)}\``);
  }

  private isBrandColumn(node: Node): boolean {
    const expr = unwrap(node);
    if (Node.isPropertyAccessExpression(expr)) return this.brandKeys.has(expr.getName());
    if (Node.isElementAccessExpression(expr)) {
      const arg = expr.getArgumentExpression();
      return !!arg && Node.isStringLiteral(arg) && this.brandKeys.has(arg.getLiteralText());
    }
    return false;
  }

  /** Which drizzle operator a call is (`eq`, `and`, …), imported or from a relational callback's operators. */
  private operatorOf(call: CallExpression, scope: FilterScope): string | undefined {
    const callee = call.getExpression();
    if (Node.isIdentifier(callee) && scope.names.has(callee.getText())) return scope.names.get(callee.getText());
    if (Node.isPropertyAccessExpression(callee) && Node.isIdentifier(callee.getExpression()) && scope.namespaces.has(callee.getExpression().getText())) {
      return DRIZZLE_OPERATORS.has(callee.getName()) ? callee.getName() : undefined;
    }
    for (const op of DRIZZLE_OPERATORS) if (refersToImport(callee, this.file, DRIZZLE, op)) return op;
    return undefined;
  }

  /** What `this.helper(…)` or a local function returns, for filters built by helpers. */
  private helperReturn(call: CallExpression): Node | undefined {
    const callee = call.getExpression();
    if (Node.isPropertyAccessExpression(callee) && callee.getExpression().getKind() === SyntaxKind.ThisKeyword) {
      const member = this.cls.getMember(callee.getName());
      if (member && Node.isMethodDeclaration(member)) return returnedExpression(member);
      if (member && Node.isPropertyDeclaration(member)) {
        const init = unwrap(member.getInitializer());
        return init ? returnedExpression(init) : undefined;
      }
      return undefined;
    }
    if (Node.isIdentifier(callee)) {
      const fn = this.file.getFunction(callee.getText()) ?? this.resolveLocal(callee, call);
      return fn ? returnedExpression(fn) : undefined;
    }
    return undefined;
  }

  /** The initializer of a `const` visible from `from` (in enclosing functions or at top level). */
  private resolveLocal(expr: Node, from: Node): Node | undefined {
    if (!Node.isIdentifier(expr)) return expr;
    const name = expr.getText();
    for (let scope: Node | undefined = from.getParent(); scope; scope = scope.getParent()) {
      if (!Node.isBlock(scope) && !Node.isSourceFile(scope)) continue;
      for (const statement of scope.getStatements()) {
        if (!Node.isVariableStatement(statement)) continue;
        const decl = statement.getDeclarations().find((d) => d.getName() === name);
        if (decl) return unwrap(decl.getInitializer());
      }
    }
    return undefined;
  }

  private parameterNamed(identifier: Node) {
    const name = identifier.getText();
    for (let node: Node | undefined = identifier.getParent(); node; node = node.getParent()) {
      if (Node.isMethodDeclaration(node) || Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isFunctionDeclaration(node) || Node.isConstructorDeclaration(node)) {
        const param = node.getParameters().find((p) => p.getName() === name);
        if (param) return param;
      }
    }
    return undefined;
  }

  private isParameter(identifier: Node): boolean {
    return this.parameterNamed(identifier) !== undefined;
  }

  private isLocalSubquery(arg: Node | undefined): boolean {
    if (!arg || !Node.isIdentifier(unwrap(arg))) return false;
    const init = this.resolveLocal(unwrap(arg), arg);
    if (!init || !Node.isCallExpression(init)) return false;
    const name = methodName(init);
    return name === "as" || name === "$with";
  }

  /** The class member whose body directly returns `top` (a helper that returns a builder). */
  private returningMember(top: Node): string | undefined {
    const parent = top.getParent();
    const returned = parent && (Node.isReturnStatement(parent) || (Node.isArrowFunction(parent) && parent.getBody() === top));
    if (!returned) return undefined;
    const member = memberOf(top, this.cls);
    return member && (Node.isMethodDeclaration(member) || Node.isPropertyDeclaration(member)) ? member.getName() : undefined;
  }

  private callsToMember(name: string): CallExpression[] {
    return this.cls.getDescendantsOfKind(SyntaxKind.CallExpression).filter((call) => {
      const callee = call.getExpression();
      return Node.isPropertyAccessExpression(callee) && callee.getName() === name && callee.getExpression().getKind() === SyntaxKind.ThisKeyword;
    });
  }

  /** `const q = db.select().from(t); … q.where(…)`: the wheres applied to the variable later in the same function. */
  private laterWheres(top: Node): Node[] {
    const parent = top.getParent();
    if (!parent || !Node.isVariableDeclaration(parent)) return [];
    const name = parent.getName();
    const body = parent.getFirstAncestor((a) => Node.isBlock(a));
    if (!body) return [];
    return body
      .getDescendantsOfKind(SyntaxKind.Identifier)
      .filter((id) => id.getText() === name && id !== parent.getNameNode())
      .flatMap((id) => {
        const where = chainAbove(id).find((c) => methodName(c) === "where");
        return where?.getArguments()[0] ? [where.getArguments()[0]!] : [];
      });
  }

  private methodOf(node: Node): string {
    const member = memberOf(node, this.cls);
    if (!member) return "(class body)";
    if (Node.isConstructorDeclaration(member)) return "constructor";
    return "getName" in member && typeof member.getName === "function" ? String(member.getName()) : "(member)";
  }
}

/** Names bound to drizzle operators inside a relational where callback: `(t, { eq, and: both }) => …` or `(t, ops) => ops.eq(…)`. */
class FilterScope {
  readonly names = new Map<string, string>();
  readonly namespaces = new Set<string>();

  static fromCallback(fn: Node): FilterScope {
    const scope = new FilterScope();
    if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return scope;
    const ops = fn.getParameters()[1]?.getNameNode();
    if (ops && Node.isIdentifier(ops)) scope.namespaces.add(ops.getText());
    if (ops && Node.isObjectBindingPattern(ops)) {
      for (const element of ops.getElements()) {
        const imported = element.getPropertyNameNode()?.getText() ?? element.getName();
        if (DRIZZLE_OPERATORS.has(imported)) scope.names.set(element.getName(), imported);
      }
    }
    return scope;
  }
}

/** At least one part scopes to a brand (and(…)). */
function combineAny(parts: Verdict[]): Verdict {
  if (parts.some((p) => p.kind === "yes")) return YES;
  return parts.find((p) => p.kind === "unknown") ?? NO;
}

/** Every part scopes to a brand (or(…), several wheres). */
function combineAll(parts: Verdict[]): Verdict {
  if (parts.length === 0) return NO;
  if (parts.some((p) => p.kind === "no")) return NO;
  return parts.find((p) => p.kind === "unknown") ?? YES;
}

function methodName(call: Node): string | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
}

function nameNode(callee: Node): Node {
  return Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : callee;
}

/** The method calls chained onto `node`: `.where(…)`, `.orderBy(…)`, … in order. */
function chainAbove(node: Node): CallExpression[] {
  const chain: CallExpression[] = [];
  let current = node;
  for (;;) {
    const access = current.getParent();
    if (!access || !Node.isPropertyAccessExpression(access) || access.getExpression() !== current) break;
    const call = access.getParent();
    if (!call || !Node.isCallExpression(call) || call.getExpression() !== access) break;
    chain.push(call);
    current = call;
  }
  return chain;
}

function chainTop(node: CallExpression): Node {
  const chain = chainAbove(node);
  return chain[chain.length - 1] ?? node;
}

function whereOf(start: CallExpression): Node | undefined {
  const where = chainAbove(start).find((c) => methodName(c) === "where");
  return where?.getArguments()[0];
}

/** `db.query` / `this.db.query` / `tx.query`. */
function isQueryNamespace(node: Node): boolean {
  const expr = unwrap(node);
  return Node.isPropertyAccessExpression(expr) && expr.getName() === "query";
}

function memberOf(node: Node, cls: ClassNode): Node | undefined {
  for (let current: Node | undefined = node; current; current = current.getParent()) {
    if (current.getParent() === cls) return current;
  }
  return undefined;
}
