import { SyntaxKind } from "ts-morph";
import { describe, expect, it } from "vitest";
import { resolveName } from "../../src/analysis/ts/symbols.js";
import { callsIn, descendantsOfKind, wrapNode } from "../../src/analysis/ts/walk.js";
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

const SOURCE = `
import { a } from "./a";
export function outer() {
  const inner = () => a(b(1), c(() => d()));
  return inner();
}
class K { m() { return e(f()); } }
`;

describe("walks over the compiler's nodes", () => {
  it("finds the same nodes as ts-morph, in the same (document) order, as the same wrappers", async () => {
    const file = await fileOf({ "services/svc/src/x.ts": SOURCE, "services/svc/src/a.ts": "export const a = (...x: unknown[]) => x;" }, "services/svc/src/x.ts");
    for (const kind of [SyntaxKind.CallExpression, SyntaxKind.ArrowFunction, SyntaxKind.Identifier, SyntaxKind.ReturnStatement]) {
      const ours = descendantsOfKind(file, kind);
      const theirs = file.getDescendantsOfKind(kind);
      expect(ours.map((n) => n.getText())).toEqual(theirs.map((n) => n.getText()));
      // One wrapper per node: analyses compare nodes by identity (visited sets, declarations).
      ours.forEach((node, i) => expect(node).toBe(theirs[i]));
    }
    expect(descendantsOfKind(file, SyntaxKind.CallExpression).map((c) => c.getExpression().getText())).toEqual(["a", "b", "c", "d", "inner", "e", "f"]);
  });

  it("walks only below the node it starts from", async () => {
    const file = await fileOf({ "services/svc/src/x.ts": SOURCE, "services/svc/src/a.ts": "export const a = 1;" }, "services/svc/src/x.ts");
    const method = descendantsOfKind(file, SyntaxKind.MethodDeclaration)[0]!;
    expect(descendantsOfKind(method, SyntaxKind.CallExpression).map((c) => c.getText())).toEqual(["e(f())", "f()"]);
    expect(descendantsOfKind(method, SyntaxKind.ClassDeclaration)).toEqual([]);
  });

  it("walks a file's calls once and shares the list", async () => {
    const file = await fileOf({ "services/svc/src/x.ts": SOURCE, "services/svc/src/a.ts": "export const a = 1;" }, "services/svc/src/x.ts");
    const first = callsIn(file);
    expect(first).toHaveLength(7);
    expect(callsIn(file)).toBe(first);
  });

  it("wraps a node of another file as that file's node, and resolves a name to the declaration there", async () => {
    const file = await fileOf(
      { "services/svc/src/x.ts": `import { helper as h } from "./lib";\nh();`, "services/svc/src/lib.ts": "export function helper() {}" },
      "services/svc/src/x.ts",
    );
    const callee = callsIn(file)[0]!.getExpression();
    const declaration = resolveName(callee).declaration!;
    expect(declaration.getSourceFile().getFilePath()).toBe("/services/svc/src/lib.ts");
    expect(declaration.getKind()).toBe(SyntaxKind.FunctionDeclaration);
    expect(wrapNode(callee, declaration.compilerNode)).toBe(declaration);
    // Resolved once, answered from the memo after.
    expect(resolveName(callee)).toBe(resolveName(callee));
    expect(resolveName(callee).imports.map((s) => [s.module, s.name, s.node.getText()])).toEqual([["./lib", "helper", "helper as h"]]);
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
