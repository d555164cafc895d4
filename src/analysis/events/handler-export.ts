import ts from "typescript";
import type { ServiceContext } from "../../engine/context.js";
import { isValueDeclaration, moduleExports } from "../ts/module-exports.js";
import { isFunctionValue } from "../ts/static-objects.js";
import { locationOf, type Location } from "../ts/location.js";
import { importedFile } from "../ts/program.js";
import { constructText, isDefaultExport, isExported, moduleSpecifierText } from "../ts/syntax.js";

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
  for (const stmt of file.statements) {
    if (!ts.isExportDeclaration(stmt) || stmt.isTypeOnly || moduleSpecifierText(stmt) === undefined || importedFile(stmt)) continue;
    // A module outside the repository (or missing) might provide `handler`.
    const named = stmt.exportClause && ts.isNamedExports(stmt.exportClause) ? stmt.exportClause.elements : undefined;
    if (!named || named.some((s) => s.name.text === "handler")) return { kind: "unknown", construct: constructText(stmt), at: locationOf(stmt) };
  }
  for (const stmt of file.statements) {
    if (ts.isFunctionDeclaration(stmt) || ts.isVariableStatement(stmt)) {
      const named = ts.isFunctionDeclaration(stmt)
        ? [{ name: stmt.name?.text, node: stmt as ts.Node, fn: true }]
        : stmt.declarationList.declarations.map((d) => ({ name: ts.isIdentifier(d.name) ? d.name.text : d.name.getText(), node: d as ts.Node, fn: isFunctionValue(d.initializer) }));
      for (const { name, node, fn } of named) {
        if (ts.isFunctionDeclaration(stmt) && isDefaultExport(stmt)) hint ??= { what: "default", at: locationOf(node) };
        else if (name === "handler") hint ??= { what: "notExported", at: locationOf(node) };
        else if (fn && name && isExported(stmt)) otherName ??= { what: "otherName", name, at: locationOf(node) };
      }
    } else if (ts.isExportAssignment(stmt) && !stmt.isExportEquals) {
      hint ??= { what: "default", at: locationOf(stmt) };
    }
  }
  const closest = hint ?? otherName;
  return closest ? { kind: "none", hint: closest } : { kind: "none" };
}
