import { Node } from "ts-morph";
import { resolveName } from "./symbols.js";
import { returnedExpressions, staticPropertyName, unwrap } from "./syntax.js";
import { evaluateString, functionOf, objectLiteralOf, valueOf } from "./values.js";

/**
 * What the event and infra analyses read from values, on top of the shared
 * evaluator (src/analysis/ts/values.ts): the expression a value is written as,
 * an object's entries with their positions and what hides keys, and whether a
 * value is a function.
 */

const MAX_HOPS = 12;

/**
 * The expression a value is written as: constants (here or, through imports,
 * in another repository file) and members of constant objects are followed;
 * stops at anything else and returns it.
 */
export function followConst(expr: Node): Node {
  let current = unwrap(expr);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const next = valueOf(current);
    if (!next || next === current) return current;
    current = next;
  }
  return current;
}

/** The string a value statically is (literals, constants, `OBJ.key`, templates of those), or undefined. */
export function stringValue(expr: Node | undefined): string | undefined {
  if (!expr) return undefined;
  const result = evaluateString(expr);
  return "value" in result ? result.value : undefined;
}

/** An entry of an object literal, read statically. */
export interface ObjectEntry {
  key: string;
  /** The property (for positions). */
  property: Node;
  /** The value expression; the name node for a shorthand `{ a }`, the method for `a() {}`. */
  value: Node;
}

export interface ObjectEntries {
  /** Entries in source order, spreads of readable objects expanded in place (a later entry wins). */
  entries: ObjectEntry[];
  /** Spreads and computed keys that could not be read, as written. */
  unread: Node[];
}

/**
 * The entries of an object value with the property each comes from, following
 * constants and spreads into other repository files; a computed key counts
 * when it is a constant string (`[EVENT_NAMES.X]`). Undefined when the value
 * is not an object literal this check can see.
 */
export function objectEntries(expr: Node, depth = 0): ObjectEntries | undefined {
  const node = objectLiteralOf(expr);
  if (!node || depth > MAX_HOPS) return undefined;
  const out: ObjectEntries = { entries: [], unread: [] };
  for (const prop of node.getProperties()) {
    if (Node.isSpreadAssignment(prop)) {
      const inner = objectEntries(prop.getExpression(), depth + 1);
      if (inner) {
        out.entries.push(...inner.entries);
        out.unread.push(...inner.unread);
      } else out.unread.push(prop);
      continue;
    }
    const key = memberKey(prop);
    const value = Node.isPropertyAssignment(prop) ? prop.getInitializer() : Node.isShorthandPropertyAssignment(prop) ? prop.getNameNode() : prop;
    if (key === undefined || !value) out.unread.push(prop);
    else out.entries.push({ key, property: prop, value });
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
  if (!Node.isCallExpression(node)) return false;
  const fn = functionOf(node.getExpression());
  const returned = returnedValues(node);
  if (!fn || !returned || returned.length === 0) return false;
  const args = node.getArguments();
  // A value returned is a function, or the parameter the call hands a function to (`(fn) => fn`).
  return returned.every((value) => {
    if (isFunctionValue(value, depth + 1)) return true;
    const param = resolveName(unwrap(value)).declaration;
    if (!param || !Node.isParameterDeclaration(param) || param.getParent() !== fn) return false;
    return isFunctionValue(args[fn.getParameters().indexOf(param)], depth + 1);
  });
}

/**
 * The values a call of a repository function returns, as written in its body
 * (`(s) => [s.db]`, `return { … }`); undefined when the callee is not a
 * function declared in the repository. Parameters are not substituted.
 */
export function returnedValues(call: Node): Node[] | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const fn = functionOf(call.getExpression());
  return fn?.getBody() ? returnedExpressions(fn) : undefined;
}
