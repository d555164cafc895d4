import ts from "typescript";
import { describe, expect, it } from "vitest";
import { locationOf } from "../../src/analysis/ts/location.js";
import { declarationOf, isExportOf, resolveName } from "../../src/analysis/ts/symbols.js";
import { evaluateString } from "../../src/analysis/ts/values.js";
import { descendants } from "../../src/analysis/ts/walk.js";
import { DEFAULT_CONFIG } from "../../src/engine/config.js";
import { RepoContext, serviceInfo } from "../../src/engine/context.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";

function context(files: Record<string, string>) {
  const info = serviceInfo("services", "svc");
  const reads: string[] = [];
  const snapshot = new MemorySnapshot({ files });
  const read = snapshot.readFile.bind(snapshot);
  snapshot.readFile = (path: string) => {
    reads.push(path);
    return read(path);
  };
  return { ctx: new RepoContext(snapshot, DEFAULT_CONFIG, [info], [info], []), reads };
}

/** The identifier `name` where it is used last in a file (e.g. a call's callee). */
function lastUse(file: ts.SourceFile, name: string): ts.Node {
  const ids = descendants(file, ts.isIdentifier).filter((i) => i.text === name);
  return ids[ids.length - 1]!;
}

/** The expressions of a file's expression statements (`a; ns.b;`), in order. */
function expressions(file: ts.SourceFile): ts.Node[] {
  return file.statements.flatMap((s) => (ts.isExpressionStatement(s) ? [s.expression] : []));
}

const where = (node: ts.Node | undefined) => {
  if (!node) return "nothing";
  const { path, line, column } = locationOf(node);
  return `${path}:${line}:${column}`;
};

describe("one program per check: module resolution", () => {
  it("follows a tsconfig path alias declared in an extended config with comments and trailing commas", async () => {
    const { ctx } = context({
      "tsconfig.base.json": `{\n  // shared\n  "compilerOptions": { "strict": true, },\n}`,
      "services/svc/tsconfig.json": `{ "extends": "../../tsconfig.base.json", /* aliases */ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }`,
      "services/svc/src/lib/create-app.ts": `export function createRouter() { return 1; }\n`,
      "services/svc/src/index.ts": `import { createRouter } from "@/lib/create-app";\ncreateRouter();\n`,
    });
    const file = (await ctx.sourceFile("services/svc/src/index.ts"))!;
    expect(where(declarationOf(lastUse(file, "createRouter")))).toBe("services/svc/src/lib/create-app.ts:1:1");
  });

  it("takes paths from the extended config, relative to the config that declares them", async () => {
    const { ctx } = context({
      "services/svc/tsconfig.base.json": `{ "compilerOptions": { "paths": { "~lib/*": ["src/lib/*"] } } }`,
      "services/svc/tsconfig.json": `{ "extends": "./tsconfig.base.json" }`,
      "services/svc/src/lib/a.ts": `export const A = "a";\n`,
      "services/svc/src/index.ts": `import { A } from "~lib/a";\nA;\n`,
    });
    const file = (await ctx.sourceFile("services/svc/src/index.ts"))!;
    expect(where(declarationOf(lastUse(file, "A")))).toBe("services/svc/src/lib/a.ts:1:14");
  });

  it("resolves package.json `imports` (#x), `.js` specifiers naming .ts files and index folders", async () => {
    const { ctx } = context({
      "services/svc/package.json": `{ "name": "@services/svc", "imports": { "#db/*": "./src/db/*.ts", "#config": { "types": "./src/config/index.ts", "default": "./dist/config/index.js" } } }`,
      "services/svc/src/db/client.ts": `export const db = {};\n`,
      "services/svc/src/config/index.ts": `export const PORT = 8080;\n`,
      "services/svc/src/util/index.ts": `export function helper() {}\n`,
      "services/svc/src/routes.ts": `export const ROUTES = [];\n`,
      "services/svc/src/index.ts": `import { db } from "#db/client";\nimport { PORT } from "#config";\nimport { helper } from "./util";\nimport { ROUTES } from "./routes.js";\ndb; PORT; helper; ROUTES;\n`,
    });
    const file = (await ctx.sourceFile("services/svc/src/index.ts"))!;
    expect(["db", "PORT", "helper", "ROUTES"].map((n) => where(declarationOf(lastUse(file, n))))).toEqual([
      "services/svc/src/db/client.ts:1:14",
      "services/svc/src/config/index.ts:1:14",
      "services/svc/src/util/index.ts:1:1",
      "services/svc/src/routes.ts:1:14",
    ]);
  });

  it("resolves workspace packages by package.json name, reading source for a built entry", async () => {
    const { ctx } = context({
      "pnpm-workspace.yaml": "packages:\n  - services/*\n  - packages/*\n",
      "packages/shared/package.json": `{ "name": "@platform/shared", "exports": { ".": "./dist/index.js", "./paths": "./src/paths.ts" } }`,
      "packages/shared/src/index.ts": `export const SHARED = "x";\n`,
      "packages/shared/src/paths.ts": `export const BASE = "/v1";\n`,
      "services/svc/package.json": `{ "name": "@services/svc" }`,
      "services/svc/src/index.ts": `import { SHARED } from "@platform/shared";\nimport { BASE } from "@platform/shared/paths";\nSHARED; BASE;\n`,
    });
    const file = (await ctx.sourceFile("services/svc/src/index.ts"))!;
    expect(where(declarationOf(lastUse(file, "SHARED")))).toBe("packages/shared/src/index.ts:1:14");
    expect(where(declarationOf(lastUse(file, "BASE")))).toBe("packages/shared/src/paths.ts:1:14");
  });

  it("reads only the files imports reach, never node_modules nor outside the repository", async () => {
    const { ctx, reads } = context({
      "packages/lib/src/index.ts": `import { a } from "./a";\nimport x from "../../../../etc/passwd";\nimport { y } from "left-pad";\nimport { z } from "./node_modules/z";\na;\n`,
      "packages/lib/src/a.ts": `export const a = 1;\n`,
      "packages/lib/src/node_modules/z.ts": `export const z = 1;\n`,
      "packages/lib/src/unrelated.ts": `export const u = 1;\n`,
    });
    await ctx.sourceFile("packages/lib/src/index.ts");
    expect(reads.filter((p) => p.endsWith(".ts")).sort()).toEqual(["packages/lib/src/a.ts", "packages/lib/src/index.ts"]);
  });

  it("loads a service file together with the rest of its service's sources (one batch), never its tests", async () => {
    const { ctx, reads } = context({
      "services/svc/src/index.ts": `export const app = 1;\n`,
      "services/svc/src/routes/a.routes.ts": `export const a = 1;\n`,
      "services/svc/src/routes/a.routes.test.ts": `export const t = 1;\n`,
      "services/svc/tests/unit/a.test.ts": `export const t = 1;\n`,
      "services/other/src/index.ts": `export const o = 1;\n`,
    });
    await ctx.sourceFile("services/svc/src/index.ts");
    expect(reads.filter((p) => p.endsWith(".ts")).sort()).toEqual(["services/svc/src/index.ts", "services/svc/src/routes/a.routes.ts"]);
  });
});

describe("one program per check: names through the compiler's symbols", () => {
  const files = {
    "services/svc/src/routes/tasks.routes.ts": `export const list = { path: "/tasks" };\nexport default function tasksRouter() {}\n`,
    "services/svc/src/routes/index.ts": `export * from "./tasks.routes";\nexport { default as tasks, list as listTasks } from "./tasks.routes";\n`,
    "services/svc/src/index.ts": [
      `import * as routes from "./routes/tasks.routes";`,
      `import { listTasks, tasks } from "./routes";`,
      `import { list as renamed } from "./routes/index.js";`,
      `import router from "./routes/tasks.routes";`,
      `routes.list; listTasks; tasks; renamed; router;`,
      ``,
    ].join("\n"),
  };

  it("follows named, renamed, default and namespace imports and export-star / export-as chains", async () => {
    const { ctx } = context(files);
    const file = (await ctx.sourceFile("services/svc/src/index.ts"))!;
    const uses = expressions(file);
    expect(uses.map((u) => `${u.getText()} → ${where(declarationOf(u))}`)).toEqual([
      "routes.list → services/svc/src/routes/tasks.routes.ts:1:14",
      "listTasks → services/svc/src/routes/tasks.routes.ts:1:14",
      "tasks → services/svc/src/routes/tasks.routes.ts:2:1",
      "renamed → services/svc/src/routes/tasks.routes.ts:1:14",
      "router → services/svc/src/routes/tasks.routes.ts:2:1",
    ]);
  });

  it("names the external module and export when a chain leaves the repository", async () => {
    const { ctx } = context({
      "services/svc/src/auth.ts": `export { requireScope as guard } from "@platform/scopes";\n`,
      "services/svc/src/noop.ts": `export function requireScope(_s: string) { return async (_c: unknown, next: () => Promise<void>) => next(); }\n`,
      "services/svc/src/index.ts": [
        `import * as scopes from "@platform/scopes";`,
        `import { guard } from "./auth";`,
        `import { requireScope as fake } from "./noop";`,
        `scopes.requireScope; guard; fake;`,
        ``,
      ].join("\n"),
    });
    const file = (await ctx.sourceFile("services/svc/src/index.ts"))!;
    const [ns, guard, fake] = expressions(file);
    expect(resolveName(ns!).external).toMatchObject({ module: "@platform/scopes", name: "requireScope" });
    expect(isExportOf(ns!, "@platform/scopes", "requireScope")).toBe(true);
    expect(isExportOf(guard!, "@platform/scopes", "requireScope")).toBe(true);
    expect(isExportOf(fake!, "@platform/scopes", "requireScope")).toBe(false);
    expect(where(declarationOf(fake!))).toBe("services/svc/src/noop.ts:1:1");
  });
});

describe("isExportOf: the export a call names, however it was imported", () => {
  it("finds named, renamed and namespaced calls, and nothing from other modules", async () => {
    const { ctx } = context({
      "services/svc/src/not-scopes.ts": `export function requireScope(_s: string) {}\n`,
      "services/svc/src/index.ts": [
        `import { requireScope } from "@platform/scopes";`,
        `import { requireScope as scope } from "@platform/scopes";`,
        `import * as scopes from "@platform/scopes";`,
        `import { requireScope as other } from "./not-scopes";`,
        `requireScope("a");`,
        `scope("b");`,
        `scopes.requireScope("c");`,
        `other("d");`,
        `scopes.somethingElse("e");`,
        ``,
      ].join("\n"),
    });
    const file = (await ctx.sourceFile("services/svc/src/index.ts"))!;
    const calls = descendants(file, ts.isCallExpression).filter((c) => isExportOf(c.expression, "@platform/scopes", "requireScope"));
    expect(calls.map((c) => `${where(c)} ${c.arguments[0]!.getText()}`)).toEqual([
      'services/svc/src/index.ts:5:1 "a"',
      'services/svc/src/index.ts:6:1 "b"',
      'services/svc/src/index.ts:7:1 "c"',
    ]);
  });
});

describe("value evaluator", () => {
  it("evaluates constants, templates, object and enum members across files", async () => {
    const { ctx } = context({
      "services/svc/src/paths.ts": `export const BASE = "/v1";\nexport const PATHS = { tasks: \`\${BASE}/tasks\` } as const;\nexport enum Kind { Task = "task" }\n`,
      "services/svc/src/index.ts": [
        `import { PATHS, Kind } from "./paths";`,
        `import * as p from "./paths";`,
        `const ID = "/:id";`,
        `PATHS.tasks + ID;`,
        `p.PATHS["tasks"];`,
        `\`/\${Kind.Task}s\`;`,
        ``,
      ].join("\n"),
    });
    const file = (await ctx.sourceFile("services/svc/src/index.ts"))!;
    expect(expressions(file).map((e) => evaluateString(e))).toEqual([{ value: "/v1/tasks/:id" }, { value: "/v1/tasks" }, { value: "/tasks" }]);
  });

  it("names a value from a parameter, from outside the repository or from run time", async () => {
    const { ctx } = context({
      "services/svc/src/index.ts": [
        `import { PREFIX } from "@acme/config";`,
        `export function mount(base: string) { base + "/x"; }`,
        `PREFIX;`,
        `process.env.BASE_PATH;`,
        ``,
      ].join("\n"),
    });
    const file = (await ctx.sourceFile("services/svc/src/index.ts"))!;
    const mount = file.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === "mount")!;
    const inFunction = (mount.body!.statements[0] as ts.ExpressionStatement).expression;
    const messages = [inFunction, ...expressions(file)].map((e) => {
      const result = evaluateString(e);
      return "undecidable" in result ? `${result.undecidable.line}:${result.undecidable.column} ${result.undecidable.construct}` : result.value;
    });
    expect(messages).toEqual([
      '2:39 `base + "/x"` (a function parameter)',
      '3:1 `PREFIX` (imported from "@acme/config")',
      "4:1 `process.env.BASE_PATH` (read at run time)",
    ]);
  });
});
