import ts from "typescript";
import type { ServiceContext } from "../../engine/context.js";
import { moduleExports } from "../ts/module-exports.js";
import { isFunctionValue } from "../ts/static-objects.js";
import { nodePosition } from "../ts/location.js";
import { constructText, hasModifier, isDefaultExport, isExported, nameOf, topLevelVariable } from "../ts/syntax.js";
import { forEachDescendant } from "../ts/walk.js";

/**
 * A service's SST fragment, `services/<name>/infra.ts` (guide step 6): the
 * function `<camelName>` it exports, as the compiler sees the module's exports.
 */

/** A position inside `infra.ts`. */
export interface InfraAt {
  line: number;
  column: number;
}

/** Repository-relative path of a service's SST fragment. */
export function infraPath(ctx: ServiceContext): string {
  return ctx.path("infra.ts");
}

/** The parsed `services/<name>/infra.ts` (in the check's program), or undefined when it does not exist. */
export function infraSourceFile(ctx: ServiceContext): Promise<ts.SourceFile | undefined> {
  return ctx.sourceFile(infraPath(ctx));
}

const at = (node: ts.Node): InfraAt => nodePosition(node);

export interface InfraFragment {
  path: string;
  /** How `<camelName>` is exported, when it is. */
  fragment?:
    | { kind: "function"; at: InfraAt }
    /** Re-exported from a module outside the repository (or a missing file): its value cannot be read. */
    | { kind: "foreign"; construct: string; at: InfraAt }
    /** Exported under the right name, but not a function this check can see (`export const x = make()`). */
    | { kind: "notFunction"; construct: string; at: InfraAt };
  /** A function named `<camelName>` that is declared but not exported. */
  unexported?: InfraAt;
  /** Functions the file exports under other names, in source order. */
  otherExports: { name: string; at: InfraAt }[];
  /** `export default …`. */
  defaultExport?: InfraAt;
}

/** The fragment function of `infra.ts`; undefined when the file does not exist. */
export function infraFragment(ctx: ServiceContext): Promise<InfraFragment | undefined> {
  return ctx.memo("infra:fragment", async () => {
    const file = await infraSourceFile(ctx);
    if (!file) return undefined;
    return readFragment(file, infraPath(ctx), ctx.service.camelName);
  });
}

/**
 * A top-level function declaration of the file named `name` that has a body
 * (or is ambient): the implementation, not an overload signature.
 */
export function topLevelFunction(file: ts.SourceFile, name: string): ts.FunctionDeclaration | undefined {
  return file.statements.find(
    (s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && (s.body !== undefined || hasModifier(s, ts.SyntaxKind.DeclareKeyword)) && s.name?.text === name,
  );
}

function readFragment(file: ts.SourceFile, path: string, camel: string): InfraFragment {
  const result: InfraFragment = { path, otherExports: [] };
  const exports = moduleExports(file);
  const exported = exports.get(camel);
  if (exported) {
    const anchor = exportSite(file, camel);
    const declaration = exported.kind === "declared" ? exported.declarations[0] : undefined;
    if (!declaration) result.fragment = { kind: "foreign", construct: constructText(anchor), at: at(anchor) };
    else if (isFunctionDeclaration(declaration)) result.fragment = { kind: "function", at: at(anchor) };
    else result.fragment = { kind: "notFunction", construct: constructText(anchor), at: at(anchor) };
  }

  for (const [name, entry] of exports) {
    if (name === camel || name === "default") continue;
    if (entry.kind === "declared" && entry.declarations.some(isFunctionDeclaration)) result.otherExports.push({ name, at: at(exportSite(file, name)) });
  }
  result.otherExports.sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
  if (exports.has("default")) result.defaultExport = at(exportSite(file, "default"));

  if (!result.fragment) {
    const local = topLevelFunction(file, camel) ?? topLevelVariable(file, camel);
    if (local && isFunctionDeclaration(local)) result.unexported = at(ts.isFunctionDeclaration(local) ? (local.name ?? local) : local);
  }
  return result;
}

/** A function, or a variable/default export whose value is one (through constants and helpers that return one). */
function isFunctionDeclaration(node: ts.Node): boolean {
  if (ts.isFunctionDeclaration(node)) return true;
  if (ts.isVariableDeclaration(node)) return isFunctionValue(node.initializer);
  if (ts.isExportAssignment(node)) return isFunctionValue(node.expression);
  return false;
}

/** Where `infra.ts` itself exports `name`: the declaration's name, the export specifier, the `export *`, or the file's start. */
function exportSite(file: ts.SourceFile, name: string): ts.Node {
  for (const stmt of file.statements) {
    if (ts.isFunctionDeclaration(stmt) && isExported(stmt)) {
      const isDefault = isDefaultExport(stmt);
      if (name === "default" && isDefault) return stmt;
      if (!isDefault && stmt.name?.text === name) return stmt.name;
    } else if (ts.isVariableStatement(stmt) && isExported(stmt)) {
      const decl = stmt.declarationList.declarations.find((d) => nameOf(d) === name);
      if (decl) return decl;
    } else if (ts.isExportDeclaration(stmt)) {
      const specs = stmt.exportClause && ts.isNamedExports(stmt.exportClause) ? stmt.exportClause.elements : [];
      // `name` is the exported name (`b` in `export { a as b }`).
      const spec = specs.find((s) => s.name.text === name);
      if (spec) return spec;
    } else if (ts.isExportAssignment(stmt) && name === "default") return stmt;
  }
  // Reached through `export *`: point at the first one.
  return file.statements.find((s) => ts.isExportDeclaration(s) && !(s.exportClause && ts.isNamedExports(s.exportClause))) ?? file.statements[0] ?? file;
}

/** Where to point when something is missing from the fragment: the `new …Service(` call, else the fragment, else line 1. */
export async function infraAnchor(ctx: ServiceContext): Promise<InfraAt> {
  const file = await infraSourceFile(ctx);
  const service = file ? firstServiceConstruction(file) : undefined;
  if (service) return at(service);
  const fragment = await infraFragment(ctx);
  return fragment?.fragment?.at ?? { line: 1, column: 1 };
}

/** The first `new Service(…)` / `new sst.aws.Service(…)` in document order. */
function firstServiceConstruction(file: ts.SourceFile): ts.NewExpression | undefined {
  let found: ts.NewExpression | undefined;
  forEachDescendant(file, (node) => {
    if (found) return false;
    if (ts.isNewExpression(node) && /(^|\.)Service$/.test(node.expression.getText())) found = node;
  });
  return found;
}
