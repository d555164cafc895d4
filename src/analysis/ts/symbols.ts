import ts from "typescript";
import { programOf } from "./program.js";
import { hasModifier, isImplementation, nameOf, unwrap } from "./syntax.js";
import { firstAncestor } from "./walk.js";

/** One import or re-export a name passes through: `import { b as c } from "m"` is `{ module: "m", name: "b" }`. */
export interface ImportStep {
  module: string;
  /** The name taken from the module: an export name, `default`, or `*` for a namespace. */
  name: string;
  /** The import/export specifier or clause. */
  node: ts.Node;
}

export interface NameResolution {
  /**
   * The declaration the name finally stands for (variable, function, class,
   * parameter, method, property, enum member…), when it is in the program.
   * Undefined when the chain leaves the repository or cannot be followed.
   */
  declaration: ts.Node | undefined;
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
export function resolveName(expr: ts.Node): NameResolution {
  // Several analyses ask about the same callee; a file's names are stable once its imports are in the program.
  let resolution = resolutions.get(expr);
  if (!resolution) {
    resolution = resolveUncached(expr);
    resolutions.set(expr, resolution);
  }
  return resolution;
}

const resolutions = new WeakMap<ts.Node, NameResolution>();

function resolveUncached(expr: ts.Node): NameResolution {
  const node = unwrap(expr);
  if (ts.isPropertyAccessExpression(node)) return resolveMember(node);
  if (ts.isIdentifier(node)) {
    const checker = checkerOf(node);
    if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) {
      return followSymbol(checker, checker.getShorthandAssignmentValueSymbol(node.parent));
    }
    // An identifier resolves lexically: the checker binds it without typing anything.
    return followSymbol(checker, checker.getSymbolAtLocation(node));
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
function resolveMember(node: ts.PropertyAccessExpression): NameResolution {
  const name = node.name.text;
  const receiver = unwrap(node.expression);
  if (receiver.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = firstAncestor(node, isClass);
    return { declaration: cls ? classMember(cls, name) : undefined, imports: [], external: undefined };
  }
  if (!ts.isIdentifier(receiver) && !ts.isPropertyAccessExpression(receiver)) return NOTHING;
  const base = resolveName(receiver);
  const last = base.imports[base.imports.length - 1];
  if (last?.name === "*") {
    // `ns.member` of a namespace import: the member is the module's export (in the repository or not).
    const step = { module: last.module, name, node };
    if (base.external) return { declaration: undefined, imports: [...base.imports, step], external: step };
    const checker = checkerOf(receiver);
    const alias = checker.getSymbolAtLocation(receiver);
    const moduleSymbol = alias && alias.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(alias) : undefined;
    const own = followSymbol(checker, exportOf(moduleSymbol, name));
    return { ...own, imports: [...base.imports, step, ...own.imports] };
  }
  const decl = base.declaration;
  if (!decl) return NOTHING;
  if (ts.isSourceFile(decl)) {
    // A namespace import resolved to the module file itself.
    const checker = checkerOf(decl);
    return followSymbol(checker, exportOf(checker.getSymbolAtLocation(decl), name));
  }
  if (isClass(decl)) return { declaration: classMember(decl, name, true), imports: [], external: undefined };
  if (ts.isEnumDeclaration(decl)) return { declaration: decl.members.find((m) => nameOf(m) === name), imports: [], external: undefined };
  if (ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isParameter(decl)) {
    // `repo: InvoiceRepository` (a field, a constructor-injected parameter): a member of the declared class or interface.
    const type = decl.type;
    const named = type && ts.isTypeReferenceNode(type) ? resolveName(type.typeName).declaration : undefined;
    if (named && isClass(named)) return { declaration: classMember(named, name), imports: [], external: undefined };
    if (named && ts.isInterfaceDeclaration(named)) {
      const member = named.members.find((m) => ts.isPropertySignature(m) && nameOf(m) === name) ?? named.members.find((m) => ts.isMethodSignature(m) && nameOf(m) === name);
      return { declaration: member, imports: [], external: undefined };
    }
  }
  if (ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl)) {
    const init = decl.initializer;
    const value = init ? unwrap(init) : undefined;
    if (value && ts.isObjectLiteralExpression(value)) return { declaration: value.properties.find((p) => nameOf(p) === name), imports: [], external: undefined };
    if (value && ts.isNewExpression(value)) {
      const cls = resolveName(value.expression).declaration;
      if (cls && isClass(cls)) return { declaration: classMember(cls, name), imports: [], external: undefined };
    }
  }
  return NOTHING;
}

function isClass(node: ts.Node): node is ts.ClassDeclaration | ts.ClassExpression {
  return ts.isClassDeclaration(node) || ts.isClassExpression(node);
}

/** A class member by name: property, method (its implementation, not an overload signature), accessor, or a constructor parameter property. */
function classMember(cls: ts.ClassDeclaration | ts.ClassExpression, name: string, isStatic = false): ts.Node | undefined {
  const member = cls.members.find(
    (m) =>
      (ts.isPropertyDeclaration(m) || ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m)) &&
      nameOf(m) === name &&
      hasModifier(m, ts.SyntaxKind.StaticKeyword) === isStatic &&
      isImplementation(m),
  );
  if (member || isStatic) return member;
  for (const ctor of cls.members) {
    if (!ts.isConstructorDeclaration(ctor) || !isImplementation(ctor)) continue;
    const param = ctor.parameters.find((p) => ts.isParameterPropertyDeclaration(p, ctor) && nameOf(p) === name);
    if (param) return param;
  }
  return undefined;
}

/** The declaration an expression names (see {@link resolveName}), or undefined. */
export function declarationOf(expr: ts.Node): ts.Node | undefined {
  return resolveName(expr).declaration;
}

/**
 * Whether an expression names `exportName` of `module` however it reached
 * this file: `requireScope`, `scope` (renamed), `scopes.requireScope`
 * (namespace), or a local module that re-exports it. A local function of the
 * same name does not count.
 */
export function isExportOf(expr: ts.Node, module: string | ((specifier: string) => boolean), exportName: string): boolean {
  const matches = typeof module === "string" ? (m: string) => m === module : module;
  return resolveName(expr).imports.some((step) => step.name === exportName && matches(step.module));
}

/** Follows a symbol through its aliases (imports, re-exports) to what it declares, on the compiler's own symbols. */
function followSymbol(checker: ts.TypeChecker, start: ts.Symbol | undefined): NameResolution {
  const imports: ImportStep[] = [];
  let symbol = start;
  for (let hop = 0; symbol && hop < MAX_ALIAS_HOPS && isAlias(symbol); hop++) {
    const step = importStepOf(symbol.declarations?.[0]);
    if (step) imports.push(step);
    const next = checker.getImmediateAliasedSymbol(symbol);
    if (!next || isUnresolved(next)) {
      return { declaration: undefined, imports, external: step ?? imports[imports.length - 1] };
    }
    symbol = next;
  }
  if (!symbol || isAlias(symbol)) return { declaration: undefined, imports, external: undefined };
  // A namespace import of a repository module resolves to the module itself.
  return { declaration: symbol.valueDeclaration ?? symbol.declarations?.[0], imports, external: undefined };
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

/** The check's checker, for a node of its program. */
export function checkerOf(node: ts.Node): ts.TypeChecker {
  return programOf(node).checker();
}

/** The compiler's symbol for a name or declaration, not followed through aliases. */
export function symbolAt(node: ts.Node): ts.Symbol | undefined {
  // The declaration's bound symbol, else what the checker finds at the node, else at its name.
  const checker = checkerOf(node); // binds the program's files first
  const bound = (node as { symbol?: ts.Symbol }).symbol;
  if (bound) return bound;
  const name = (node as { name?: ts.Node }).name;
  return checker.getSymbolAtLocation(node) ?? (name ? checker.getSymbolAtLocation(name) : undefined);
}

function importStepOf(decl: ts.Declaration | undefined): ImportStep | undefined {
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
  return { module: module.text, name, node: decl };
}
