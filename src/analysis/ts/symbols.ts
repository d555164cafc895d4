import { Node, type Symbol as TsSymbol } from "ts-morph";
import { unwrap } from "./syntax.js";

/** One import or re-export a name passes through: `import { b as c } from "m"` is `{ module: "m", name: "b" }`. */
export interface ImportStep {
  module: string;
  /** The name taken from the module: an export name, `default`, or `*` for a namespace. */
  name: string;
  /** The import/export specifier or clause. */
  node: Node;
}

export interface NameResolution {
  /**
   * The declaration the name finally stands for (variable, function, class,
   * parameter, method, property, enum member…), when it is in the program.
   * Undefined when the chain leaves the repository or cannot be followed.
   */
  declaration: Node | undefined;
  /** Every import and re-export crossed on the way, in order. */
  imports: ImportStep[];
  /** The last step, when the chain ends in a module outside the repository (`hono`, `@platform/scopes`). */
  external: ImportStep | undefined;
}

const MAX_ALIAS_HOPS = 32;

/**
 * What an identifier, `ns.member` or `obj.member` expression refers to,
 * through the compiler's symbols: local bindings, named, renamed, default and
 * namespace imports, `export *` and `export { x as y } from` chains, across
 * every file the program holds. Wrappers (`( )`, `as`, `!`) are looked through.
 */
export function resolveName(expr: Node): NameResolution {
  const node = unwrap(expr);
  if (Node.isPropertyAccessExpression(node)) {
    const base = resolveName(node.getExpression());
    const symbol = node.getNameNode().getSymbol();
    // `ns.member` where `ns` is a namespace import of a module outside the repository.
    if (base.external?.name === "*" && (!symbol || isUnresolved(symbol))) {
      const step = { module: base.external.module, name: node.getName(), node };
      return { declaration: undefined, imports: [...base.imports, step], external: step };
    }
    // `ns.member` of a namespace import of a repository module: the member is that module's export too.
    const namespace = base.imports[base.imports.length - 1];
    const throughNamespace = namespace?.name === "*" ? [...base.imports, { module: namespace.module, name: node.getName(), node }] : [];
    const own = followSymbol(symbol);
    return { ...own, imports: [...throughNamespace, ...own.imports] };
  }
  if (Node.isIdentifier(node)) {
    const parent = node.getParent();
    if (parent && Node.isShorthandPropertyAssignment(parent) && parent.getNameNode() === node) {
      return followSymbol(parent.getValueSymbol() ?? undefined);
    }
    return followSymbol(node.getSymbol());
  }
  return { declaration: undefined, imports: [], external: undefined };
}

/** The declaration an expression names (see {@link resolveName}), or undefined. */
export function declarationOf(expr: Node): Node | undefined {
  return resolveName(expr).declaration;
}

/**
 * Whether an expression names `exportName` of `module` however it reached
 * this file: `requireScope`, `scope` (renamed), `scopes.requireScope`
 * (namespace), or a local module that re-exports it. A local function of the
 * same name does not count.
 */
export function isExportOf(expr: Node, module: string | ((specifier: string) => boolean), exportName: string): boolean {
  const matches = typeof module === "string" ? (m: string) => m === module : module;
  return resolveName(expr).imports.some((step) => step.name === exportName && matches(step.module));
}

function followSymbol(start: TsSymbol | undefined): NameResolution {
  const imports: ImportStep[] = [];
  let symbol = start;
  for (let hop = 0; symbol && hop < MAX_ALIAS_HOPS && symbol.isAlias(); hop++) {
    const step = importStepOf(symbol.getDeclarations()[0]);
    if (step) imports.push(step);
    const next = symbol.getImmediatelyAliasedSymbol();
    if (!next || isUnresolved(next)) {
      return { declaration: undefined, imports, external: step ?? imports[imports.length - 1] };
    }
    symbol = next;
  }
  if (!symbol || symbol.isAlias()) return { declaration: undefined, imports, external: undefined };
  const declaration = symbol.getValueDeclaration() ?? symbol.getDeclarations()[0];
  // A namespace import of a repository module resolves to the module itself.
  return { declaration, imports, external: undefined };
}

/** The compiler's stand-in for a module it could not find. */
function isUnresolved(symbol: TsSymbol): boolean {
  return symbol.getDeclarations().length === 0;
}

function importStepOf(decl: Node | undefined): ImportStep | undefined {
  if (!decl) return undefined;
  if (Node.isImportSpecifier(decl)) {
    return { module: decl.getImportDeclaration().getModuleSpecifierValue(), name: decl.getName(), node: decl };
  }
  if (Node.isImportClause(decl)) {
    const importDecl = decl.getParent();
    return Node.isImportDeclaration(importDecl) ? { module: importDecl.getModuleSpecifierValue(), name: "default", node: decl } : undefined;
  }
  if (Node.isNamespaceImport(decl)) {
    const importDecl = decl.getFirstAncestor(Node.isImportDeclaration);
    return importDecl ? { module: importDecl.getModuleSpecifierValue(), name: "*", node: decl } : undefined;
  }
  if (Node.isExportSpecifier(decl)) {
    const module = decl.getExportDeclaration().getModuleSpecifierValue();
    return module === undefined ? undefined : { module, name: decl.getName(), node: decl };
  }
  if (Node.isNamespaceExport(decl)) {
    const module = decl.getParent().getModuleSpecifierValue();
    return module === undefined ? undefined : { module, name: "*", node: decl };
  }
  return undefined;
}
