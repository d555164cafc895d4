import { Node, SyntaxKind, ts, type ArrowFunction, type FunctionDeclaration, type FunctionExpression, type MethodDeclaration, type ConstructorDeclaration } from "ts-morph";
import { descendantsOfKind, wrapNode } from "./walk.js";

/** Strips `( )`, `as T`, `satisfies T`, `<T>x`, `x!` and `await`: wrappers that leave the value as it is. */
export function unwrap(node: Node): Node {
  const inner = skipOuterExpressions(node.compilerNode as ts.Expression);
  return inner === node.compilerNode ? node : wrapNode(node, inner);
}

/** {@link unwrap} on the compiler's nodes (hot loops read these without wrapping every node they look at). */
export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isTypeAssertionExpression(current) ||
    ts.isAwaitExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** A function with a body: declaration, expression, arrow, method or constructor. */
export type FunctionLike = FunctionDeclaration | FunctionExpression | ArrowFunction | MethodDeclaration | ConstructorDeclaration;

export function isFunctionLike(node: Node): node is FunctionLike {
  return (
    Node.isArrowFunction(node) ||
    Node.isFunctionExpression(node) ||
    Node.isFunctionDeclaration(node) ||
    Node.isMethodDeclaration(node) ||
    Node.isConstructorDeclaration(node)
  );
}

/** The text of a property name when it is static (`a`, `"a.b"`, `1`, `["a"]`); undefined for computed names. */
export function staticPropertyName(name: Node): string | undefined {
  if (Node.isIdentifier(name) || Node.isPrivateIdentifier(name)) return name.getText();
  if (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name) || Node.isNumericLiteral(name)) return name.getLiteralText();
  if (Node.isComputedPropertyName(name)) {
    const inner = unwrap(name.getExpression());
    if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner) || Node.isNumericLiteral(inner)) return inner.getLiteralText();
  }
  return undefined;
}

/** One line of source text for messages: whitespace collapsed, cut when long. */
export function constructText(node: Node, max = 80): string {
  return shortText(node.getText(), max);
}

export function shortText(text: string, max = 80): string {
  const one = text.replace(/\s+/g, " ").trim().replace(/;$/, "");
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** The expressions a function returns (an arrow's expression body; `return x` outside nested functions). */
export function returnedExpressions(fn: FunctionLike): Node[] {
  const body = fn.getBody();
  if (!body) return [];
  if (!Node.isBlock(body)) return [body];
  return descendantsOfKind(body, SyntaxKind.ReturnStatement)
    .filter((r) => r.getFirstAncestor((a) => isFunctionLike(a)) === fn)
    .flatMap((r) => (r.getExpression() ? [r.getExpression()!] : []));
}
