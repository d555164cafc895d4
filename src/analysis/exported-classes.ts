import { Node, type ClassDeclaration, type ClassExpression, type SourceFile } from "ts-morph";
import type { ServiceContext } from "../engine/context.js";
import type { ReportFn } from "../engine/rule.js";
import { moduleExports } from "./ts/module-exports.js";
import { nodePosition } from "./ts/location.js";
import { resolveName } from "./ts/symbols.js";
import { unwrap } from "./ts/syntax.js";

const unwrapOptional = (node: Node | undefined) => (node ? unwrap(node) : undefined);

/** A class a module exports, however it is exported. */
export interface ExportedClass {
  /** The exported name (`default` for a default export). */
  exportedName: string;
  node: ClassDeclaration | ClassExpression;
}

/** An export whose target lives in another module, so this file alone cannot tell what it is. */
export interface ForeignExport {
  /** The construct as written, e.g. `export { InvoiceRepository } from "./impl"`. */
  construct: string;
  node: Node;
}

export interface ModuleExports {
  classes: ExportedClass[];
  /** Re-exports (`export … from`, `export *`) and exports of imported bindings. */
  foreign: ForeignExport[];
  /** The first export statement or exported declaration, in source order. */
  firstExport: Node | undefined;
}

const cache = new WeakMap<SourceFile, ModuleExports>();

/**
 * The classes a module exports: `export class X`, `export default class`,
 * `export const X = class {}`, `export { X }` / `export { X as Y }` and
 * `export default X` of a class declared in the same file.
 */
export function exportedClasses(file: SourceFile): ModuleExports {
  const hit = cache.get(file);
  if (hit) return hit;

  const localClasses = new Map<string, ClassDeclaration | ClassExpression>();
  const imported = new Set<string>();
  for (const cls of file.getClasses()) {
    const name = cls.getName();
    if (name) localClasses.set(name, cls);
  }
  for (const stmt of file.getVariableStatements()) {
    for (const decl of stmt.getDeclarations()) {
      const init = unwrapOptional(decl.getInitializer());
      if (init && Node.isClassExpression(init)) localClasses.set(decl.getName(), init);
    }
  }
  for (const decl of file.getImportDeclarations()) {
    if (decl.getDefaultImport()) imported.add(decl.getDefaultImport()!.getText());
    if (decl.getNamespaceImport()) imported.add(decl.getNamespaceImport()!.getText());
    for (const spec of decl.getNamedImports()) imported.add(spec.getAliasNode()?.getText() ?? spec.getName());
  }

  const classes: ExportedClass[] = [];
  const foreign: ForeignExport[] = [];
  let firstExport: Node | undefined;
  const sawExport = (node: Node) => {
    if (!firstExport || node.getStart() < firstExport.getStart()) firstExport = node;
  };

  for (const stmt of file.getStatements()) {
    if (Node.isClassDeclaration(stmt) && stmt.hasExportKeyword()) {
      sawExport(stmt);
      classes.push({ exportedName: stmt.hasDefaultKeyword() ? "default" : (stmt.getName() ?? "default"), node: stmt });
    } else if (Node.isVariableStatement(stmt) && stmt.hasExportKeyword()) {
      sawExport(stmt);
      for (const decl of stmt.getDeclarations()) {
        const init = unwrapOptional(decl.getInitializer());
        if (init && Node.isClassExpression(init)) classes.push({ exportedName: decl.getName(), node: init });
      }
    } else if ((Node.isFunctionDeclaration(stmt) || Node.isInterfaceDeclaration(stmt) || Node.isTypeAliasDeclaration(stmt) || Node.isEnumDeclaration(stmt)) && stmt.hasExportKeyword()) {
      sawExport(stmt);
    } else if (Node.isExportDeclaration(stmt)) {
      sawExport(stmt);
      if (stmt.isTypeOnly()) continue;
      const from = stmt.getModuleSpecifierValue();
      if (from !== undefined) {
        foreign.push({ construct: stmt.getText().replace(/\s+/g, " ").replace(/;$/, ""), node: stmt });
        continue;
      }
      for (const spec of stmt.getNamedExports()) {
        if (spec.isTypeOnly()) continue;
        const local = spec.getName();
        const exportedName = spec.getAliasNode()?.getText() ?? local;
        const cls = localClasses.get(local);
        if (cls) classes.push({ exportedName, node: cls });
        else if (imported.has(local)) foreign.push({ construct: `export { ${spec.getText()} }`, node: spec });
      }
    } else if (Node.isExportAssignment(stmt)) {
      sawExport(stmt);
      const expr = unwrapOptional(stmt.getExpression());
      if (expr && Node.isClassExpression(expr)) classes.push({ exportedName: "default", node: expr });
      else if (expr && Node.isIdentifier(expr)) {
        const cls = localClasses.get(expr.getText());
        if (cls) classes.push({ exportedName: "default", node: cls });
        else if (imported.has(expr.getText())) foreign.push({ construct: `export default ${expr.getText()}`, node: stmt });
      }
    }
  }

  const result = { classes, foreign, firstExport };
  cache.set(file, result);
  return result;
}


/** What a file that must export a class (ADR-0037) does export. */
export type ClassExportVerdict =
  | { kind: "class"; classes: ExportedClass[] }
  /** Only re-exports from other modules: cannot be decided from this file. */
  | { kind: "undecidable"; foreign: ForeignExport }
  /** No class at all; `at` is the first export, if there is one. */
  | { kind: "none"; at: Node | undefined };

export function classExportVerdict(file: SourceFile): ClassExportVerdict {
  const exports = exportedClasses(file);
  if (exports.classes.length > 0) return { kind: "class", classes: exports.classes };
  if (exports.foreign.length === 0) return { kind: "none", at: exports.firstExport };
  // Re-exports of repository files are followed through the compiler; only a module outside the repository stays open.
  const reexported = [...moduleExports(file)].flatMap(([exportedName, entry]) =>
    entry.kind === "declared" ? entry.declarations.filter(Node.isClassDeclaration).map((node) => ({ exportedName, node })) : [],
  );
  if (reexported.length > 0) return { kind: "class", classes: reexported };
  const external = exports.foreign.find((f) => leavesRepository(f.node));
  return external ? { kind: "undecidable", foreign: external } : { kind: "none", at: exports.firstExport };
}

/** Whether a re-export's target is outside the repository (or missing), so what it exports cannot be read. */
function leavesRepository(node: Node): boolean {
  if (Node.isExportDeclaration(node)) return node.getModuleSpecifierValue() !== undefined && node.getModuleSpecifierSourceFile() === undefined;
  const name = Node.isExportSpecifier(node) ? node.getNameNode() : Node.isExportAssignment(node) ? node.getExpression() : undefined;
  return name === undefined || resolveName(name).declaration === undefined;
}

/** `invoice.repository.ts` → `InvoiceRepository`, `ledger-entry.service.ts` → `LedgerEntryService`. */
export function classNameForFile(fileName: string): string {
  return fileName
    .replace(/\.ts$/, "")
    .split(/[.\-_]/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

/**
 * Shared check of repository-class-required and service-class-required: every
 * file directly in `folder` (service-relative, e.g. `src/db`) whose name ends in
 * `suffix` must export a class.
 */
export async function reportFilesWithoutClass(
  ctx: ServiceContext,
  report: ReportFn<{ noClass: string; undecidable: string }>,
  folder: string,
  suffix: string,
): Promise<void> {
  const prefix = `${ctx.service.dir}/${folder}/`;
  for (const path of ctx.files) {
    const fileName = path.slice(prefix.length);
    if (!path.startsWith(prefix) || fileName.includes("/") || !fileName.endsWith(suffix)) continue;
    const file = await ctx.sourceFile(path);
    if (!file) continue;
    const relative = `${folder}/${fileName}`;
    const verdict = classExportVerdict(file);
    if (verdict.kind === "undecidable") {
      report({ messageId: "undecidable", severity: "warning", data: { file: relative, construct: verdict.foreign.construct }, path, ...nodePosition(verdict.foreign.node) });
    } else if (verdict.kind === "none") {
      const position = verdict.at ? nodePosition(verdict.at) : { line: 1, column: 1 };
      report({ messageId: "noClass", data: { file: relative, className: classNameForFile(fileName) }, path, ...position });
    }
  }
}
