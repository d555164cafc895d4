import ts from "typescript";
import { describe, expect, it } from "vitest";
import { isDefaultExport, isExported, nameOf, returnedExpressions } from "../../src/analysis/ts/syntax.js";
import { resolveName } from "../../src/analysis/ts/symbols.js";
import { callsIn, descendants, descendantsOfKind, firstAncestor, forEachDescendant } from "../../src/analysis/ts/walk.js";
import { DEFAULT_CONFIG } from "../../src/engine/config.js";
import { RepoContext, serviceInfo } from "../../src/engine/context.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { pathsUnder } from "../../src/engine/snapshot.js";

async function fileOf(files: Record<string, string>, path: string) {
  const info = serviceInfo("services", "svc");
  const ctx = new RepoContext(new MemorySnapshot({ files }), DEFAULT_CONFIG, [info], [info], []);
  const file = await ctx.sourceFile(path);
  if (!file) throw new Error(`${path} did not load`);
  return file;
}

/** The reference: the compiler's own recursive walk, in document order. */
function recursiveWalk(root: ts.Node, kind: ts.SyntaxKind): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (node: ts.Node) => {
    if (node.kind === kind) out.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(root, visit);
  return out;
}

const SOURCE = `
import { a } from "./a";
export function outer() {
  const inner = () => a(b(1), c(() => d()));
  return inner();
}
class K { m() { return e(f()); } }
`;

describe("walks over the compiler's nodes", () => {
  it("finds the same nodes as the compiler's recursive walk, in the same (document) order", async () => {
    const file = await fileOf({ "services/svc/src/x.ts": SOURCE, "services/svc/src/a.ts": "export const a = (...x: unknown[]) => x;" }, "services/svc/src/x.ts");
    for (const kind of [ts.SyntaxKind.CallExpression, ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.Identifier, ts.SyntaxKind.ReturnStatement]) {
      const ours = descendantsOfKind(file, kind);
      expect(ours.length).toBeGreaterThan(0);
      // The same node objects: analyses compare nodes by identity (visited sets, declarations).
      expect(ours).toEqual(recursiveWalk(file, kind));
      ours.forEach((node, i) => expect(node).toBe(recursiveWalk(file, kind)[i]));
    }
    expect(descendants(file, ts.isCallExpression).map((c) => c.expression.getText())).toEqual(["a", "b", "c", "d", "inner", "e", "f"]);
  });

  it("walks only below the node it starts from, and skips what the visitor declines", async () => {
    const file = await fileOf({ "services/svc/src/x.ts": SOURCE, "services/svc/src/a.ts": "export const a = 1;" }, "services/svc/src/x.ts");
    const method = descendants(file, ts.isMethodDeclaration)[0]!;
    expect(descendants(method, ts.isCallExpression).map((c) => c.getText())).toEqual(["e(f())", "f()"]);
    expect(descendants(method, ts.isClassDeclaration)).toEqual([]);
    const outsideArrows: string[] = [];
    forEachDescendant(file, (node) => {
      if (ts.isArrowFunction(node)) return false;
      if (ts.isCallExpression(node)) outsideArrows.push(node.expression.getText());
      return undefined;
    });
    expect(outsideArrows).toEqual(["inner", "e", "f"]);
  });

  it("finds the nearest ancestor, never the node itself", async () => {
    const file = await fileOf({ "services/svc/src/x.ts": SOURCE, "services/svc/src/a.ts": "export const a = 1;" }, "services/svc/src/x.ts");
    const d = callsIn(file).find((c) => c.expression.getText() === "d")!;
    expect(firstAncestor(d, ts.isArrowFunction)!.getText()).toBe("() => d()");
    expect(nameOf(firstAncestor(d, ts.isFunctionDeclaration)!)).toBe("outer");
    const arrow = firstAncestor(d, ts.isArrowFunction)!;
    expect(firstAncestor(arrow, ts.isArrowFunction)!.getText()).toMatch(/^\(\) => a\(/);
    expect(firstAncestor(d, ts.isClassDeclaration)).toBeUndefined();
  });

  it("walks a file's calls once and shares the list", async () => {
    const file = await fileOf({ "services/svc/src/x.ts": SOURCE, "services/svc/src/a.ts": "export const a = 1;" }, "services/svc/src/x.ts");
    const first = callsIn(file);
    expect(first).toHaveLength(7);
    expect(callsIn(file)).toBe(first);
  });

  it("resolves a name to the declaration node in another file, once", async () => {
    const file = await fileOf(
      { "services/svc/src/x.ts": `import { helper as h } from "./lib";\nh();`, "services/svc/src/lib.ts": "export function helper() {}" },
      "services/svc/src/x.ts",
    );
    const callee = callsIn(file)[0]!.expression;
    const declaration = resolveName(callee).declaration!;
    expect(declaration.getSourceFile().fileName).toBe("/services/svc/src/lib.ts");
    expect(declaration.kind).toBe(ts.SyntaxKind.FunctionDeclaration);
    // Resolved once, answered from the memo after.
    expect(resolveName(callee)).toBe(resolveName(callee));
    expect(resolveName(callee).imports.map((s) => [s.module, s.name, s.node.getText()])).toEqual([["./lib", "helper", "helper as h"]]);
  });

  it("tells exported and default-exported declarations by keyword or by a later export statement", async () => {
    const file = await fileOf(
      {
        "services/svc/src/x.ts": [
          `export function a() {}`,
          `function b() {}`,
          `function c() {}`,
          `export default function d() {}`,
          `const e = 1;`,
          `export const f = 2;`,
          `function g() {}`,
          `export { b, e as renamed };`,
          ``,
        ].join("\n"),
      },
      "services/svc/src/x.ts",
    );
    const byName = new Map<string, ts.Node>();
    forEachDescendant(file, (node) => {
      if (ts.isFunctionDeclaration(node) || ts.isVariableDeclaration(node)) byName.set(nameOf(node)!, node);
      return undefined;
    });
    expect(["a", "b", "c", "d", "e", "f", "g"].filter((n) => isExported(byName.get(n)!))).toEqual(["a", "b", "d", "e", "f"]);
    expect(["a", "b", "d", "g"].filter((n) => isDefaultExport(byName.get(n)!))).toEqual(["d"]);
    const other = await fileOf({ "services/svc/src/y.ts": `function handler() {}\nexport default handler;\n` }, "services/svc/src/y.ts");
    expect(isDefaultExport(other.statements[0]!)).toBe(true);
  });

  it("returns what a function returns, not what nested functions return", async () => {
    const file = await fileOf({ "services/svc/src/x.ts": `function f(x: boolean) {\n  const g = () => { return 3; };\n  if (x) return 1;\n  return 2;\n}\n` }, "services/svc/src/x.ts");
    const f = file.statements[0] as ts.FunctionDeclaration;
    expect(returnedExpressions(f).map((e) => e.getText())).toEqual(["1", "2"]);
  });
});

describe("folder listings", () => {
  const sorted = ["a/x", "services/a/b.ts", "services/a/src/c.ts", "services/ab/d.ts", "services/b/e.ts", "z"];

  it("lists exactly the paths inside a folder, not a sibling sharing its prefix", () => {
    expect(pathsUnder(sorted, "services/a")).toEqual(["services/a/b.ts", "services/a/src/c.ts"]);
    expect(pathsUnder(sorted, "services/a/")).toEqual(["services/a/b.ts", "services/a/src/c.ts"]);
    expect(pathsUnder(sorted, "services")).toEqual(sorted.slice(1, 5));
  });

  it("lists nothing for a folder that is not there, first or last in order", () => {
    expect(pathsUnder(sorted, "services/c")).toEqual([]);
    expect(pathsUnder(sorted, "0")).toEqual([]);
    expect(pathsUnder(sorted, "zz")).toEqual([]);
    expect(pathsUnder([], "a")).toEqual([]);
  });
});
