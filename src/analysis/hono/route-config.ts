import ts from "typescript";
import { undecidableAt, type Undecidable } from "../ts/location.js";
import { returnedExpressions, shortText, unwrap } from "../ts/syntax.js";
import { bindArguments, evaluateString, functionOf, objectLiteralOf, objectMembers, originOf, valueOf, type Member } from "../ts/values.js";
import { NOT_SCOPED, type PathValue, type ScopeVerdict } from "./model.js";
import { middlewareVerdict, type ScopeReader } from "./scope.js";

/** What a route definition declares: `createRoute({ method, path, middleware })`. */
export interface RouteConfig {
  method?: string;
  path?: PathValue;
  middleware: ScopeVerdict;
  /** Why the method is unknown. */
  undecidable?: Undecidable;
  /** `hide: true`: @hono/zod-openapi leaves the route out of the generated document. */
  hidden?: boolean;
}

export interface RouteConfigReader extends ScopeReader {
  /** Whether a callee is @hono/zod-openapi's `createRoute`. */
  isCreateRoute(callee: ts.Node): boolean;
}

const MAX_DEPTH = 10;
const ROUTE_KEYS = ["method", "path", "middleware", "hide"];

/**
 * Reads a route definition wherever it is written: inline, in a constant, in
 * another file (`routes.list` through a namespace import), or returned by a
 * local wrapper around createRoute (`createRouteUtil({ method, path })`), whose
 * parameters are replaced by the call's arguments.
 */
export function readRouteConfig(expr: ts.Node, reader: RouteConfigReader, depth = 0): RouteConfig {
  const node = unwrap(expr);
  const unreadable = (): RouteConfig => ({ middleware: NOT_SCOPED, undecidable: undecidableAt(node, `the route \`${shortText(node.getText(), 60)}\`${originOf(node, reader.subst)}`) });
  if (depth > MAX_DEPTH) return unreadable();
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    if (reader.isCreateRoute(callee)) {
      const arg = node.arguments[0];
      return arg ? readRouteConfig(arg, reader, depth + 1) : { middleware: NOT_SCOPED, undecidable: undecidableAt(node, "`createRoute()` without options") };
    }
    const wrapper = functionOf(callee);
    const returned = wrapper ? returnedExpressions(wrapper)[0] : undefined;
    if (!wrapper || !returned) return unreadable();
    return readRouteConfig(returned, { ...reader, subst: bindArguments(wrapper, node.arguments, reader.subst) }, depth + 1);
  }
  if (ts.isObjectLiteralExpression(node)) return fromObject(node, reader, objectMembers(node, ROUTE_KEYS, reader.subst));
  const value = objectLiteralOf(node, reader.subst);
  if (value) return readRouteConfig(value, reader, depth + 1);
  // `const list = createRoute({...})`, also through `export default { list }` (`routes.list` → `list` → the call).
  const held = ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) ? valueOf(node, reader.subst) : undefined;
  return held && held !== node && (ts.isCallExpression(held) || ts.isIdentifier(held) || ts.isPropertyAccessExpression(held)) ? readRouteConfig(held, reader, depth + 1) : unreadable();
}

function fromObject(node: ts.Node, reader: RouteConfigReader, props: Map<string, Member>): RouteConfig {
  const method = props.get("method");
  const path = props.get("path");
  const middleware = props.get("middleware");
  const hide = props.get("hide");
  const hiddenValue = hide && "node" in hide ? (valueOf(hide.node, reader.subst) ?? unwrap(hide.node)) : undefined;
  const methodValue = method ? ("node" in method ? evaluateString(method.node, reader.subst) : { undecidable: method.undecidable }) : undefined;
  return {
    ...(methodValue && "value" in methodValue ? { method: methodValue.value.toLowerCase() } : {}),
    ...(path ? { path: "node" in path ? evaluateString(path.node, reader.subst) : { undecidable: path.undecidable } } : {}),
    ...(hiddenValue?.kind === ts.SyntaxKind.TrueKeyword ? { hidden: true } : {}),
    middleware: !middleware ? NOT_SCOPED : "node" in middleware ? middlewareVerdict(middleware.node, reader) : { covered: false, undecidable: [middleware.undecidable] },
    ...(methodValue && "undecidable" in methodValue
      ? { undecidable: methodValue.undecidable }
      : !method
        ? { undecidable: undecidableAt(node, "a route config without `method`") }
        : {}),
  };
}
