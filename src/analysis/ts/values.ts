import ts from "typescript";
import { undecidableAt, type Undecidable } from "./location.js";
import { resolveName } from "./symbols.js";
import { isConstDeclaration, isFunctionLike, shortText, staticPropertyName, unwrap, type FunctionLike } from "./syntax.js";

/**
 * A small evaluator for the values the rules read (paths, methods, route
 * configs): literals, templates, `+`, constants, object members and enum
 * members, followed through the compiler's symbols into any file of the
 * program. It never runs code: a value from a parameter, from outside the
 * repository or from run time is undecidable, and names what it is.
 */

export type StaticString = { value: string } | { undecidable: Undecidable };

/**
 * What a caller knows that the code alone does not: the expression a
 * parameter (or destructured binding) received in the call being followed.
 * Returns undefined for declarations it does not bind.
 */
export type Substitution = (declaration: ts.Node) => ts.Node | undefined;

const NO_SUBSTITUTION: Substitution = () => undefined;

const MAX_DEPTH = 12;

/** A string known without running the code. */
export function evaluateString(expr: ts.Node, subst: Substitution = NO_SUBSTITUTION, depth = 0): StaticString {
  const node = unwrap(expr);
  const fail = (cause: ts.Node = node): StaticString => ({ undecidable: undecidableAt(node, describeValue(node) + originOf(cause, subst)) });
  if (depth > MAX_DEPTH) return fail();
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { value: node.text };
  if (ts.isNumericLiteral(node)) return { value: String(Number(node.text)) };
  if (ts.isTemplateExpression(node)) {
    let out = node.head.text;
    for (const span of node.templateSpans) {
      const part = evaluateString(span.expression, subst, depth + 1);
      if (!("value" in part)) return fail(span.expression);
      out += part.value + span.literal.text;
    }
    return { value: out };
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = evaluateString(node.left, subst, depth + 1);
    if (!("value" in left)) return fail(node.left);
    const right = evaluateString(node.right, subst, depth + 1);
    return "value" in right ? { value: left.value + right.value } : fail(node.right);
  }
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    const value = valueOf(node, subst);
    if (value) {
      const inner = evaluateString(value, subst, depth + 1);
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
export function valueOf(expr: ts.Node, subst: Substitution = NO_SUBSTITUTION): ts.Node | undefined {
  const node = unwrap(expr);
  if (ts.isElementAccessExpression(node) || ts.isPropertyAccessExpression(node)) {
    // A member of an object the evaluator can read (also one a caller passed in).
    const key = ts.isPropertyAccessExpression(node) ? { value: node.name.text } : evaluateString(node.argumentExpression, subst);
    const obj = objectLiteralOf(node.expression, subst);
    if (obj && "value" in key) {
      const member = objectMembers(obj, [], subst).get(key.value);
      return member && "node" in member ? unwrap(member.node) : undefined;
    }
    if (ts.isElementAccessExpression(node)) return undefined;
  }
  const decl = resolveName(node).declaration;
  if (!decl) return undefined;
  const substituted = subst(decl);
  if (substituted) return unwrap(substituted);
  if (ts.isVariableDeclaration(decl)) {
    const init = decl.initializer;
    return init && ts.isVariableStatement(decl.parent.parent) && isConstDeclaration(decl) ? unwrap(init) : undefined;
  }
  if (ts.isPropertyAssignment(decl)) return unwrap(decl.initializer);
  if (ts.isShorthandPropertyAssignment(decl)) return valueOf(decl.name, subst);
  if (ts.isEnumMember(decl)) return decl.initializer;
  if (ts.isExportAssignment(decl)) return unwrap(decl.expression);
  return undefined;
}

/** The object literal an expression is written as, following constants across files. */
export function objectLiteralOf(expr: ts.Node, subst: Substitution = NO_SUBSTITUTION, depth = 0): ts.ObjectLiteralExpression | undefined {
  const node = unwrap(expr);
  if (ts.isObjectLiteralExpression(node)) return node;
  if (depth > MAX_DEPTH) return undefined;
  const value = ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ? valueOf(node, subst) : undefined;
  return value ? objectLiteralOf(value, subst, depth + 1) : undefined;
}

export type Member = { node: ts.Node } | { undecidable: Undecidable };

/**
 * The members of an object literal by static name, following spreads of
 * objects the evaluator can read. A spread it cannot read makes every key the
 * object does not set itself undecidable (`keysFromSpread`), naming the spread.
 */
export function objectMembers(obj: ts.ObjectLiteralExpression, keysFromSpread: readonly string[] = [], subst: Substitution = NO_SUBSTITUTION, depth = 0): Map<string, Member> {
  const out = new Map<string, Member>();
  let unreadSpread: Undecidable | undefined;
  for (const prop of obj.properties) {
    if (ts.isPropertyAssignment(prop)) {
      const name = staticPropertyName(prop.name);
      if (name !== undefined) out.set(name, { node: prop.initializer });
    } else if (ts.isShorthandPropertyAssignment(prop)) {
      out.set(prop.name.text, { node: prop.name });
    } else if (ts.isMethodDeclaration(prop)) {
      const name = staticPropertyName(prop.name);
      if (name !== undefined) out.set(name, { node: prop });
    } else if (ts.isSpreadAssignment(prop)) {
      const source = depth < MAX_DEPTH ? objectLiteralOf(prop.expression, subst) : undefined;
      if (source) for (const [k, v] of objectMembers(source, keysFromSpread, subst, depth + 1)) out.set(k, v);
      else unreadSpread ??= undecidableAt(prop, `the spread \`${shortText(prop.getText(), 60)}\`${originOf(prop.expression, subst)}`);
    }
  }
  if (unreadSpread) for (const key of keysFromSpread) if (!out.has(key)) out.set(key, { undecidable: unreadSpread });
  return out;
}

/** The function a callee names (`f`, `ns.f`, `obj.method`, `this.method`), when it is declared in the program. */
export function functionOf(callee: ts.Node): FunctionLike | undefined {
  const node = unwrap(callee);
  if (isFunctionLike(node)) return node;
  const decl = ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) ? resolveName(node).declaration : undefined;
  if (!decl) return undefined;
  if (isFunctionLike(decl)) return decl;
  const value = ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl) ? decl.initializer : undefined;
  const fn = value ? unwrap(value) : undefined;
  return fn && isFunctionLike(fn) ? fn : undefined;
}

/**
 * Where an unreadable value comes from, for messages: ` (imported from "pkg")`,
 * ` (a function parameter)`, ` (read at run time)`; empty when nothing more
 * specific can be said.
 */
export function originOf(expr: ts.Node, subst: Substitution = NO_SUBSTITUTION, depth = 0): string {
  let root = unwrap(expr);
  if (ts.isPropertyAccessExpression(root) && /^process\.env\b/.test(root.getText())) return " (read at run time)";
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root) || ts.isElementAccessExpression(root)) root = unwrap(root.expression);
  if (!ts.isIdentifier(root)) return "";
  const resolved = resolveName(root);
  if (resolved.external) return ` (imported from "${resolved.external.module}")`;
  const substituted = resolved.declaration && depth < MAX_DEPTH ? subst(resolved.declaration) : undefined;
  if (substituted) return originOf(substituted, subst, depth + 1);
  if (resolved.declaration && (ts.isParameter(resolved.declaration) || ts.isBindingElement(resolved.declaration))) return " (a function parameter)";
  return "";
}

/** How a value is named in a message: `` `BASE` `` or "the template literal `${BASE}/x`". */
export function describeValue(node: ts.Node): string {
  if (ts.isTemplateExpression(node)) return `the template literal ${shortText(node.getText(), 60)}`;
  return `\`${shortText(node.getText(), 60)}\``;
}

/**
 * The substitution for one call of `fn`: each parameter stands for the
 * argument written at the call; a destructured parameter's names stand for
 * the members of an object argument the evaluator can read. Declarations the
 * call does not bind are left to `outer`.
 */
export function bindArguments(fn: FunctionLike, args: readonly ts.Node[], outer: Substitution = NO_SUBSTITUTION): Substitution {
  const bound = new Map<ts.Node, ts.Node>();
  fn.parameters.forEach((param, i) => {
    const arg = args[i] ?? param.initializer;
    if (!arg) return;
    const name = param.name;
    if (ts.isIdentifier(name)) bound.set(param, arg);
    else if (ts.isObjectBindingPattern(name)) {
      const obj = objectLiteralOf(arg, outer);
      const members = obj ? objectMembers(obj, [], outer) : undefined;
      for (const element of name.elements) {
        if (element.dotDotDotToken) {
          bound.set(element, arg);
          continue;
        }
        const key = element.propertyName?.getText() ?? element.name.getText();
        const member = members?.get(key);
        const value = member && "node" in member ? member.node : element.initializer;
        if (value) bound.set(element, value);
      }
    }
  });
  return (decl) => bound.get(decl) ?? outer(decl);
}
