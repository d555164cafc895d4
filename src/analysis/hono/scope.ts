import ts from "typescript";
import { undecidableAt } from "../ts/location.js";
import { isExportOf, resolveName } from "../ts/symbols.js";
import { isFunctionLike, returnedExpressions, shortText, unwrap, type FunctionLike } from "../ts/syntax.js";
import { evaluateString, functionOf, valueOf, type Substitution } from "../ts/values.js";
import { NOT_SCOPED, SCOPED, type PathValue, type ScopeVerdict } from "./model.js";
import { descendants } from "../ts/walk.js";

/**
 * Whether middleware protects a route with requireScope(…). Only
 * `requireScope` of the configured scopes module counts (a local function of
 * the same name does not), and only in middleware position: the middleware
 * itself, a value or local factory that is one, or a function that runs it
 * (`(c, next) => requireScope(s)(c, next)`). A requireScope(…) call whose
 * result is dropped, or that sits under a condition, protects nothing.
 */
export interface ScopeReader {
  /** Whether a callee is the scopes module's `requireScope`. */
  isRequireScope(callee: ts.Node): boolean;
  subst: Substitution;
}

const MAX_DEPTH = 10;

export function combine(a: ScopeVerdict, b: ScopeVerdict): ScopeVerdict {
  if ((a.covered && !a.unless) || (b.covered && !b.unless)) return SCOPED;
  // Both skip some paths: a route either skips stays in doubt, so it is read as skipped (the stricter reading).
  if (a.covered || b.covered) return { covered: true, undecidable: [], unless: [...(a.covered ? a.unless ?? [] : []), ...(b.covered ? b.unless ?? [] : [])] };
  return { covered: false, undecidable: [...a.undecidable, ...b.undecidable] };
}

export function middlewareListVerdict(items: readonly ts.Node[], reader: ScopeReader): ScopeVerdict {
  return items.reduce<ScopeVerdict>((acc, item) => combine(acc, middlewareVerdict(item, reader)), NOT_SCOPED);
}

/** Whether one middleware expression is requireScope(…) (or certainly runs it). */
export function middlewareVerdict(expr: ts.Node, reader: ScopeReader, depth = 0): ScopeVerdict {
  const node = unwrap(expr);
  if (depth > MAX_DEPTH) return { covered: false, undecidable: [undecidableAt(node, `\`${shortText(node.getText(), 60)}\``)] };
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    if (reader.isRequireScope(callee)) return SCOPED;
    // `createMiddleware(async (c, next) => …)` (hono/factory) is the function it wraps.
    const wrapped = node.arguments[0];
    if (isCreateMiddleware(callee)) return wrapped ? middlewareVerdict(wrapped, reader, depth + 1) : NOT_SCOPED;
    // `every(a, b)` (hono/combine) runs each of them: one requireScope among them protects.
    if (isExportOf(callee, "hono/combine", "every")) return middlewareListVerdict(node.arguments, reader);
    // `except(paths, …middleware)` (hono/combine) runs them for every request path but those.
    if (isExportOf(callee, "hono/combine", "except")) return exceptVerdict(node, reader);
    // A local factory that returns requireScope(…) (`const scoped = (s) => requireScope(s)`).
    const fn = functionOf(callee);
    return fn ? { covered: returnsScope(fn, reader, depth + 1), undecidable: [] } : NOT_SCOPED;
  }
  if (isFunctionLike(node)) return runsScope(node, reader, depth + 1);
  if (ts.isArrayLiteralExpression(node)) return middlewareListVerdict(node.elements, reader);
  if (ts.isSpreadElement(node)) return middlewareVerdict(node.expression, reader, depth + 1);
  if (ts.isConditionalExpression(node)) {
    const a = middlewareVerdict(node.whenTrue, reader, depth + 1);
    const b = middlewareVerdict(node.whenFalse, reader, depth + 1);
    if (a.covered && b.covered) return SCOPED;
    if (a.covered || b.covered) return { covered: false, undecidable: [undecidableAt(node, `the conditional middleware \`${shortText(node.getText(), 60)}\``)] };
    return { covered: false, undecidable: [...a.undecidable, ...b.undecidable] };
  }
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
    const { declaration, external } = resolveName(node);
    if (!declaration) {
      // A value made in another package may hold requireScope(…) middleware: that cannot be decided here.
      // (Hono's own middleware and the bare requireScope factory, uncalled, certainly protect nothing.)
      if (!external || external.name === "requireScope" || /^(hono|@hono\/)/.test(external.module)) return NOT_SCOPED;
      return { covered: false, undecidable: [undecidableAt(node, `\`${shortText(node.getText(), 60)}\` (imported from "${external.module}")`)] };
    }
    const substituted = reader.subst(declaration);
    if (substituted) return middlewareVerdict(substituted, reader, depth + 1);
    if (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) {
      const init = declaration.initializer;
      return init ? middlewareVerdict(init, reader, depth + 1) : NOT_SCOPED;
    }
    if (isFunctionLike(declaration)) return runsScope(declaration, reader, depth + 1);
    if (ts.isParameter(declaration) || ts.isBindingElement(declaration)) {
      return { covered: false, undecidable: [undecidableAt(node, `\`${shortText(node.getText(), 60)}\` (a function parameter)`)] };
    }
  }
  return NOT_SCOPED;
}

/** `except("/auth/*", requireScope(…))`: covered but for the paths the condition names, when it names them statically. */
function exceptVerdict(call: ts.CallExpression, reader: ScopeReader): ScopeVerdict {
  const [condition, ...middleware] = call.arguments;
  const inner = middlewareListVerdict(middleware, reader);
  if (!condition || !inner.covered) return inner;
  const list = unwrap(condition);
  const items = ts.isArrayLiteralExpression(list) ? list.elements : [condition];
  const unless: PathValue[] = [...(inner.unless ?? [])];
  for (const item of items) {
    const path = isFunctionLike(unwrap(item)) ? undefined : evaluateString(item, reader.subst);
    if (!path || "undecidable" in path) {
      return { covered: false, undecidable: [path && "undecidable" in path ? path.undecidable : undecidableAt(item, `the \`except(…)\` condition \`${shortText(item.getText(), 60)}\``)] };
    }
    unless.push(path);
  }
  return { covered: true, undecidable: [], unless };
}

/** hono/factory's `createMiddleware`, imported or on a `createFactory()` instance (`factory.createMiddleware`). */
function isCreateMiddleware(callee: ts.Node): boolean {
  if (isExportOf(callee, "hono/factory", "createMiddleware")) return true;
  const node = unwrap(callee);
  if (!ts.isPropertyAccessExpression(node) || node.name.text !== "createMiddleware") return false;
  const factory = valueOf(node.expression);
  return factory !== undefined && ts.isCallExpression(factory) && isExportOf(factory.expression, "hono/factory", "createFactory");
}

/** A factory whose returned value is requireScope(…) middleware. */
function returnsScope(fn: FunctionLike, reader: ScopeReader, depth: number): boolean {
  return returnedExpressions(fn).some((e) => middlewareVerdict(e, reader, depth).covered);
}

/**
 * A middleware function that runs requireScope(…) unconditionally: its body
 * returns, awaits or calls `requireScope(…)(c, next)` at the top level. An
 * earlier statement that can call `next()` itself (`if (isPublic(c)) return next();`)
 * lets some requests past the scope check: which ones is decided at run time.
 */
function runsScope(fn: FunctionLike, reader: ScopeReader, depth: number): ScopeVerdict {
  const body = fn.body;
  if (!body) return NOT_SCOPED;
  const runsIt = (node: ts.Node | undefined) => {
    const call = node ? unwrap(node) : undefined;
    return call !== undefined && ts.isCallExpression(call) && middlewareVerdict(call.expression, reader, depth).covered;
  };
  if (!ts.isBlock(body)) return runsIt(body) ? SCOPED : NOT_SCOPED;
  const statements = body.statements;
  const index = statements.findIndex((st) => (ts.isReturnStatement(st) || ts.isExpressionStatement(st)) && runsIt(st.expression));
  if (index < 0) return NOT_SCOPED;
  const next = fn.parameters[1];
  const nextName = next && ts.isIdentifier(next.name) ? next.name.text : undefined;
  const bypass = nextName === undefined ? undefined : statements.slice(0, index).find((st) => callsNamed(st, nextName));
  if (!bypass) return SCOPED;
  return {
    covered: false,
    undecidable: [undecidableAt(bypass, `the early \`${nextName}()\` in \`${shortText(bypass.getText(), 60)}\`, which lets some requests past requireScope(…) (name the skipped paths with hono/combine's \`except(…)\` instead)`)],
  };
}

/** Whether a statement calls the function of that name (the middleware's `next`). */
function callsNamed(statement: ts.Node, name: string): boolean {
  return descendants(statement, ts.isCallExpression).some((c) => {
    const callee = unwrap(c.expression);
    return ts.isIdentifier(callee) && callee.text === name;
  });
}

/**
 * A handler that hands over to the next one (`async (c, next) => { …; await next() }`)
 * is middleware, whatever method registered it.
 */
export function callsNext(handler: ts.Node): boolean {
  const fn = unwrap(handler);
  if (!isFunctionLike(fn)) return false;
  const next = fn.parameters[1];
  if (!next || !ts.isIdentifier(next.name)) return false;
  return callsNamed(fn, next.name.text);
}
