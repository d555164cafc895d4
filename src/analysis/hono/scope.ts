import { Node, SyntaxKind } from "ts-morph";
import { undecidableAt } from "../ts/location.js";
import { resolveName } from "../ts/symbols.js";
import { isFunctionLike, returnedExpressions, shortText, unwrap, type FunctionLike } from "../ts/syntax.js";
import { functionOf, type Substitution } from "../ts/values.js";
import { NOT_SCOPED, SCOPED, type ScopeVerdict } from "./model.js";
import { descendantsOfKind } from "../ts/walk.js";

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
  isRequireScope(callee: Node): boolean;
  subst: Substitution;
}

const MAX_DEPTH = 10;

export function combine(a: ScopeVerdict, b: ScopeVerdict): ScopeVerdict {
  if (a.covered || b.covered) return SCOPED;
  return { covered: false, undecidable: [...a.undecidable, ...b.undecidable] };
}

export function middlewareListVerdict(items: readonly Node[], reader: ScopeReader): ScopeVerdict {
  return items.reduce<ScopeVerdict>((acc, item) => combine(acc, middlewareVerdict(item, reader)), NOT_SCOPED);
}

/** Whether one middleware expression is requireScope(…) (or certainly runs it). */
export function middlewareVerdict(expr: Node, reader: ScopeReader, depth = 0): ScopeVerdict {
  const node = unwrap(expr);
  if (depth > MAX_DEPTH) return { covered: false, undecidable: [undecidableAt(node, `\`${shortText(node.getText(), 60)}\``)] };
  if (Node.isCallExpression(node)) {
    const callee = node.getExpression();
    if (reader.isRequireScope(callee)) return SCOPED;
    // A local factory that returns requireScope(…) (`const scoped = (s) => requireScope(s)`).
    const fn = functionOf(callee);
    return fn ? { covered: returnsScope(fn, reader, depth + 1), undecidable: [] } : NOT_SCOPED;
  }
  if (isFunctionLike(node)) return { covered: runsScope(node, reader, depth + 1), undecidable: [] };
  if (Node.isArrayLiteralExpression(node)) return middlewareListVerdict(node.getElements(), reader);
  if (Node.isSpreadElement(node)) return middlewareVerdict(node.getExpression(), reader, depth + 1);
  if (Node.isConditionalExpression(node)) {
    const a = middlewareVerdict(node.getWhenTrue(), reader, depth + 1);
    const b = middlewareVerdict(node.getWhenFalse(), reader, depth + 1);
    if (a.covered && b.covered) return SCOPED;
    if (a.covered || b.covered) return { covered: false, undecidable: [undecidableAt(node, `the conditional middleware \`${shortText(node.getText(), 60)}\``)] };
    return { covered: false, undecidable: [...a.undecidable, ...b.undecidable] };
  }
  if (Node.isIdentifier(node) || Node.isPropertyAccessExpression(node)) {
    const { declaration, external } = resolveName(node);
    if (!declaration) {
      // A value made in another package may hold requireScope(…) middleware: that cannot be decided here.
      // (Hono's own middleware and the bare requireScope factory, uncalled, certainly protect nothing.)
      if (!external || external.name === "requireScope" || /^(hono|@hono\/)/.test(external.module)) return NOT_SCOPED;
      return { covered: false, undecidable: [undecidableAt(node, `\`${shortText(node.getText(), 60)}\` (imported from "${external.module}")`)] };
    }
    const substituted = reader.subst(declaration);
    if (substituted) return middlewareVerdict(substituted, reader, depth + 1);
    if (Node.isVariableDeclaration(declaration) || Node.isPropertyAssignment(declaration) || Node.isPropertyDeclaration(declaration)) {
      const init = declaration.getInitializer();
      return init ? middlewareVerdict(init, reader, depth + 1) : NOT_SCOPED;
    }
    if (isFunctionLike(declaration)) return { covered: runsScope(declaration, reader, depth + 1), undecidable: [] };
    if (Node.isParameterDeclaration(declaration) || Node.isBindingElement(declaration)) {
      return { covered: false, undecidable: [undecidableAt(node, `\`${shortText(node.getText(), 60)}\` (a function parameter)`)] };
    }
  }
  return NOT_SCOPED;
}

/** A factory whose returned value is requireScope(…) middleware. */
function returnsScope(fn: FunctionLike, reader: ScopeReader, depth: number): boolean {
  return returnedExpressions(fn).some((e) => middlewareVerdict(e, reader, depth).covered);
}

/**
 * A middleware function that runs requireScope(…) unconditionally: its body
 * returns, awaits or calls `requireScope(…)(c, next)` at the top level.
 */
function runsScope(fn: FunctionLike, reader: ScopeReader, depth: number): boolean {
  const body = fn.getBody();
  if (!body) return false;
  const candidates: Node[] = [];
  if (!Node.isBlock(body)) candidates.push(body);
  else {
    for (const statement of body.getStatements()) {
      if (Node.isReturnStatement(statement) && statement.getExpression()) candidates.push(statement.getExpression()!);
      else if (Node.isExpressionStatement(statement)) candidates.push(statement.getExpression());
    }
  }
  return candidates.some((c) => {
    const call = unwrap(c);
    return Node.isCallExpression(call) && middlewareVerdict(call.getExpression(), reader, depth).covered;
  });
}

/**
 * A handler that hands over to the next one (`async (c, next) => { …; await next() }`)
 * is middleware, whatever method registered it.
 */
export function callsNext(handler: Node): boolean {
  const fn = unwrap(handler);
  if (!isFunctionLike(fn)) return false;
  const next = fn.getParameters()[1];
  if (!next || !Node.isIdentifier(next.getNameNode())) return false;
  const name = next.getName();
  return descendantsOfKind(fn, SyntaxKind.CallExpression).some((c) => {
    const callee = unwrap(c.getExpression());
    return Node.isIdentifier(callee) && callee.getText() === name;
  });
}
