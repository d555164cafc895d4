import ts from "typescript";
import { checkerOf } from "./symbols.js";

/** What a module exports under one name, as the compiler resolves it. */
export type ModuleExport =
  /** Declared in the repository (here or behind re-exports): its declarations, type-only ones included. */
  | { kind: "declared"; declarations: ts.Node[] }
  /** Re-exported from a module outside the repository (or a missing file): the value cannot be read. */
  | { kind: "external" };

/**
 * The exports of a module through the compiler's symbols: local exports,
 * `export { a as b }`, `export { x } from` and `export *` chains across
 * repository files (a file that exports the same name twice ends the chain, never loops).
 */
export function moduleExports(file: ts.SourceFile): Map<string, ModuleExport> {
  const out = new Map<string, ModuleExport>();
  const checker = checkerOf(file);
  const symbol = checker.getSymbolAtLocation(file);
  if (!symbol) return out; // a script: no import or export at all
  for (const exported of checker.getExportsOfModule(symbol)) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declarations = (target.declarations ?? []).filter((d) => !ts.isExportSpecifier(d));
    out.set(exported.name, declarations.length > 0 ? { kind: "declared", declarations } : { kind: "external" });
  }
  return out;
}

/** Whether a declaration is a value (not only a type): what a runtime import can receive. */
export function isValueDeclaration(node: ts.Node): boolean {
  return !ts.isTypeAliasDeclaration(node) && !ts.isInterfaceDeclaration(node);
}
