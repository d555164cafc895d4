import { Node, SyntaxKind, VariableDeclarationKind, type ObjectLiteralExpression } from "ts-morph";
import { undecidableAt, type Undecidable } from "./location.js";
import { resolveName } from "./symbols.js";
import { isFunctionLike, shortText, staticPropertyName, unwrap, type FunctionLike } from "./syntax.js";

/**
 * A small evaluator for the values the rules read (paths, methods, route
 * configs): literals, templates, `+`, constants, object members and enum
 * members, followed through the compiler's symbols into any file of the
 * program. It never runs code: a value from a parameter, from outside the
 * repository or from run time is undecidable, and names what it is.
 */

export type StaticString = { value: string } | { undecidable: Undecidable };

const MAX_DEPTH = 12;

/** A string known without running the code. */
export function evaluateString(expr: Node, depth = 0): StaticString {
  const node = unwrap(expr);
  const fail = (cause: Node = node): StaticString => ({ undecidable: undecidableAt(node, describeValue(node) + originOf(cause)) });
  if (depth > MAX_DEPTH) return fail();
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return { value: node.getLiteralText() };
  if (Node.isNumericLiteral(node)) return { value: String(node.getLiteralValue()) };
  if (Node.isTemplateExpression(node)) {
    let out = node.getHead().getLiteralText();
    for (const span of node.getTemplateSpans()) {
      const part = evaluateString(span.getExpression(), depth + 1);
      if (!("value" in part)) return fail(span.getExpression());
      out += part.value + span.getLiteral().getLiteralText();
    }
    return { value: out };
  }
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.PlusToken) {
    const left = evaluateString(node.getLeft(), depth + 1);
    if (!("value" in left)) return fail(node.getLeft());
    const right = evaluateString(node.getRight(), depth + 1);
    return "value" in right ? { value: left.value + right.value } : fail(node.getRight());
  }
  if (Node.isIdentifier(node) || Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node)) {
    const value = valueOf(node);
    if (value) {
      const inner = evaluateString(value, depth + 1);
      return "value" in inner ? inner : fail(value);
    }
  }
  return fail();
}

/**
 * The expression a name stands for: a `const`'s initializer, an object
 * member's value (`PATHS.invoices`, `PATHS["invoices"]`), an enum member's
 * initializer, a default export's expression. Undefined for `let`, parameters,
 * names outside the repository and anything else that is not one fixed value.
 */
export function valueOf(expr: Node): Node | undefined {
  const node = unwrap(expr);
  if (Node.isElementAccessExpression(node)) {
    const key = node.getArgumentExpression();
    const name = key ? evaluateString(key) : undefined;
    const obj = objectLiteralOf(node.getExpression());
    if (!obj || !name || !("value" in name)) return undefined;
    const member = objectMembers(obj).get(name.value);
    return member && "node" in member ? member.node : undefined;
  }
  const decl = resolveName(node).declaration;
  if (!decl) return undefined;
  if (Node.isVariableDeclaration(decl)) {
    const init = decl.getInitializer();
    return init && decl.getVariableStatement()?.getDeclarationKind() === VariableDeclarationKind.Const ? unwrap(init) : undefined;
  }
  if (Node.isPropertyAssignment(decl)) {
    const init = decl.getInitializer();
    return init ? unwrap(init) : undefined;
  }
  if (Node.isShorthandPropertyAssignment(decl)) return valueOf(decl.getNameNode());
  if (Node.isEnumMember(decl)) return decl.getInitializer();
  if (Node.isExportAssignment(decl)) return unwrap(decl.getExpression());
  return undefined;
}

/** The object literal an expression is written as, following constants across files. */
export function objectLiteralOf(expr: Node, depth = 0): ObjectLiteralExpression | undefined {
  const node = unwrap(expr);
  if (Node.isObjectLiteralExpression(node)) return node;
  if (depth > MAX_DEPTH) return undefined;
  const value = Node.isIdentifier(node) || Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node) ? valueOf(node) : undefined;
  return value ? objectLiteralOf(value, depth + 1) : undefined;
}

export type Member = { node: Node } | { undecidable: Undecidable };

/**
 * The members of an object literal by static name, following spreads of
 * objects the evaluator can read. A spread it cannot read makes every key the
 * object does not set itself undecidable (`keysFromSpread`), naming the spread.
 */
export function objectMembers(obj: ObjectLiteralExpression, keysFromSpread: readonly string[] = [], depth = 0): Map<string, Member> {
  const out = new Map<string, Member>();
  let unreadSpread: Undecidable | undefined;
  for (const prop of obj.getProperties()) {
    if (Node.isPropertyAssignment(prop)) {
      const name = staticPropertyName(prop.getNameNode());
      const init = prop.getInitializer();
      if (name !== undefined && init) out.set(name, { node: init });
    } else if (Node.isShorthandPropertyAssignment(prop)) {
      out.set(prop.getName(), { node: prop.getNameNode() });
    } else if (Node.isMethodDeclaration(prop)) {
      const name = staticPropertyName(prop.getNameNode());
      if (name !== undefined) out.set(name, { node: prop });
    } else if (Node.isSpreadAssignment(prop)) {
      const source = depth < MAX_DEPTH ? objectLiteralOf(prop.getExpression()) : undefined;
      if (source) for (const [k, v] of objectMembers(source, keysFromSpread, depth + 1)) out.set(k, v);
      else unreadSpread ??= undecidableAt(prop, `the spread \`${shortText(prop.getText(), 60)}\`${originOf(prop.getExpression())}`);
    }
  }
  if (unreadSpread) for (const key of keysFromSpread) if (!out.has(key)) out.set(key, { undecidable: unreadSpread });
  return out;
}

/** The function a callee names (`f`, `ns.f`, `obj.method`, `this.method`), when it is declared in the program. */
export function functionOf(callee: Node): FunctionLike | undefined {
  const node = unwrap(callee);
  if (isFunctionLike(node)) return node;
  const decl = Node.isIdentifier(node) || Node.isPropertyAccessExpression(node) ? resolveName(node).declaration : undefined;
  if (!decl) return undefined;
  if (isFunctionLike(decl)) return decl;
  const value = Node.isVariableDeclaration(decl) || Node.isPropertyAssignment(decl) || Node.isPropertyDeclaration(decl) ? decl.getInitializer() : undefined;
  const fn = value ? unwrap(value) : undefined;
  return fn && isFunctionLike(fn) ? fn : undefined;
}

/**
 * Where an unreadable value comes from, for messages: ` (imported from "pkg")`,
 * ` (a function parameter)`, ` (read at run time)`; empty when nothing more
 * specific can be said.
 */
export function originOf(expr: Node): string {
  let root = unwrap(expr);
  if (Node.isPropertyAccessExpression(root) && /^process\.env\b/.test(root.getText())) return " (read at run time)";
  while (Node.isPropertyAccessExpression(root) || Node.isCallExpression(root) || Node.isElementAccessExpression(root)) root = unwrap(root.getExpression());
  if (!Node.isIdentifier(root)) return "";
  const resolved = resolveName(root);
  if (resolved.external) return ` (imported from "${resolved.external.module}")`;
  if (resolved.declaration && Node.isParameterDeclaration(resolved.declaration)) return " (a function parameter)";
  return "";
}

/** How a value is named in a message: `` `BASE` `` or "the template literal `${BASE}/x`". */
export function describeValue(node: Node): string {
  if (Node.isTemplateExpression(node)) return `the template literal ${shortText(node.getText(), 60)}`;
  return `\`${shortText(node.getText(), 60)}\``;
}
