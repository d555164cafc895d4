import ts from "typescript";
import type { ServiceContext } from "../engine/context.js";
import type { ReportFn } from "../engine/rule.js";
import { moduleExports } from "./ts/module-exports.js";
import { nodePosition } from "./ts/location.js";
import { importedFile } from "./ts/program.js";
import { resolveName } from "./ts/symbols.js";
import { hasModifier, moduleSpecifierText, unwrap, writtenName } from "./ts/syntax.js";

const unwrapOptional = (node: ts.Node | undefined) => (node ? unwrap(node) : undefined);

/** A class a module exports, however it is exported. */
export interface ExportedClass {
  /** The exported name (`default` for a default export). */
  exportedName: string;
  node: ts.ClassDeclaration | ts.ClassExpression;
}

/** An export whose target lives in another module, so this file alone cannot tell what it is. */
export interface ForeignExport {
  /** The construct as written, e.g. `export { InvoiceRepository } from "./impl"`. */
  construct: string;
  node: ts.Node;
}

export interface ModuleExports {
  classes: ExportedClass[];
  /** Re-exports (`export … from`, `export *`) and exports of imported bindings. */
  foreign: ForeignExport[];
  /** The first export statement or exported declaration, in source order. */
  firstExport: ts.Node | undefined;
}

const cache = new WeakMap<ts.SourceFile, ModuleExports>();

/**
 * The classes a module exports: `export class X`, `export default class`,
 * `export const X = class {}`, `export { X }` / `export { X as Y }` and
 * `export default X` of a class declared in the same file.
 */
export function exportedClasses(file: ts.SourceFile): ModuleExports {
  const hit = cache.get(file);
  if (hit) return hit;

  const localClasses = new Map<string, ts.ClassDeclaration | ts.ClassExpression>();
  const imported = new Set<string>();
  for (const stmt of file.statements) {
    if (ts.isClassDeclaration(stmt)) {
      if (stmt.name) localClasses.set(stmt.name.text, stmt);
    } else if (ts.isImportDeclaration(stmt) && stmt.importClause) {
      const { name, namedBindings } = stmt.importClause;
      if (name) imported.add(name.text);
      if (namedBindings && ts.isNamespaceImport(namedBindings)) imported.add(namedBindings.name.text);
      else if (namedBindings) for (const spec of namedBindings.elements) imported.add(spec.name.text);
    }
  }
  // A second pass: where a file (wrongly) declares a name twice, `const X = class {}` wins over `class X`.
  for (const stmt of file.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    for (const decl of stmt.declarationList.declarations) {
      const init = unwrapOptional(decl.initializer);
      if (init && ts.isClassExpression(init)) localClasses.set(writtenName(decl)!, init);
    }
  }

  const classes: ExportedClass[] = [];
  const foreign: ForeignExport[] = [];
  let firstExport: ts.Node | undefined;
  const sawExport = (node: ts.Node) => {
    if (!firstExport || node.getStart() < firstExport.getStart()) firstExport = node;
  };

  for (const stmt of file.statements) {
    if (ts.isClassDeclaration(stmt) && hasModifier(stmt, ts.SyntaxKind.ExportKeyword)) {
      sawExport(stmt);
      classes.push({ exportedName: hasModifier(stmt, ts.SyntaxKind.DefaultKeyword) ? "default" : (stmt.name?.text ?? "default"), node: stmt });
    } else if (ts.isVariableStatement(stmt) && hasModifier(stmt, ts.SyntaxKind.ExportKeyword)) {
      sawExport(stmt);
      for (const decl of stmt.declarationList.declarations) {
        const init = unwrapOptional(decl.initializer);
        if (init && ts.isClassExpression(init)) classes.push({ exportedName: writtenName(decl)!, node: init });
      }
    } else if ((ts.isFunctionDeclaration(stmt) || ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt) || ts.isEnumDeclaration(stmt)) && hasModifier(stmt, ts.SyntaxKind.ExportKeyword)) {
      sawExport(stmt);
    } else if (ts.isExportDeclaration(stmt)) {
      sawExport(stmt);
      if (stmt.isTypeOnly) continue;
      const from = moduleSpecifierText(stmt);
      if (from !== undefined) {
        foreign.push({ construct: stmt.getText().replace(/\s+/g, " ").replace(/;$/, ""), node: stmt });
        continue;
      }
      const specs = stmt.exportClause && ts.isNamedExports(stmt.exportClause) ? stmt.exportClause.elements : [];
      for (const spec of specs) {
        if (spec.isTypeOnly) continue;
        const local = (spec.propertyName ?? spec.name).text;
        const exportedName = spec.name.text;
        const cls = localClasses.get(local);
        if (cls) classes.push({ exportedName, node: cls });
        else if (imported.has(local)) foreign.push({ construct: `export { ${spec.getText()} }`, node: spec });
      }
    } else if (ts.isExportAssignment(stmt)) {
      sawExport(stmt);
      const expr = unwrap(stmt.expression);
      if (ts.isClassExpression(expr)) classes.push({ exportedName: "default", node: expr });
      else if (ts.isIdentifier(expr)) {
        const cls = localClasses.get(expr.text);
        if (cls) classes.push({ exportedName: "default", node: cls });
        else if (imported.has(expr.text)) foreign.push({ construct: `export default ${expr.text}`, node: stmt });
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
  | { kind: "none"; at: ts.Node | undefined };

export function classExportVerdict(file: ts.SourceFile): ClassExportVerdict {
  const exports = exportedClasses(file);
  if (exports.classes.length > 0) return { kind: "class", classes: exports.classes };
  if (exports.foreign.length === 0) return { kind: "none", at: exports.firstExport };
  // Re-exports of repository files are followed through the compiler; only a module outside the repository stays open.
  const reexported = [...moduleExports(file)].flatMap(([exportedName, entry]) =>
    entry.kind === "declared" ? entry.declarations.filter(ts.isClassDeclaration).map((node) => ({ exportedName, node })) : [],
  );
  if (reexported.length > 0) return { kind: "class", classes: reexported };
  const external = exports.foreign.find((f) => leavesRepository(f.node));
  return external ? { kind: "undecidable", foreign: external } : { kind: "none", at: exports.firstExport };
}

/** Whether a re-export's target is outside the repository (or missing), so what it exports cannot be read. */
function leavesRepository(node: ts.Node): boolean {
  if (ts.isExportDeclaration(node)) return moduleSpecifierText(node) !== undefined && importedFile(node) === undefined;
  const name = ts.isExportSpecifier(node) ? (node.propertyName ?? node.name) : ts.isExportAssignment(node) ? node.expression : undefined;
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
