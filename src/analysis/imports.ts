import { Node, SyntaxKind, type SourceFile } from "ts-morph";

/** How a file imports things: what each local name refers to. */
export interface ImportBindings {
  /** Local name → the module and exported name it binds (`import { a as b }` → b ↦ a; default imports ↦ "default"). */
  named: ReadonlyMap<string, { module: string; imported: string }>;
  /** Namespace local name → module (`import * as pg from "drizzle-orm/pg-core"` → pg ↦ drizzle-orm/pg-core). */
  namespaces: ReadonlyMap<string, string>;
}

/** Which modules count: an exact specifier, a predicate, or any module at all. */
export type ModuleMatcher = string | ((specifier: string) => boolean) | "*";

const cache = new WeakMap<SourceFile, ImportBindings>();

export function importBindings(file: SourceFile): ImportBindings {
  const hit = cache.get(file);
  if (hit) return hit;
  const named = new Map<string, { module: string; imported: string }>();
  const namespaces = new Map<string, string>();
  for (const decl of file.getImportDeclarations()) {
    const module = decl.getModuleSpecifierValue();
    const def = decl.getDefaultImport();
    if (def) named.set(def.getText(), { module, imported: "default" });
    const ns = decl.getNamespaceImport();
    if (ns) namespaces.set(ns.getText(), module);
    for (const spec of decl.getNamedImports()) {
      const local = spec.getAliasNode()?.getText() ?? spec.getName();
      named.set(local, { module, imported: spec.getName() });
    }
  }
  const result = { named, namespaces };
  cache.set(file, result);
  return result;
}

function moduleMatches(matcher: ModuleMatcher, specifier: string): boolean {
  if (matcher === "*") return true;
  return typeof matcher === "string" ? matcher === specifier : matcher(specifier);
}

/**
 * Whether an expression names `exportName` of a matching module, however it
 * was imported: `requireScope`, `scope` (from `import { requireScope as scope }`)
 * or `scopes.requireScope` (from `import * as scopes`).
 */
export function refersToImport(expr: Node, file: SourceFile, module: ModuleMatcher, exportName: string): boolean {
  const bindings = importBindings(file);
  if (Node.isIdentifier(expr)) {
    const bound = bindings.named.get(expr.getText());
    return bound !== undefined && bound.imported === exportName && moduleMatches(module, bound.module);
  }
  if (Node.isPropertyAccessExpression(expr) && expr.getName() === exportName) {
    const target = expr.getExpression();
    if (!Node.isIdentifier(target)) return false;
    const ns = bindings.namespaces.get(target.getText());
    if (ns !== undefined) return moduleMatches(module, ns);
    // A default or named import used as a namespace object (`import scopes from …; scopes.requireScope`).
    const bound = bindings.named.get(target.getText());
    return bound !== undefined && moduleMatches(module, bound.module);
  }
  return false;
}

/** Every call in a file whose callee refers to `exportName` of a matching module. */
export function callsTo(file: SourceFile, module: ModuleMatcher, exportName: string) {
  return file.getDescendantsOfKind(SyntaxKind.CallExpression).filter((call) => refersToImport(call.getExpression(), file, module, exportName));
}

/** 1-based line and column where a node starts (after leading trivia). */
export function nodePosition(node: Node): { line: number; column: number } {
  const file = node.getSourceFile();
  const { line, column } = file.getLineAndColumnAtPos(node.getStart());
  return { line, column };
}
