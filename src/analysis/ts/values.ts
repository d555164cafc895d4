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

/**
 * What a caller knows that the code alone does not: the expression a
 * parameter (or destructured binding) received in the call being followed.
 * Returns undefined for declarations it does not bind.
 */
export type Substitution = (declaration: Node) => Node | undefined;

const NO_SUBSTITUTION: Substitution = () => undefined;

const MAX_DEPTH = 12;

/** A string known without running the code. */
export function evaluateString(expr: Node, subst: Substitution = NO_SUBSTITUTION, depth = 0): StaticString {
  const node = unwrap(expr);
  const fail = (cause: Node = node): StaticString => ({ undecidable: undecidableAt(node, describeValue(node) + originOf(cause, subst)) });
  if (depth > MAX_DEPTH) return fail();
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return { value: node.getLiteralText() };
  if (Node.isNumericLiteral(node)) return { value: String(node.getLiteralValue()) };
  if (Node.isTemplateExpression(node)) {
    let out = node.getHead().getLiteralText();
    for (const span of node.getTemplateSpans()) {
      const part = evaluateString(span.getExpression(), subst, depth + 1);
      if (!("value" in part)) return fail(span.getExpression());
      out += part.value + span.getLiteral().getLiteralText();
    }
    return { value: out };
  }
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.PlusToken) {
    const left = evaluateString(node.getLeft(), subst, depth + 1);
    if (!("value" in left)) return fail(node.getLeft());
    const right = evaluateString(node.getRight(), subst, depth + 1);
    return "value" in right ? { value: left.value + right.value } : fail(node.getRight());
  }
  if (Node.isIdentifier(node) || Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node)) {
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
export function valueOf(expr: Node, subst: Substitution = NO_SUBSTITUTION): Node | undefined {
  const node = unwrap(expr);
  if (Node.isElementAccessExpression(node) || Node.isPropertyAccessExpression(node)) {
    // A member of an object the evaluator can read (also one a caller passed in).
    const key = Node.isPropertyAccessExpression(node) ? { value: node.getName() } : node.getArgumentExpression() ? evaluateString(node.getArgumentExpression()!, subst) : undefined;
    const obj = objectLiteralOf(node.getExpression(), subst);
    if (obj && key && "value" in key) {
      const member = objectMembers(obj, [], subst).get(key.value);
      return member && "node" in member ? unwrap(member.node) : undefined;
    }
    if (Node.isElementAccessExpression(node)) return undefined;
  }
  const decl = resolveName(node).declaration;
  if (!decl) return undefined;
  const substituted = subst(decl);
  if (substituted) return unwrap(substituted);
  if (Node.isVariableDeclaration(decl)) {
    const init = decl.getInitializer();
    return init && decl.getVariableStatement()?.getDeclarationKind() === VariableDeclarationKind.Const ? unwrap(init) : undefined;
  }
  if (Node.isPropertyAssignment(decl)) {
    const init = decl.getInitializer();
    return init ? unwrap(init) : undefined;
  }
  if (Node.isShorthandPropertyAssignment(decl)) return valueOf(decl.getNameNode(), subst);
  if (Node.isEnumMember(decl)) return decl.getInitializer();
  if (Node.isExportAssignment(decl)) return unwrap(decl.getExpression());
  return undefined;
}

/** The object literal an expression is written as, following constants across files. */
export function objectLiteralOf(expr: Node, subst: Substitution = NO_SUBSTITUTION, depth = 0): ObjectLiteralExpression | undefined {
  const node = unwrap(expr);
  if (Node.isObjectLiteralExpression(node)) return node;
  if (depth > MAX_DEPTH) return undefined;
  const value = Node.isIdentifier(node) || Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node) ? valueOf(node, subst) : undefined;
  return value ? objectLiteralOf(value, subst, depth + 1) : undefined;
}

export type Member = { node: Node } | { undecidable: Undecidable };

/**
 * The members of an object literal by static name, following spreads of
 * objects the evaluator can read. A spread it cannot read makes every key the
 * object does not set itself undecidable (`keysFromSpread`), naming the spread.
 */
export function objectMembers(obj: ObjectLiteralExpression, keysFromSpread: readonly string[] = [], subst: Substitution = NO_SUBSTITUTION, depth = 0): Map<string, Member> {
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
      const source = depth < MAX_DEPTH ? objectLiteralOf(prop.getExpression(), subst) : undefined;
      if (source) for (const [k, v] of objectMembers(source, keysFromSpread, subst, depth + 1)) out.set(k, v);
      else unreadSpread ??= undecidableAt(prop, `the spread \`${shortText(prop.getText(), 60)}\`${originOf(prop.getExpression(), subst)}`);
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
export function originOf(expr: Node, subst: Substitution = NO_SUBSTITUTION, depth = 0): string {
  let root = unwrap(expr);
  if (Node.isPropertyAccessExpression(root) && /^process\.env\b/.test(root.getText())) return " (read at run time)";
  while (Node.isPropertyAccessExpression(root) || Node.isCallExpression(root) || Node.isElementAccessExpression(root)) root = unwrap(root.getExpression());
  if (!Node.isIdentifier(root)) return "";
  const resolved = resolveName(root);
  if (resolved.external) return ` (imported from "${resolved.external.module}")`;
  const substituted = resolved.declaration && depth < MAX_DEPTH ? subst(resolved.declaration) : undefined;
  if (substituted) return originOf(substituted, subst, depth + 1);
  if (resolved.declaration && (Node.isParameterDeclaration(resolved.declaration) || Node.isBindingElement(resolved.declaration))) return " (a function parameter)";
  return "";
}

/** How a value is named in a message: `` `BASE` `` or "the template literal `${BASE}/x`". */
export function describeValue(node: Node): string {
  if (Node.isTemplateExpression(node)) return `the template literal ${shortText(node.getText(), 60)}`;
  return `\`${shortText(node.getText(), 60)}\``;
}

/**
 * The substitution for one call of `fn`: each parameter stands for the
 * argument written at the call; a destructured parameter's names stand for
 * the members of an object argument the evaluator can read. Declarations the
 * call does not bind are left to `outer`.
 */
export function bindArguments(fn: FunctionLike, args: readonly Node[], outer: Substitution = NO_SUBSTITUTION): Substitution {
  const bound = new Map<Node, Node>();
  fn.getParameters().forEach((param, i) => {
    const arg = args[i] ?? param.getInitializer();
    if (!arg) return;
    const name = param.getNameNode();
    if (Node.isIdentifier(name)) bound.set(param, arg);
    else if (Node.isObjectBindingPattern(name)) {
      const obj = objectLiteralOf(arg, outer);
      const members = obj ? objectMembers(obj, [], outer) : undefined;
      for (const element of name.getElements()) {
        if (element.getDotDotDotToken()) {
          bound.set(element, arg);
          continue;
        }
        const key = element.getPropertyNameNode()?.getText() ?? element.getName();
        const member = members?.get(key);
        const value = member && "node" in member ? member.node : element.getInitializer();
        if (value) bound.set(element, value);
      }
    }
  });
  return (decl) => bound.get(decl) ?? outer(decl);
}
