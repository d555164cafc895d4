import { Node, ts, type ClassDeclaration, type ClassExpression, type PropertyAccessExpression } from "ts-morph";
import { unwrap } from "./syntax.js";
import { wrapNode } from "./walk.js";

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
  // Several analyses ask about the same callee; a file's names are stable once its imports are in the program.
  let resolution = resolutions.get(expr.compilerNode);
  if (!resolution) {
    resolution = resolveUncached(expr);
    resolutions.set(expr.compilerNode, resolution);
  }
  return resolution;
}

const resolutions = new WeakMap<ts.Node, NameResolution>();

function resolveUncached(expr: Node): NameResolution {
  const node = unwrap(expr);
  if (Node.isPropertyAccessExpression(node)) return resolveMember(node);
  if (Node.isIdentifier(node)) {
    const raw = node.compilerNode;
    const checker = checkerOf(node);
    if (ts.isShorthandPropertyAssignment(raw.parent) && raw.parent.name === raw) {
      return followSymbol(node, checker, checker.getShorthandAssignmentValueSymbol(raw.parent));
    }
    // An identifier resolves lexically: the checker binds it without typing anything.
    return followSymbol(node, checker, checker.getSymbolAtLocation(raw));
  }
  return NOTHING;
}

const NOTHING: NameResolution = { declaration: undefined, imports: [], external: undefined };

/**
 * `base.member`, resolved from what `base` is, without asking the checker for
 * the member (that would type-check the receiver: zod chains, handlers, …):
 * a namespace import's export, a class's member (`this.x`, `new C().x`,
 * static `C.x`), an enum member, an object literal constant's property.
 */
function resolveMember(node: PropertyAccessExpression): NameResolution {
  const name = node.getName();
  const receiver = unwrap(node.getExpression());
  if (Node.isThisExpression(receiver)) {
    const cls = node.getFirstAncestor((a): a is ClassDeclaration | ClassExpression => Node.isClassDeclaration(a) || Node.isClassExpression(a));
    return { declaration: cls ? classMember(cls, name) : undefined, imports: [], external: undefined };
  }
  if (!Node.isIdentifier(receiver) && !Node.isPropertyAccessExpression(receiver)) return NOTHING;
  const base = resolveName(receiver);
  const last = base.imports[base.imports.length - 1];
  if (last?.name === "*") {
    // `ns.member` of a namespace import: the member is the module's export (in the repository or not).
    const step = { module: last.module, name, node };
    if (base.external) return { declaration: undefined, imports: [...base.imports, step], external: step };
    const checker = checkerOf(receiver);
    const alias = checker.getSymbolAtLocation(receiver.compilerNode);
    const moduleSymbol = alias && alias.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(alias) : undefined;
    const own = followSymbol(receiver, checker, exportOf(moduleSymbol, name));
    return { ...own, imports: [...base.imports, step, ...own.imports] };
  }
  const decl = base.declaration;
  if (!decl) return NOTHING;
  if (Node.isSourceFile(decl)) {
    // A namespace import resolved to the module file itself.
    const checker = checkerOf(decl);
    return followSymbol(decl, checker, exportOf(checker.getSymbolAtLocation(decl.compilerNode), name));
  }
  if (Node.isClassDeclaration(decl) || Node.isClassExpression(decl)) return { declaration: classMember(decl, name, true), imports: [], external: undefined };
  if (Node.isEnumDeclaration(decl)) return { declaration: decl.getMember(name), imports: [], external: undefined };
  if (Node.isVariableDeclaration(decl) || Node.isPropertyDeclaration(decl) || Node.isParameterDeclaration(decl)) {
    // `repo: InvoiceRepository` (a field, a constructor-injected parameter): a member of the declared class or interface.
    const type = decl.getTypeNode();
    const named = type && Node.isTypeReference(type) ? resolveName(type.getTypeName()).declaration : undefined;
    if (named && (Node.isClassDeclaration(named) || Node.isClassExpression(named))) return { declaration: classMember(named, name), imports: [], external: undefined };
    if (named && Node.isInterfaceDeclaration(named)) return { declaration: named.getProperty(name) ?? named.getMethod(name), imports: [], external: undefined };
  }
  if (Node.isVariableDeclaration(decl) || Node.isPropertyDeclaration(decl) || Node.isPropertyAssignment(decl)) {
    const init = decl.getInitializer();
    const value = init ? unwrap(init) : undefined;
    if (value && Node.isObjectLiteralExpression(value)) return { declaration: value.getProperty(name), imports: [], external: undefined };
    if (value && Node.isNewExpression(value)) {
      const cls = resolveName(value.getExpression()).declaration;
      if (cls && (Node.isClassDeclaration(cls) || Node.isClassExpression(cls))) return { declaration: classMember(cls, name), imports: [], external: undefined };
    }
  }
  return NOTHING;
}

/** A class member by name: property, method, accessor, or a constructor parameter property. */
function classMember(cls: ClassDeclaration | ClassExpression, name: string, isStatic = false): Node | undefined {
  const member = cls.getMembers().find((m) => (Node.isPropertyDeclaration(m) || Node.isMethodDeclaration(m) || Node.isGetAccessorDeclaration(m)) && m.getName() === name && m.isStatic() === isStatic);
  if (member || isStatic) return member;
  for (const ctor of cls.getConstructors()) {
    const param = ctor.getParameters().find((p) => p.isParameterProperty() && p.getName() === name);
    if (param) return param;
  }
  return undefined;
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

/**
 * Follows a symbol through its aliases (imports, re-exports) to what it
 * declares, on the compiler's own symbols and nodes: only the final
 * declaration (and an import step's node, when asked for) gets a ts-morph
 * wrapper, so resolving the many names a service holds stays cheap.
 */
function followSymbol(at: Node, checker: ts.TypeChecker, start: ts.Symbol | undefined): NameResolution {
  const imports: ImportStep[] = [];
  let symbol = start;
  for (let hop = 0; symbol && hop < MAX_ALIAS_HOPS && isAlias(symbol); hop++) {
    const step = importStepOf(at, symbol.declarations?.[0]);
    if (step) imports.push(step);
    const next = checker.getImmediateAliasedSymbol(symbol);
    if (!next || isUnresolved(next)) {
      return { declaration: undefined, imports, external: step ?? imports[imports.length - 1] };
    }
    symbol = next;
  }
  if (!symbol || isAlias(symbol)) return { declaration: undefined, imports, external: undefined };
  const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
  // A namespace import of a repository module resolves to the module itself.
  return { declaration: declaration && wrapNode(at, declaration), imports, external: undefined };
}

function isAlias(symbol: ts.Symbol): boolean {
  return (symbol.flags & ts.SymbolFlags.Alias) === ts.SymbolFlags.Alias;
}

/** The compiler's stand-in for a module it could not find. */
function isUnresolved(symbol: ts.Symbol): boolean {
  return !symbol.declarations?.length;
}

function exportOf(moduleSymbol: ts.Symbol | undefined, name: string): ts.Symbol | undefined {
  return moduleSymbol?.exports?.get(ts.escapeLeadingUnderscores(name));
}

/** The program's checker (ts-morph rebuilds it after files are added). */
function checkerOf(node: Node): ts.TypeChecker {
  return node.getProject().getTypeChecker().compilerObject;
}

function importStepOf(at: Node, decl: ts.Declaration | undefined): ImportStep | undefined {
  if (!decl) return undefined;
  let module: ts.Expression | undefined;
  let name: string;
  if (ts.isImportSpecifier(decl)) {
    module = decl.parent.parent.parent.moduleSpecifier;
    name = (decl.propertyName ?? decl.name).text;
  } else if (ts.isImportClause(decl)) {
    module = decl.parent.moduleSpecifier;
    name = "default";
  } else if (ts.isNamespaceImport(decl)) {
    module = decl.parent.parent.moduleSpecifier;
    name = "*";
  } else if (ts.isExportSpecifier(decl)) {
    module = decl.parent.parent.moduleSpecifier;
    name = (decl.propertyName ?? decl.name).text;
  } else if (ts.isNamespaceExport(decl)) {
    module = decl.parent.moduleSpecifier;
    name = "*";
  } else return undefined;
  if (!module || !ts.isStringLiteralLike(module)) return undefined;
  return lazyStep(at, module.text, name, decl);
}

/** An import step whose ts-morph node is made only when a caller asks for it (few do: locations in messages). */
function lazyStep(at: Node, module: string, name: string, raw: ts.Node): ImportStep {
  let node: Node | undefined;
  return {
    module,
    name,
    get node() {
      node ??= wrapNode(at, raw);
      return node;
    },
  };
}
