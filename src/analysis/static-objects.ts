import { Node, SyntaxKind, VariableDeclarationKind } from "ts-morph";
import { resolveName } from "./ts/symbols.js";
import { staticPropertyName, unwrap } from "./ts/syntax.js";

/**
 * Constants and object literals read through the program: a name is followed
 * to the `const` it names, in the same file or, through imports and
 * re-exports, in any repository file. Nothing is evaluated beyond that; a value
 * from outside the repository or computed at run time stays unread.
 */

const MAX_HOPS = 12;

/** The `const` declaration an identifier (or `ns.x` of a repository module) names, when it has an initialiser. */
export function constDeclarationOf(expr: Node): Node | undefined {
  const node = unwrap(expr);
  if (!Node.isIdentifier(node) && !Node.isPropertyAccessExpression(node)) return undefined;
  const declaration = resolveName(node).declaration;
  if (!declaration || !Node.isVariableDeclaration(declaration) || !declaration.getInitializer()) return undefined;
  if (!Node.isIdentifier(declaration.getNameNode())) return undefined;
  return declaration.getVariableStatement()?.getDeclarationKind() === VariableDeclarationKind.Const ? declaration : undefined;
}

/**
 * The expression a value is written as: identifiers are followed to the
 * initialisers of the constants they name (`as const`, `satisfies`,
 * parentheses looked through). Stops at anything else.
 */
export function followConst(expr: Node): Node {
  let current = unwrap(expr);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const declaration = constDeclarationOf(current);
    const init = declaration && Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
    if (!init) return current;
    current = unwrap(init);
  }
  return current;
}

/** The string a value is, when it is a literal or a constant holding one (also `OBJ.key` of a constant object). */
export function stringValue(expr: Node | undefined, depth = 0): string | undefined {
  if (!expr || depth > MAX_HOPS) return undefined;
  const node = followConst(expr);
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralText();
  if (Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node)) {
    const key = Node.isPropertyAccessExpression(node) ? node.getName() : stringValue(node.getArgumentExpression(), depth + 1);
    if (key === undefined) return undefined;
    const member = memberOf(node.getExpression(), key);
    return member.kind === "present" ? stringValue(member.value, depth + 1) : undefined;
  }
  return undefined;
}

/** An entry of an object literal, read statically. */
export interface ObjectMember {
  key: string;
  /** The property (for positions). */
  property: Node;
  /** The value expression; the name node for a shorthand `{ a }`, the method for `a() {}`. */
  value: Node;
}

export interface ObjectMembers {
  /** Entries in source order, spreads of constant objects expanded in place (later entries win). */
  members: ObjectMember[];
  /** Spreads and computed keys that could not be read, as written. */
  unread: Node[];
}

/**
 * The entries of an object-literal value, following constants and spreads of
 * constant objects into other repository files; a computed key is read when
 * it is a constant string (`[EVENT_NAMES.X]`).
 */
export function objectMembers(expr: Node, depth = 0): ObjectMembers | undefined {
  const node = followConst(expr);
  if (!Node.isObjectLiteralExpression(node) || depth > MAX_HOPS) return undefined;
  const out: ObjectMembers = { members: [], unread: [] };
  for (const prop of node.getProperties()) {
    if (Node.isSpreadAssignment(prop)) {
      const inner = objectMembers(prop.getExpression(), depth + 1);
      if (inner) {
        out.members.push(...inner.members);
        out.unread.push(...inner.unread);
      } else out.unread.push(prop);
      continue;
    }
    const key = memberKey(prop);
    const value = Node.isPropertyAssignment(prop) ? prop.getInitializer() : Node.isShorthandPropertyAssignment(prop) ? prop.getNameNode() : prop;
    if (key === undefined || !value) out.unread.push(prop);
    else out.members.push({ key, property: prop, value });
  }
  return out;
}

/** The static key of an object-literal member: a literal name, or a computed name that is a constant string. */
export function memberKey(prop: Node): string | undefined {
  if (!Node.isPropertyAssignment(prop) && !Node.isShorthandPropertyAssignment(prop) && !Node.isMethodDeclaration(prop)) return undefined;
  const name = prop.getNameNode();
  const literal = staticPropertyName(name);
  if (literal !== undefined) return literal;
  return Node.isComputedPropertyName(name) ? stringValue(name.getExpression()) : undefined;
}

export type Member =
  | { kind: "present"; value: Node; property: Node }
  | { kind: "missing" }
  /** A spread or computed key that could be it. */
  | { kind: "unread"; node: Node };

/** One member of an object value (later entries win; an unread spread after the last match leaves it open). */
export function memberOf(expr: Node, key: string): Member {
  const members = objectMembers(expr);
  if (!members) return { kind: "missing" };
  const found = members.members.filter((m) => m.key === key).pop();
  if (found) return { kind: "present", value: found.value, property: found.property };
  const unread = members.unread[0];
  return unread ? { kind: "unread", node: unread } : { kind: "missing" };
}

/**
 * Whether a value is a function: an arrow or function expression, a function
 * declaration, a constant holding one, or the result of a repository function
 * that returns one (`export const x = defineFragment((shared) => …)` where
 * `defineFragment` returns its argument or an arrow).
 */
export function isFunctionValue(expr: Node | undefined, depth = 0): boolean {
  if (!expr || depth > 4) return false;
  const node = followConst(expr);
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isFunctionDeclaration(node)) return true;
  if (Node.isIdentifier(node) || Node.isPropertyAccessExpression(node)) {
    const declaration = resolveName(node).declaration;
    return declaration !== undefined && (Node.isFunctionDeclaration(declaration) || Node.isMethodDeclaration(declaration));
  }
  if (Node.isCallExpression(node)) {
    const callee = resolveName(unwrap(node.getExpression())).declaration;
    const fn = callee && Node.isVariableDeclaration(callee) ? callee.getInitializer() : callee;
    if (!fn || !(Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) return false;
    const body = fn.getBody();
    if (!body) return false;
    const args = node.getArguments();
    // A value returned is a function, or the parameter the call hands a function to (`(fn) => fn`).
    const returnsFunction = (value: Node | undefined): boolean => {
      if (!value) return false;
      if (isFunctionValue(value, depth + 1)) return true;
      const returned = unwrap(value);
      const param = Node.isIdentifier(returned) ? resolveName(returned).declaration : undefined;
      if (!param || !Node.isParameterDeclaration(param) || param.getParent() !== fn) return false;
      return isFunctionValue(args[fn.getParameters().indexOf(param)], depth + 1);
    };
    if (!Node.isBlock(body)) return returnsFunction(body);
    const returns = body.getDescendantsOfKind(SyntaxKind.ReturnStatement).filter((r) => r.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a)) === fn);
    return returns.length > 0 && returns.every((r) => returnsFunction(r.getExpression()));
  }
  return false;
}

/**
 * The values a call of a repository function returns, as written in its body
 * (`(s) => [s.db]`, `return { … }`); undefined when the callee is not a
 * function declared in the repository. Parameters are not substituted.
 */
export function returnedValues(call: Node): Node[] | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const callee = resolveName(unwrap(call.getExpression())).declaration;
  const fn = callee && Node.isVariableDeclaration(callee) ? callee.getInitializer() : callee;
  if (!fn || !(Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) || Node.isMethodDeclaration(fn))) return undefined;
  const body = fn.getBody();
  if (!body) return undefined;
  if (!Node.isBlock(body)) return [body];
  return body
    .getDescendantsOfKind(SyntaxKind.ReturnStatement)
    .filter((r) => r.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a)) === fn)
    .flatMap((r) => r.getExpression() ?? []);
}
