import ts from "typescript";
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
export function followConst(expr: ts.Node): ts.Node {
  let current = unwrap(expr);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const next = valueOf(current);
    if (!next || next === current) return current;
    current = next;
  }
  return current;
}

/** The string a value statically is (literals, constants, `OBJ.key`, templates of those), or undefined. */
export function stringValue(expr: ts.Node | undefined): string | undefined {
  if (!expr) return undefined;
  const result = evaluateString(expr);
  return "value" in result ? result.value : undefined;
}

/** An entry of an object literal, read statically. */
export interface ObjectEntry {
  key: string;
  /** The property (for positions). */
  property: ts.Node;
  /** The value expression; the name node for a shorthand `{ a }`, the method for `a() {}`. */
  value: ts.Node;
}

export interface ObjectEntries {
  /** Entries in source order, spreads of readable objects expanded in place (a later entry wins). */
  entries: ObjectEntry[];
  /** Spreads and computed keys that could not be read, as written. */
  unread: ts.Node[];
}

/**
 * The entries of an object value with the property each comes from, following
 * constants and spreads into other repository files; a computed key counts
 * when it is a constant string (`[EVENT_NAMES.X]`). Undefined when the value
 * is not an object literal this check can see.
 */
export function objectEntries(expr: ts.Node, depth = 0): ObjectEntries | undefined {
  const node = objectLiteralOf(expr);
  if (!node || depth > MAX_HOPS) return undefined;
  const out: ObjectEntries = { entries: [], unread: [] };
  for (const prop of node.properties) {
    if (ts.isSpreadAssignment(prop)) {
      const inner = objectEntries(prop.expression, depth + 1);
      if (inner) {
        out.entries.push(...inner.entries);
        out.unread.push(...inner.unread);
      } else out.unread.push(prop);
      continue;
    }
    const key = memberKey(prop);
    const value = ts.isPropertyAssignment(prop) ? prop.initializer : ts.isShorthandPropertyAssignment(prop) ? prop.name : prop;
    if (key === undefined || !value) out.unread.push(prop);
    else out.entries.push({ key, property: prop, value });
  }
  return out;
}

/** The static key of an object-literal member: a literal name, or a computed name that is a constant string. */
export function memberKey(prop: ts.Node): string | undefined {
  if (!ts.isPropertyAssignment(prop) && !ts.isShorthandPropertyAssignment(prop) && !ts.isMethodDeclaration(prop)) return undefined;
  const name = prop.name;
  const literal = staticPropertyName(name);
  if (literal !== undefined) return literal;
  return ts.isComputedPropertyName(name) ? stringValue(name.expression) : undefined;
}

/**
 * Whether a value is a function: an arrow or function expression, a function
 * declaration, a constant holding one, or the result of a repository function
 * that returns one (`export const x = defineFragment((shared) => …)` where
 * `defineFragment` returns its argument or an arrow).
 */
export function isFunctionValue(expr: ts.Node | undefined, depth = 0): boolean {
  if (!expr || depth > 4) return false;
  const node = followConst(expr);
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node)) return true;
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
    const declaration = resolveName(node).declaration;
    return declaration !== undefined && (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration));
  }
  if (!ts.isCallExpression(node)) return false;
  const fn = functionOf(node.expression);
  const returned = returnedValues(node);
  if (!fn || !returned || returned.length === 0) return false;
  const args = node.arguments;
  // A value returned is a function, or the parameter the call hands a function to (`(fn) => fn`).
  return returned.every((value) => {
    if (isFunctionValue(value, depth + 1)) return true;
    const param = resolveName(unwrap(value)).declaration;
    if (!param || !ts.isParameter(param) || param.parent !== fn) return false;
    return isFunctionValue(args[fn.parameters.indexOf(param)], depth + 1);
  });
}

/**
 * The values a call of a repository function returns, as written in its body
 * (`(s) => [s.db]`, `return { … }`); undefined when the callee is not a
 * function declared in the repository. Parameters are not substituted.
 */
export function returnedValues(call: ts.Node): ts.Node[] | undefined {
  if (!ts.isCallExpression(call)) return undefined;
  const fn = functionOf(call.expression);
  return fn?.body ? returnedExpressions(fn) : undefined;
}
