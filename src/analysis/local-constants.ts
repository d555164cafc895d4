import { Node, SyntaxKind, VariableDeclarationKind, type Expression, type VariableDeclaration } from "ts-morph";

/**
 * Syntax-only helpers to follow a value through the file it is written in:
 * `const X = …` declarations in enclosing scopes, and the wrappers (`as const`,
 * `satisfies`, parentheses) that do not change a value. No type checker.
 */

/** Strips `( )`, `as T`, `satisfies T`, `<T>x`, `x!` and `await`-free wrappers that leave the value as it is. */
export function unwrapExpression(node: Node): Node {
  let current = node;
  for (;;) {
    if (
      Node.isParenthesizedExpression(current) ||
      Node.isAsExpression(current) ||
      Node.isSatisfiesExpression(current) ||
      Node.isNonNullExpression(current) ||
      Node.isTypeAssertion(current)
    ) {
      current = current.getExpression();
    } else return current;
  }
}

/** The text of a property name when it is static (`a`, `"a.b"`, `1`, `["a"]`); undefined for computed names. */
export function staticPropertyName(name: Node): string | undefined {
  if (Node.isIdentifier(name) || Node.isPrivateIdentifier(name)) return name.getText();
  if (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name) || Node.isNumericLiteral(name)) return name.getLiteralText();
  if (Node.isComputedPropertyName(name)) {
    const inner = unwrapExpression(name.getExpression());
    if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner) || Node.isNumericLiteral(inner)) return inner.getLiteralText();
  }
  return undefined;
}

/** The string value of a literal (after unwrapping), or undefined. */
export function stringLiteralValue(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrapExpression(node);
  if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner)) return inner.getLiteralText();
  return undefined;
}

const SCOPES = new Set([SyntaxKind.SourceFile, SyntaxKind.Block, SyntaxKind.ModuleBlock, SyntaxKind.CaseClause, SyntaxKind.DefaultClause]);

/**
 * The `const <name> = …` visible from `from`, searching enclosing blocks
 * outwards. Undefined when the name is a parameter, an import, a `let`/`var`,
 * or not declared in this file (the caller then cannot decide its value).
 */
export function findLocalConst(from: Node, name: string): VariableDeclaration | undefined {
  for (let scope: Node | undefined = from; scope; scope = scope.getParent()) {
    // A parameter of an enclosing function shadows outer constants.
    if (Node.isFunctionLikeDeclaration(scope) || Node.isArrowFunction(scope) || Node.isFunctionExpression(scope)) {
      if (scope.getParameters().some((p) => p.getName() === name)) return undefined;
    }
    if (!SCOPES.has(scope.getKind()) || !Node.isStatemented(scope)) continue;
    for (const stmt of scope.getStatements()) {
      if (!Node.isVariableStatement(stmt)) continue;
      for (const decl of stmt.getDeclarations()) {
        if (!Node.isIdentifier(decl.getNameNode()) || decl.getName() !== name) continue;
        return stmt.getDeclarationKind() === VariableDeclarationKind.Const && decl.getInitializer() ? decl : undefined;
      }
    }
  }
  return undefined;
}

/**
 * Follows identifiers to the initializers of local constants (a few hops), unwrapping
 * `as const`/`satisfies`. Returns the expression the value is written as.
 */
export function resolveLocalValue(expr: Node, hops = 5): Node {
  let current = unwrapExpression(expr);
  for (let i = 0; i < hops && Node.isIdentifier(current); i++) {
    const decl = findLocalConst(current, current.getText());
    const init = decl?.getInitializer();
    if (!init) break;
    current = unwrapExpression(init);
  }
  return current;
}

/** The expression of a property (`a: x` → x, shorthand `a` → the identifier `a`). */
export function propertyValue(prop: Node): Expression | undefined {
  if (Node.isPropertyAssignment(prop)) return prop.getInitializer();
  if (Node.isShorthandPropertyAssignment(prop)) return prop.getNameNode();
  return undefined;
}

/** The property name of an object-literal member, when static. */
export function memberName(prop: Node): string | undefined {
  if (Node.isPropertyAssignment(prop) || Node.isShorthandPropertyAssignment(prop) || Node.isMethodDeclaration(prop)) {
    return staticPropertyName(prop.getNameNode());
  }
  return undefined;
}

/** One line of source text for messages: whitespace collapsed, cut when long. */
export function constructText(node: Node, max = 80): string {
  const text = node.getText().replace(/\s+/g, " ").trim().replace(/;$/, "");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
