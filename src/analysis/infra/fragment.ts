import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import type { ServiceContext } from "../../engine/context.js";
import { moduleExports } from "../ts/module-exports.js";
import { isFunctionValue } from "../ts/static-objects.js";
import { nodePosition } from "../ts/location.js";
import { constructText } from "../ts/syntax.js";
import { descendantsOfKind } from "../ts/walk.js";

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
export function infraSourceFile(ctx: ServiceContext): Promise<SourceFile | undefined> {
  return ctx.sourceFile(infraPath(ctx));
}

const at = (node: Node): InfraAt => nodePosition(node);

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

function readFragment(file: SourceFile, path: string, camel: string): InfraFragment {
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
    const local = file.getFunction(camel) ?? file.getVariableDeclaration(camel);
    if (local && isFunctionDeclaration(local)) result.unexported = at(Node.isFunctionDeclaration(local) ? (local.getNameNode() ?? local) : local);
  }
  return result;
}

/** A function, or a variable/default export whose value is one (through constants and helpers that return one). */
function isFunctionDeclaration(node: Node): boolean {
  if (Node.isFunctionDeclaration(node)) return true;
  if (Node.isVariableDeclaration(node)) return isFunctionValue(node.getInitializer());
  if (Node.isExportAssignment(node)) return isFunctionValue(node.getExpression());
  return false;
}

/** Where `infra.ts` itself exports `name`: the declaration's name, the export specifier, the `export *`, or the file's start. */
function exportSite(file: SourceFile, name: string): Node {
  for (const stmt of file.getStatements()) {
    if (Node.isFunctionDeclaration(stmt) && stmt.isExported()) {
      if (name === "default" && stmt.isDefaultExport()) return stmt;
      if (!stmt.isDefaultExport() && stmt.getName() === name) return stmt.getNameNode() ?? stmt;
    } else if (Node.isVariableStatement(stmt) && stmt.isExported()) {
      const decl = stmt.getDeclarations().find((d) => d.getName() === name);
      if (decl) return decl;
    } else if (Node.isExportDeclaration(stmt)) {
      const spec = stmt.getNamedExports().find((s) => (s.getAliasNode()?.getText() ?? s.getName()) === name);
      if (spec) return spec;
    } else if (Node.isExportAssignment(stmt) && name === "default") return stmt;
  }
  // Reached through `export *`: point at the first one.
  return file.getExportDeclarations().find((d) => !d.hasNamedExports()) ?? file.getFirstChild() ?? file;
}

/** Where to point when something is missing from the fragment: the `new …Service(` call, else the fragment, else line 1. */
export async function infraAnchor(ctx: ServiceContext): Promise<InfraAt> {
  const file = await infraSourceFile(ctx);
  const service = (file ? descendantsOfKind(file, SyntaxKind.NewExpression) : []).find((n) => /(^|\.)Service$/.test(n.getExpression().getText()));
  if (service) return at(service);
  const fragment = await infraFragment(ctx);
  return fragment?.fragment?.at ?? { line: 1, column: 1 };
}
