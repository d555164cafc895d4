import { Node, type SourceFile } from "ts-morph";

/** What a module exports under one name, as the compiler resolves it. */
export type ModuleExport =
  /** Declared in the repository (here or behind re-exports): its declarations, type-only ones included. */
  | { kind: "declared"; declarations: Node[] }
  /** Re-exported from a module outside the repository (or a missing file): the value cannot be read. */
  | { kind: "external" };

/**
 * The exports of a module through the compiler's symbols: local exports,
 * `export { a as b }`, `export { x } from` and `export *` chains across
 * repository files. Used instead of ts-morph's `getExportedDeclarations()`,
 * which recurses without end on a file that exports the same name twice.
 */
export function moduleExports(file: SourceFile): Map<string, ModuleExport> {
  const out = new Map<string, ModuleExport>();
  const symbol = file.getSymbol();
  if (!symbol) return out; // a script: no import or export at all
  for (const exported of file.getProject().getTypeChecker().getExportsOfModule(symbol)) {
    const target = exported.isAlias() ? exported.getAliasedSymbol() : exported;
    const declarations = (target?.getDeclarations() ?? []).filter((d) => !Node.isExportSpecifier(d));
    out.set(exported.getName(), declarations.length > 0 ? { kind: "declared", declarations } : { kind: "external" });
  }
  return out;
}

/** Whether a declaration is a value (not only a type): what a runtime import can receive. */
export function isValueDeclaration(node: Node): boolean {
  return !Node.isTypeAliasDeclaration(node) && !Node.isInterfaceDeclaration(node);
}
