import ts from "typescript";
import type { ServiceContext } from "../../engine/context.js";
import { objectEntries, stringValue } from "../ts/static-objects.js";
import { locationOf, type Location } from "../ts/location.js";
import { isExportOf, resolveName } from "../ts/symbols.js";
import { constructText, isFunctionLike, unwrap } from "../ts/syntax.js";
import { valueOf } from "../ts/values.js";
import { isContractsModule } from "./contracts.js";
import { callbackOf, functionName, ServiceCalls } from "./callers.js";
import { transactionVerdict, type TxVerdict } from "./transactions.js";
import { callsIn, firstAncestor } from "../ts/walk.js";

/** What `publishEvent`'s first argument is. */
export type EventArgument = (
  /**
   * `EVENT_NAMES.X` however EVENT_NAMES was imported, or a constant (in any service file) holding one;
   * `value` is the event name when the compiler reaches the contracts package's object in the repository.
   */
  | { kind: "constant"; constant: string; value?: string }
  /** A plain string (or a constant holding one). */
  | { kind: "literal"; value: string }
  /** A template with substitutions: built at run time. */
  | { kind: "template"; construct: string }
  /** Anything else (a parameter nothing calls, a call, `EVENT_NAMES[name]`): cannot be decided statically. */
  | { kind: "other"; construct: string }
  /** No argument at all. */
  | { kind: "missing" }
) & {
  at: Location;
  /** Set when the value was followed back from a helper's parameter to what a caller passes: the helper's name. */
  through?: string;
};

/** What the options (third) argument passes as the transaction. */
export type TxOption =
  /** No third argument. */
  | { kind: "missing"; at: Location }
  /** An options object without `tx`. */
  | { kind: "absent"; at: Location }
  /** Options this check cannot see into (a parameter, a call, a spread without `tx`). */
  | { kind: "unknown"; construct: string; at: Location }
  /** `tx: <value>`, with what that value is. */
  | { kind: "tx"; value: string; verdict: TxVerdict; at: Location };

export interface PublishCall {
  at: Location;
  construct: string;
  /** The event published: one entry, or one per caller when a helper receives the event name as a parameter. */
  events: EventArgument[];
  tx: TxOption;
  /** The call's promise is dropped (`publishEvent(…);` or `void publishEvent(…)`): nothing waits for the write. */
  floating: boolean;
}

/** The `publishEvent` module: `@platform/events` or a subpath of it. */
export const isEventsModule = (specifier: string): boolean =>
  specifier === "@platform/events" || specifier.startsWith("@platform/events/");

/** The service source files scanned for calls (tests and declaration files excluded). */
export function serviceSourceFiles(ctx: ServiceContext): string[] {
  const src = ctx.path("src/");
  return ctx.files.filter((p) => p.startsWith(src) && /\.(c|m)?tsx?$/.test(p) && !/\.d\.(c|m)?ts$/.test(p)).sort();
}

/**
 * Every call in the service's `src/` of the platform's `publishEvent`, however
 * it reached the file (named, renamed, namespace or default import, a path
 * alias, a barrel that re-exports it, a constant holding it). A local function
 * of the same name is not it. Shared by the event rules.
 */
export function publishCalls(ctx: ServiceContext): Promise<PublishCall[]> {
  return ctx.memo("events:publish-calls", async () => {
    const files: ts.SourceFile[] = [];
    for (const path of serviceSourceFiles(ctx)) {
      const file = await ctx.sourceFile(path);
      if (file) files.push(file);
    }
    const calls = new ServiceCalls(files);
    const out: PublishCall[] = [];
    for (const file of files) {
      for (const call of callsIn(file)) {
        if (!isPublishEvent(call.expression)) continue;
        out.push({ at: locationOf(call), construct: constructText(call, 60), events: classifyEvent(call, calls), tx: classifyTx(call, calls), floating: isFloating(call) });
      }
    }
    return out;
  });
}

/**
 * Whether a call's value is dropped: a statement of its own, `void`ed
 * (parentheses and type assertions looked through), or made in a `forEach`
 * callback, whose promise forEach drops even when the call is awaited in it.
 */
function isFloating(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent) || ts.isSatisfiesExpression(node.parent)) node = node.parent;
  if (ts.isExpressionStatement(node.parent) || ts.isVoidExpression(node.parent)) return true;
  const enclosing = firstAncestor(call, isFunctionLike);
  const caller = enclosing ? callbackOf(enclosing) : undefined;
  const callee = caller ? unwrap(caller.expression) : undefined;
  return callee !== undefined && ts.isPropertyAccessExpression(callee) && callee.name.text === "forEach";
}

/** Whether a callee is the platform's `publishEvent` (or a constant holding it). */
function isPublishEvent(callee: ts.Node): boolean {
  let node = unwrap(callee);
  for (let hop = 0; hop < 4; hop++) {
    if (isPlatformExport(node, isEventsModule, "publishEvent")) return true;
    const next = ts.isIdentifier(node) ? valueOf(node) : undefined;
    if (!next) return false;
    node = next;
  }
  return false;
}

/**
 * `name` of a module matching `module`, through any import chain (named,
 * renamed, namespace, re-exports); also `x.name` when `x` is a default import
 * of such a module used as a namespace.
 */
export function isPlatformExport(expr: ts.Node, module: (specifier: string) => boolean, name: string): boolean {
  if (!ts.isIdentifier(expr) && !ts.isPropertyAccessExpression(expr)) return false;
  if (isExportOf(expr, module, name)) return true;
  if (!ts.isPropertyAccessExpression(expr) || expr.name.text !== name) return false;
  // `x.name` where `x` is a default import of the module used as a namespace.
  const last = resolveName(expr.expression).imports.at(-1);
  return last !== undefined && last.name === "default" && module(last.module);
}

/** Whether an expression is the generated `EVENT_NAMES` object of the contracts package. */
function isEventNames(expr: ts.Node): boolean {
  const node = unwrap(expr);
  if (isPlatformExport(node, isContractsModule, "EVENT_NAMES")) return true;
  // `const Names = EVENT_NAMES` (here or in another service file).
  const value = ts.isIdentifier(node) ? valueOf(node) : undefined;
  return value !== undefined && isEventNames(value);
}

function classifyEvent(call: ts.CallExpression, calls: ServiceCalls): EventArgument[] {
  const first = call.arguments[0];
  if (!first) return [{ kind: "missing", at: locationOf(call) }];
  return eventValues(first, calls, 0, new Set());
}

/** What an event-name expression is; a parameter of a helper is followed to each caller's argument. */
function eventValues(arg: ts.Node, calls: ServiceCalls, depth: number, seen: Set<ts.Node>, through?: string): EventArgument[] {
  const at = locationOf(arg);
  const via = through === undefined ? {} : { through };
  if (ts.isSpreadElement(arg)) return [{ kind: "other", construct: constructText(arg), at, ...via }];

  // Follow constants (here or in another service file) to what they hold.
  let node = unwrap(arg);
  for (let hop = 0; hop < 8; hop++) {
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && isEventNames(node.expression)) {
      const constant = ts.isPropertyAccessExpression(node) ? node.name.text : stringValue(node.argumentExpression);
      if (constant === undefined) return [{ kind: "other", construct: constructText(arg), at, ...via }];
      const value = stringValue(node);
      return [{ kind: "constant", constant, at, ...via, ...(value === undefined ? {} : { value }) }];
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [{ kind: "literal", value: node.text, at, ...via }];
    if (ts.isTemplateExpression(node)) return [{ kind: "template", construct: constructText(node), at, ...via }];
    const next = valueOf(node);
    if (!next) break;
    node = next;
  }
  const fromCallers = ts.isIdentifier(node) && depth < 4 ? callerArguments(node) : undefined;
  if (fromCallers === "seen") return [];
  if (fromCallers && fromCallers.args.length > 0) return fromCallers.args.flatMap((a) => eventValues(a, calls, depth + 1, seen, fromCallers.name));
  return [{ kind: "other", construct: constructText(arg), at, ...via }];

  /** A helper's parameter (`emit(name, …)` calling publishEvent(name, …)): the argument each caller passes there. */
  function callerArguments(name: ts.Node): { name: string; args: ts.Node[] } | "seen" | undefined {
    const parameter = resolveName(name).declaration;
    if (!parameter || !ts.isParameter(parameter)) return undefined;
    // Each helper parameter is followed once per call: diamonds and recursion add nothing new.
    if (seen.has(parameter)) return "seen";
    seen.add(parameter);
    const fn = parameter.parent;
    if (!isFunctionLike(fn) || callbackOf(fn)) return undefined;
    const fnName = functionName(fn);
    const index = fn.parameters.indexOf(parameter);
    const sites = calls.callsOf(fn);
    if (fnName === undefined || sites.some((site) => site.arguments[index] === undefined)) return undefined;
    return { name: fnName, args: sites.map((site) => site.arguments[index]!) };
  }
}

function classifyTx(call: ts.CallExpression, calls: ServiceCalls): TxOption {
  const args = call.arguments;
  const options = args[2];
  if (!options) {
    const spread = args.find(ts.isSpreadElement);
    if (spread) return { kind: "unknown", construct: constructText(spread), at: locationOf(spread) };
    return { kind: "missing", at: locationOf(call) };
  }
  const at = locationOf(options);
  const members = objectEntries(options);
  if (!members) return { kind: "unknown", construct: constructText(options), at };
  const tx = members.entries.filter((m) => m.key === "tx").pop();
  if (tx) return { kind: "tx", value: txText(tx.property), verdict: transactionVerdict(tx.value, calls), at: locationOf(tx.value) };
  const spread = members.unread[0];
  if (spread) return { kind: "unknown", construct: constructText(spread), at: locationOf(spread) };
  return { kind: "absent", at };
}

/** The value passed as `tx`, as written (`tx` for the shorthand `{ tx }`). */
function txText(property: ts.Node): string {
  if (ts.isPropertyAssignment(property)) return constructText(property.initializer, 50);
  return constructText(property, 50);
}
