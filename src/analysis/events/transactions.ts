import ts from "typescript";
import { locationOf, nodePosition, repoPathOf } from "../ts/location.js";
import { resolveName } from "../ts/symbols.js";
import { constructText, isConstDeclaration, isFunctionLike, isNothing, unwrap } from "../ts/syntax.js";
import { objectEntries } from "../ts/static-objects.js";
import { functionOf } from "../ts/values.js";
import { forEachDescendant } from "../ts/walk.js";
import { callbackOf, functionName, type ServiceCalls } from "./callers.js";

/**
 * Whether a value is the transaction an enclosing `….transaction(async (tx) => …)`
 * callback received (the transactional outbox, guide step 3): the callback's
 * first parameter under any name, a constant holding it, or the parameter of a
 * function every caller in the service hands one to.
 */
export type TxVerdict =
  | { kind: "transaction" }
  /** `undefined`, `void 0`, `null`: no transaction at all. */
  | { kind: "empty" }
  /** Something else; `origin` says what, for the message. */
  | { kind: "notTransaction"; origin: string }
  /** A value whose source this check cannot follow (run time, or a caller it cannot see); `reason` names it. */
  | { kind: "undecidable"; reason: string };

const MAX_DEPTH = 6;

/** What `value` (the `tx` passed to publishEvent) is; see {@link TxVerdict}. */
export function transactionVerdict(value: ts.Node, calls: ServiceCalls, depth = 0, seen = new Set<ts.Node>()): TxVerdict {
  const node = unwrap(value);
  if (isNothing(node)) return { kind: "empty" };
  if (depth > MAX_DEPTH) return { kind: "undecidable", reason: `it is passed through more than ${MAX_DEPTH} functions` };
  if (ts.isConditionalExpression(node)) {
    return worst([transactionVerdict(node.whenTrue, calls, depth + 1, seen), transactionVerdict(node.whenFalse, calls, depth + 1, seen)]);
  }
  // `options.tx`, where options is a helper's parameter: each caller's `{ tx: … }`.
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && ts.isIdentifier(node.name)) {
    const options = resolveName(node.expression).declaration;
    if (options && ts.isParameter(options) && ts.isIdentifier(options.name)) return parameterVerdict(options, node, calls, depth, seen, node.name.text);
  }
  if (!ts.isIdentifier(node)) {
    return { kind: "undecidable", reason: `it is \`${constructText(node, 50)}\`, a value computed at run time` };
  }

  const name = node.text;
  const resolution = resolveName(node);
  const declaration = resolution.declaration;
  if (resolution.imports.length > 0) return { kind: "notTransaction", origin: `it is \`${name}\`, imported at ${where(resolution.imports[0]!.node, node)}` };
  if (!declaration) return { kind: "undecidable", reason: `\`${name}\` is not declared in the repository` };

  if (ts.isParameter(declaration)) return parameterVerdict(declaration, node, calls, depth, seen);
  // `{ tx }: { tx: Tx }` destructured from a helper's parameter: each caller's `{ tx: … }`.
  if (ts.isBindingElement(declaration) && !declaration.dotDotDotToken && ts.isObjectBindingPattern(declaration.parent) && ts.isParameter(declaration.parent.parent)) {
    const key = declaration.propertyName ?? declaration.name;
    if (ts.isIdentifier(key)) return parameterVerdict(declaration.parent.parent, node, calls, depth, seen, key.text);
  }
  if (ts.isVariableDeclaration(declaration)) {
    // Only a `const` statement fixes the value (`for (const x of …)` and `catch (x)` do not).
    const isConst = ts.isVariableStatement(declaration.parent.parent) && isConstDeclaration(declaration);
    const init = declaration.initializer;
    if (isConst && init && ts.isIdentifier(unwrap(init))) return transactionVerdict(init, calls, depth + 1, seen);
    if (!isConst) return { kind: "undecidable", reason: `it is the variable \`${name}\`, assigned at run time` };
  }
  return { kind: "notTransaction", origin: `it is \`${name}\`, declared at ${where(declaration, node)}` };
}

/**
 * What a helper's parameter is, from what every caller in the service passes;
 * with `key`, the member `key` of the options object each caller passes
 * (`emit(id, { tx })` reaching `options.tx` or `{ tx }: Options`).
 */
function parameterVerdict(parameter: ts.ParameterDeclaration, use: ts.Node, calls: ServiceCalls, depth: number, seen: Set<ts.Node>, key?: string): TxVerdict {
  const name = ts.isIdentifier(parameter.name) ? parameter.name.text : parameter.name.getText();
  const fn = parameter.parent;
  if (!isFunctionLike(fn)) return { kind: "undecidable", reason: `it is the parameter \`${name}\`` };
  const index = fn.parameters.indexOf(parameter);
  if (!ts.isIdentifier(parameter.name) && key === undefined) return { kind: "undecidable", reason: `it is destructured from a parameter` };

  const callee = callbackOf(fn);
  if (callee) {
    if (index === 0 && key === undefined && runsInTransaction(callee, fn, 0)) return { kind: "transaction" };
    return { kind: "notTransaction", origin: `it is the parameter \`${name}\` of a callback that is not a transaction's` };
  }

  const fnName = functionName(fn);
  if (fnName === undefined) return { kind: "undecidable", reason: `it is the parameter \`${name}\` of a function this check cannot name` };
  if (seen.has(parameter)) return { kind: "transaction" }; // a recursive call adds nothing new
  seen.add(parameter);
  const sites = calls.callsOf(fn);
  // `db.transaction(persist)`: the function is the transaction's callback.
  const handed = index === 0 && key === undefined ? calls.handedTo(fn) : [];
  if (handed.length > 0 && sites.length === 0 && handed.every(({ call, argument }) => runsInTransaction(call, argument, 0))) return { kind: "transaction" };
  if (sites.length === 0) {
    return { kind: "undecidable", reason: `it is the parameter \`${name}\` of \`${fnName}\`, and nothing in the service calls \`${fnName}\`` };
  }
  const verdicts: TxVerdict[] = [];
  for (const site of sites) {
    const arg = site.arguments[index];
    if (!arg || ts.isSpreadElement(arg)) {
      if (!arg) return { kind: "notTransaction", origin: `\`${fnName}\` receives nothing at ${where(site, use)}` };
      verdicts.push({ kind: "undecidable", reason: `\`${fnName}\` receives \`${constructText(arg, 50)}\` at ${where(arg, use)}` });
      continue;
    }
    const value = key === undefined ? arg : memberValue(arg, key);
    if (!value) {
      verdicts.push({ kind: "undecidable", reason: `\`${fnName}\` receives \`${constructText(arg, 50)}\` at ${where(arg, use)}` });
      continue;
    }
    const verdict = value === "absent" ? ({ kind: "empty" } as const) : transactionVerdict(value, calls, depth + 1, seen);
    if (verdict.kind === "notTransaction" || verdict.kind === "empty") {
      return { kind: "notTransaction", origin: `\`${fnName}\` receives \`${constructText(arg, 50)}\` at ${locationText(arg)}` };
    }
    verdicts.push(verdict);
  }
  return worst(verdicts);
}

/** The member `key` of an options object a caller passes; "absent" when the literal has no such member, undefined when it cannot be read. */
function memberValue(arg: ts.Node, key: string): ts.Node | "absent" | undefined {
  const members = objectEntries(arg);
  if (!members) return undefined;
  const entry = members.entries.filter((m) => m.key === key).pop();
  if (entry) return entry.value;
  return members.unread.length > 0 ? undefined : "absent";
}

/** `x.transaction(cb)`: Drizzle's transaction (and nested savepoints on a transaction). */
function isTransactionCall(call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === "transaction";
}

/**
 * Whether the call runs the callback `fn` (one of its arguments) in a
 * transaction: `db.transaction(fn)`, or a repository wrapper that hands the
 * callback on to one (`withTransaction(work) { return db.transaction(work) }`,
 * `db.transaction((tx) => work(tx))`). A wrapper that calls it with anything
 * else (`work(db)`) does not.
 */
function runsInTransaction(call: ts.CallExpression, fn: ts.Node, depth: number): boolean {
  if (isTransactionCall(call)) return true;
  const wrapper = depth < 3 ? functionOf(call.expression) : undefined;
  const index = call.arguments.findIndex((arg) => unwrap(arg) === fn);
  const parameter = wrapper?.parameters[index];
  if (!wrapper?.body || !parameter || !ts.isIdentifier(parameter.name)) return false;
  const isParameter = (node: ts.Node | undefined) => node !== undefined && ts.isIdentifier(unwrap(node)) && resolveName(unwrap(node)).declaration === parameter;
  let found = false;
  forEachDescendant(wrapper.body, (node) => {
    if (found || !ts.isCallExpression(node)) return;
    // `db.transaction(work)` (or another wrapper given it)
    const handed = node.arguments.find(isParameter);
    if (handed && runsInTransaction(node, handed, depth + 1)) found = true;
    // `db.transaction(async (tx) => work(tx))`
    const tx = node.arguments[0];
    const enclosing = isParameter(node.expression) && tx && ts.isIdentifier(unwrap(tx)) ? resolveName(unwrap(tx)).declaration : undefined;
    const callback = enclosing && ts.isParameter(enclosing) && enclosing.parent.parameters[0] === enclosing ? enclosing.parent : undefined;
    const outer = callback && isFunctionLike(callback) ? callbackOf(callback) : undefined;
    if (outer && runsInTransaction(outer, callback!, depth + 1)) found = true;
  });
  return found;
}

/** The least certain of several verdicts: any failure, else any doubt, else a transaction. */
function worst(verdicts: TxVerdict[]): TxVerdict {
  return (
    verdicts.find((v) => v.kind === "empty") ??
    verdicts.find((v) => v.kind === "notTransaction") ??
    verdicts.find((v) => v.kind === "undecidable") ??
    verdicts[0] ?? { kind: "transaction" }
  );
}

/** `line 3` in the same file as `from`, else `path:line:column`. */
function where(node: ts.Node, from: ts.Node): string {
  if (repoPathOf(node) === repoPathOf(from)) return `line ${nodePosition(node).line}`;
  return locationText(node);
}

function locationText(node: ts.Node): string {
  const { path, line, column } = locationOf(node);
  return `${path}:${line}:${column}`;
}
