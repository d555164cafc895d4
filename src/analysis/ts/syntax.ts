import ts from "typescript";
import { programOf } from "./program.js";
import { forEachDescendant } from "./walk.js";

/** Strips `( )`, `as T`, `satisfies T`, `<T>x`, `x!` and `await`: wrappers that leave the value as it is. */
export function unwrap(node: ts.Node): ts.Node {
  return skipOuterExpressions(node as ts.Expression);
}

/** {@link unwrap} typed for expressions. */
export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isTypeAssertionExpression(current) ||
    ts.isAwaitExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** A function with a body: declaration, expression, arrow, method or constructor. */
export type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration | ts.ConstructorDeclaration;

export function isFunctionLike(node: ts.Node): node is FunctionLike {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node);
}

/** The text of a property name when it is static (`a`, `"a.b"`, `1`, `["a"]`); undefined for computed names. */
export function staticPropertyName(name: ts.Node): string | undefined {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const inner = unwrap(name.expression);
    if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner) || ts.isNumericLiteral(inner)) return inner.text;
  }
  return undefined;
}

/**
 * The name a declaration is declared under (`function f`, `const f`, `class C`,
 * `m() {}`, `"a.b": 1` → `a.b`); undefined for a computed name, a binding
 * pattern or a declaration without a name.
 */
export function nameOf(node: ts.Node): string | undefined {
  const name = (node as { name?: ts.Node }).name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  return undefined;
}

/**
 * A declaration's name as written: an identifier's text, otherwise its source
 * (`"a"` with its quotes, `[k]`, a binding pattern). How messages name it and
 * how calls are matched to it.
 */
export function writtenName(node: ts.Node): string | undefined {
  const name = (node as { name?: ts.Node }).name;
  if (!name) return undefined;
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) ? name.text : name.getText();
}

/** `const|let|var NAME` among a file's own statements. */
export function topLevelVariable(file: ts.SourceFile, name: string): ts.VariableDeclaration | undefined {
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const found = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
    if (found) return found;
  }
  return undefined;
}

/** `undefined`, `null` or `void …`: a value that is no value. */
export function isNothing(node: ts.Node): boolean {
  return (ts.isIdentifier(node) && node.text === "undefined") || node.kind === ts.SyntaxKind.NullKeyword || ts.isVoidExpression(node);
}

/** Whether a variable is declared with `const` (not `let`, `var`, `using`). */
export function isConstDeclaration(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.Const;
}

/** Whether a node carries a modifier keyword (`export`, `default`, `static`, `async`, `readonly`…). */
export function hasModifier(node: ts.Node, kind: ts.ModifierSyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

/** In a declaration file or under `declare` (`declare class`, `declare module`): declarations there have no bodies. */
export function isAmbient(node: ts.Node): boolean {
  if (node.getSourceFile().isDeclarationFile) return true;
  for (let current: ts.Node | undefined = node; current; current = current.parent) if (hasModifier(current, ts.SyntaxKind.DeclareKeyword)) return true;
  return false;
}

/**
 * Whether a class member is what a call runs: a method or constructor with a
 * body, an abstract one, or any in ambient code; never an overload signature.
 */
export function isImplementation(member: ts.Node): boolean {
  if (!ts.isMethodDeclaration(member) && !ts.isConstructorDeclaration(member)) return true;
  return member.body !== undefined || hasModifier(member, ts.SyntaxKind.AbstractKeyword) || isAmbient(member);
}

/** The `export` keyword on a declaration (for a variable, on its statement). */
export function hasExportKeyword(node: ts.Node): boolean {
  const target = ts.isVariableDeclaration(node) && ts.isVariableDeclarationList(node.parent) ? node.parent.parent : node;
  return hasModifier(target, ts.SyntaxKind.ExportKeyword);
}

/**
 * Whether a top-level declaration is exported from its module: the `export`
 * keyword, or named in `export { x }` / `export default x` of its file.
 */
export function isExported(node: ts.Node): boolean {
  if (hasExportKeyword(node)) return true;
  return exportedNamesOf(node).length > 0;
}

/** Whether a declaration is its module's default export (`export default function f`, or `export default f`). */
export function isDefaultExport(node: ts.Node): boolean {
  if (hasModifier(node, ts.SyntaxKind.ExportKeyword) && hasModifier(node, ts.SyntaxKind.DefaultKeyword)) return true;
  return exportedNamesOf(node).includes("default");
}

/** The names a top-level declaration is exported under by other statements of its file (`export { x as y }`, `export default x`). */
function exportedNamesOf(node: ts.Node): string[] {
  const file = node.getSourceFile();
  const name = (node as { name?: ts.Node }).name;
  const topLevel = ts.isVariableDeclaration(node) ? node.parent.parent?.parent === file : node.parent === file;
  if (!name || !ts.isIdentifier(name) || !topLevel) return [];
  const checker = programOf(node).checker();
  const own = checker.getSymbolAtLocation(name);
  const moduleSymbol = checker.getSymbolAtLocation(file);
  if (!own || !moduleSymbol) return [];
  return checker
    .getExportsOfModule(moduleSymbol)
    .filter((exported) => exported !== own && (exported.flags & ts.SymbolFlags.Alias) !== 0 && checker.getImmediateAliasedSymbol(exported) === own)
    .map((exported) => exported.name);
}

/** The module an import or re-export names (`"./x.js"` → `./x.js`); undefined for `export { a }`. */
export function moduleSpecifierText(decl: ts.ImportDeclaration | ts.ExportDeclaration): string | undefined {
  const spec = decl.moduleSpecifier;
  return spec && ts.isStringLiteralLike(spec) ? spec.text : undefined;
}

/** One line of source text for messages: whitespace collapsed, cut when long. */
export function constructText(node: ts.Node, max = 80): string {
  return shortText(node.getText(), max);
}

export function shortText(text: string, max = 80): string {
  const one = text.replace(/\s+/g, " ").trim().replace(/;$/, "");
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** The expressions a function returns (an arrow's expression body; `return x` outside nested functions). */
export function returnedExpressions(fn: FunctionLike): ts.Expression[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body];
  const out: ts.Expression[] = [];
  forEachDescendant(body, (node) => {
    if (isFunctionLike(node)) return false;
    if (ts.isReturnStatement(node) && node.expression) out.push(node.expression);
    return undefined;
  });
  return out;
}
