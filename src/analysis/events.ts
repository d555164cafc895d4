import { Node, type CallExpression, type SourceFile } from "ts-morph";
import type { ServiceContext } from "../engine/context.js";
import type { ServiceDescriptor } from "../engine/service-descriptor.js";
import { joinRepoPath } from "../engine/names.js";
import { isContractsModule } from "./contracts.js";
import { callsTo, nodePosition, refersToImport } from "./imports.js";
import { constructText, findLocalConst, memberName, resolveLocalValue, stringLiteralValue, unwrapExpression } from "./local-constants.js";

/** Where a construct is, repository-relative. */
export interface At {
  path: string;
  line: number;
  column: number;
}

/** What `publishEvent`'s first argument is. */
export type EventArgument =
  /** `EVENT_NAMES.X`, `contracts.EVENT_NAMES.X`, `EVENT_NAMES["X"]`, or a local const holding one. */
  | { kind: "constant"; constant: string; at: At }
  /** A plain string (or a local const holding one). */
  | { kind: "literal"; value: string; at: At }
  /** A template with substitutions: built at run time. */
  | { kind: "template"; construct: string; at: At }
  /** Anything else (a parameter, a call, `EVENT_NAMES[name]`): cannot be decided statically. */
  | { kind: "other"; construct: string; at: At }
  /** No argument at all. */
  | { kind: "missing"; at: At };

/** What the options (third) argument says about the transaction. */
export type TxOption =
  | { kind: "present"; at: At }
  /** No third argument. */
  | { kind: "missing"; at: At }
  /** An object literal (or local const) without `tx`, or with `tx: undefined`. */
  | { kind: "absent"; at: At }
  /** An object we cannot see into (a parameter, a call, a spread without `tx`). */
  | { kind: "unknown"; construct: string; at: At };

export interface PublishCall {
  /** Position of the call expression. */
  at: At;
  /** The call as written (shortened), for messages. */
  construct: string;
  event: EventArgument;
  tx: TxOption;
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
 * Every `publishEvent(…)` call in the service's `src/`, however `publishEvent`
 * was imported from `@platform/events` (named, renamed, namespaced), with its
 * event and options arguments classified. Shared by the event rules.
 */
export function publishCalls(ctx: ServiceContext): Promise<PublishCall[]> {
  return ctx.memo("events:publish-calls", async () => {
    const out: PublishCall[] = [];
    for (const path of serviceSourceFiles(ctx)) {
      const file = await ctx.sourceFile(path);
      if (!file) continue;
      for (const call of callsTo(file, isEventsModule, "publishEvent")) {
        out.push({
          at: at(path, call),
          construct: constructText(call, 60),
          event: classifyEvent(file, path, call),
          tx: classifyTx(path, call),
        });
      }
    }
    return out;
  });
}

function at(path: string, node: Node): At {
  return { path, ...nodePosition(node) };
}

/** `EVENT_NAMES.X` / `ns.EVENT_NAMES.X` / `EVENT_NAMES["X"]` → X; undefined when not that shape. */
function eventConstantOf(file: SourceFile, expr: Node): string | undefined | "dynamic" {
  const node = unwrapExpression(expr);
  if (Node.isPropertyAccessExpression(node) && refersToImport(node.getExpression(), file, isContractsModule, "EVENT_NAMES")) {
    return node.getName();
  }
  if (Node.isElementAccessExpression(node) && refersToImport(node.getExpression(), file, isContractsModule, "EVENT_NAMES")) {
    const arg = node.getArgumentExpression();
    const key = arg ? stringLiteralValue(arg) : undefined;
    return key ?? "dynamic";
  }
  return undefined;
}

function classifyEvent(file: SourceFile, path: string, call: CallExpression): EventArgument {
  const args = call.getArguments();
  const first = args[0];
  if (!first) return { kind: "missing", at: at(path, call) };
  const where = at(path, first);
  if (Node.isSpreadElement(first)) return { kind: "other", construct: constructText(first), at: where };

  // Follow a local const (`const EVENT = EVENT_NAMES.X`) to what it holds.
  let node: Node = unwrapExpression(first);
  for (let hop = 0; hop < 5; hop++) {
    const constant = eventConstantOf(file, node);
    if (constant === "dynamic") return { kind: "other", construct: constructText(first), at: where };
    if (constant !== undefined) return { kind: "constant", constant, at: where };
    const literal = stringLiteralValue(node);
    if (literal !== undefined) return { kind: "literal", value: literal, at: where };
    if (Node.isTemplateExpression(node)) return { kind: "template", construct: constructText(node), at: where };
    if (!Node.isIdentifier(node)) break;
    const init = findLocalConst(node, node.getText())?.getInitializer();
    if (!init) break;
    node = unwrapExpression(init);
  }
  return { kind: "other", construct: constructText(first), at: where };
}

function classifyTx(path: string, call: CallExpression): TxOption {
  const options = call.getArguments()[2];
  if (!options) {
    const spread = call.getArguments().find((a) => Node.isSpreadElement(a));
    if (spread) return { kind: "unknown", construct: constructText(spread), at: at(path, spread) };
    return { kind: "missing", at: at(path, call) };
  }
  const where = at(path, options);
  const value = resolveLocalValue(options);
  if (!Node.isObjectLiteralExpression(value)) return { kind: "unknown", construct: constructText(options), at: where };

  const state = txInObject(value, 0);
  if (state.kind === "present") return { kind: "present", at: where };
  if (state.kind === "unknown") return { kind: "unknown", construct: constructText(state.spread), at: at(path, state.spread) };
  return { kind: "absent", at: where };
}

/**
 * Whether an options object sets `tx`: a `tx` member (`{ tx }`, `{ tx: trx }`)
 * anywhere, also inside spreads of local objects, counts; `tx: undefined` does
 * not. A spread we cannot see into leaves it undecided when no `tx` is written.
 */
function txInObject(obj: Node, depth: number): { kind: "present" } | { kind: "absent" } | { kind: "unknown"; spread: Node } {
  let unknownSpread: Node | undefined;
  if (!Node.isObjectLiteralExpression(obj)) return { kind: "absent" };
  for (const prop of obj.getProperties()) {
    if (Node.isSpreadAssignment(prop)) {
      const inner = resolveLocalValue(prop.getExpression());
      if (Node.isObjectLiteralExpression(inner) && depth < 5) {
        const nested = txInObject(inner, depth + 1);
        if (nested.kind === "present") return nested;
        if (nested.kind === "unknown") unknownSpread ??= prop;
      } else unknownSpread ??= prop;
      continue;
    }
    if (memberName(prop) !== "tx") continue;
    if (Node.isPropertyAssignment(prop) && isNothing(unwrapExpression(prop.getInitializer()!))) continue;
    return { kind: "present" };
  }
  return unknownSpread ? { kind: "unknown", spread: unknownSpread } : { kind: "absent" };
}

function isNothing(node: Node): boolean {
  return (Node.isIdentifier(node) && node.getText() === "undefined") || Node.isNullLiteral(node);
}

/** An event a service declares in `service.yaml` (`contracts.events_published` / `events_consumed`). */
export interface DeclaredEvent {
  event: string;
  list: "events_published" | "events_consumed";
  /** Index in that list, for `descriptor.valuePositionOf(["contracts", list, index])`. */
  index: number;
}

/** The string entries of `events_published` then `events_consumed` (other shapes are service-yaml-schema's to report). */
export function declaredEvents(descriptor: ServiceDescriptor, only?: DeclaredEvent["list"]): DeclaredEvent[] {
  const contracts = descriptor.data?.["contracts"];
  if (!contracts || typeof contracts !== "object" || Array.isArray(contracts)) return [];
  const out: DeclaredEvent[] = [];
  for (const list of ["events_published", "events_consumed"] as const) {
    if (only && list !== only) continue;
    const items = (contracts as Record<string, unknown>)[list];
    if (!Array.isArray(items)) continue;
    items.forEach((event, index) => {
      if (typeof event === "string" && event.trim() !== "") out.push({ event, list, index });
    });
  }
  return out;
}

/** How an event handler file exports `handler`. */
export type HandlerExport =
  | { kind: "exported" }
  /** Only an `export * from` of a module this check cannot read (a package, a missing file). */
  | { kind: "unknown"; construct: string; at: At }
  /** No `handler` export; `hint` is the closest construct (a local `handler` not exported, a default export). */
  | { kind: "none"; hint?: HandlerHint };

/** The construct closest to a handler in a file that exports none. */
export interface HandlerHint {
  /** A local `handler` that is not exported; a default export; another exported function or const. */
  what: "notExported" | "default" | "otherName";
  name?: string;
  at: At;
}

/**
 * Whether a handler file exports a value named `handler`: `export const handler`,
 * `export (async) function handler`, `export { x as handler }`, `export { handler }`,
 * `export { handler } from "./x"`, or `export * from "./x"` of a repo file that does.
 */
export async function handlerExport(ctx: ServiceContext, path: string, seen = new Set<string>()): Promise<HandlerExport> {
  const file = await ctx.sourceFile(path);
  if (!file) return { kind: "none" };
  seen.add(path);
  let hint: HandlerHint | undefined;
  let otherName: HandlerHint | undefined;
  let unknown: { construct: string; at: At } | undefined;
  for (const stmt of file.getStatements()) {
    if (Node.isFunctionDeclaration(stmt) || Node.isClassDeclaration(stmt)) {
      if (stmt.getName() === "handler") {
        if (stmt.isExported() && !stmt.isDefaultExport()) return { kind: "exported" };
        hint ??= { what: stmt.isDefaultExport() ? "default" : "notExported", at: at(path, stmt) };
      } else if (stmt.isDefaultExport()) hint ??= { what: "default", at: at(path, stmt) };
      else if (stmt.isExported() && Node.isFunctionDeclaration(stmt)) otherName ??= { what: "otherName", name: stmt.getName() ?? "", at: at(path, stmt) };
    } else if (Node.isVariableStatement(stmt)) {
      const decl = stmt.getDeclarations().find((d) => Node.isIdentifier(d.getNameNode()) && d.getName() === "handler");
      if (decl && stmt.isExported()) return { kind: "exported" };
      if (decl) hint ??= { what: "notExported", at: at(path, decl) };
      const first = stmt.getDeclarations()[0];
      if (!decl && first && stmt.isExported()) otherName ??= { what: "otherName", name: first.getName(), at: at(path, first) };
    } else if (Node.isExportDeclaration(stmt)) {
      if (stmt.isTypeOnly()) continue;
      const named = stmt.getNamedExports();
      const star = !stmt.hasNamedExports() && stmt.getNamespaceExport() === undefined;
      if (stmt.getNamespaceExport()?.getName() === "handler") return { kind: "exported" };
      if (named.some((s) => !s.isTypeOnly() && (s.getAliasNode()?.getText() ?? s.getName()) === "handler")) return { kind: "exported" };
      const from = stmt.getModuleSpecifierValue();
      if (star && from !== undefined) {
        const target = resolveRelativeModule(ctx, path, from);
        if (target && !seen.has(target)) {
          const inner = await handlerExport(ctx, target, seen);
          if (inner.kind === "exported") return inner;
          if (inner.kind === "unknown") unknown ??= inner;
        } else if (!target) unknown ??= { construct: constructText(stmt), at: at(path, stmt) };
      }
    } else if (Node.isExportAssignment(stmt) && !stmt.isExportEquals()) {
      hint ??= { what: "default", at: at(path, stmt) };
    }
  }
  if (unknown) return { kind: "unknown", ...unknown };
  const closest = hint ?? otherName;
  return closest ? { kind: "none", hint: closest } : { kind: "none" };
}

/** A relative module specifier resolved to a head file (`./x` → x.ts, x.tsx, x/index.ts); undefined for packages and missing files. */
function resolveRelativeModule(ctx: ServiceContext, fromPath: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const dir = fromPath.slice(0, fromPath.lastIndexOf("/"));
  const base = joinRepoPath(dir, specifier.replace(/\.(c|m)?js$/, ""));
  if (base === undefined) return undefined;
  return [base, `${base}.ts`, `${base}.tsx`, `${base}.mts`, `${base}/index.ts`].find((p) => /\.(c|m)?tsx?$/.test(p) && ctx.repo.exists(p));
}
