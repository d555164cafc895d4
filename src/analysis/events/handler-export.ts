import { Node } from "ts-morph";
import type { ServiceContext } from "../../engine/context.js";
import { isValueDeclaration, moduleExports } from "../ts/module-exports.js";
import { isFunctionValue } from "../ts/static-objects.js";
import { locationOf, type Location } from "../ts/location.js";
import { constructText } from "../ts/syntax.js";

/** How an event handler file exports `handler`. */
export type HandlerExport =
  | { kind: "exported" }
  /** Only a re-export of a module outside the repository could provide it. */
  | { kind: "unknown"; construct: string; at: Location }
  /** No `handler` export; `hint` is the closest construct (a local `handler` not exported, a default export). */
  | { kind: "none"; hint?: HandlerHint };

/** The construct closest to a handler in a file that exports none. */
export interface HandlerHint {
  /** A local `handler` that is not exported; a default export; another exported function. */
  what: "notExported" | "default" | "otherName";
  name?: string;
  at: Location;
}

/**
 * Whether a handler file exports a value named `handler`, as the compiler
 * sees the module's exports: declared here, `export { x as handler }`, or
 * re-exported from repository files (`export { handler } from "./x"`,
 * `export * from "./x"`, through path aliases).
 */
export async function handlerExport(ctx: ServiceContext, path: string): Promise<HandlerExport> {
  const file = await ctx.sourceFile(path);
  if (!file) return { kind: "none" };
  const exported = moduleExports(file).get("handler");
  if (exported?.kind === "declared" && exported.declarations.some(isValueDeclaration)) return { kind: "exported" };

  let hint: HandlerHint | undefined;
  let otherName: HandlerHint | undefined;
  for (const stmt of file.getExportDeclarations()) {
    if (stmt.isTypeOnly() || stmt.getModuleSpecifierValue() === undefined || stmt.getModuleSpecifierSourceFile()) continue;
    // A module outside the repository (or missing) might provide `handler`.
    const names = stmt.getNamedExports().map((s) => s.getAliasNode()?.getText() ?? s.getName());
    if (!stmt.hasNamedExports() || names.includes("handler")) return { kind: "unknown", construct: constructText(stmt), at: locationOf(stmt) };
  }
  for (const stmt of file.getStatements()) {
    if (Node.isFunctionDeclaration(stmt) || Node.isVariableStatement(stmt)) {
      const named = Node.isFunctionDeclaration(stmt)
        ? [{ name: stmt.getName(), node: stmt as Node, fn: true }]
        : stmt.getDeclarations().map((d) => ({ name: d.getName(), node: d as Node, fn: isFunctionValue(d.getInitializer()) }));
      for (const { name, node, fn } of named) {
        if (Node.isFunctionDeclaration(stmt) && stmt.isDefaultExport()) hint ??= { what: "default", at: locationOf(node) };
        else if (name === "handler") hint ??= { what: "notExported", at: locationOf(node) };
        else if (stmt.isExported() && fn && name) otherName ??= { what: "otherName", name, at: locationOf(node) };
      }
    } else if (Node.isExportAssignment(stmt) && !stmt.isExportEquals()) {
      hint ??= { what: "default", at: locationOf(stmt) };
    }
  }
  const closest = hint ?? otherName;
  return closest ? { kind: "none", hint: closest } : { kind: "none" };
}
