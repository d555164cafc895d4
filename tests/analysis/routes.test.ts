import { describe, expect, it } from "vitest";
import { patternMatchesPath, serviceRoutes, type ServiceRoutes } from "../../src/analysis/hono/routes.js";
import { DEFAULT_CONFIG, parseConfig, type Config } from "../../src/engine/config.js";
import { RepoContext, serviceInfo } from "../../src/engine/context.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { starterService } from "../helpers/hono-services.js";

const SRC = "services/svc/src";

async function extract(files: Record<string, string>, name = "svc", config: Config = DEFAULT_CONFIG): Promise<ServiceRoutes> {
  const info = serviceInfo("services", name);
  const ctx = new RepoContext(new MemorySnapshot({ files }), config, [info], [info], []).forService(info);
  return serviceRoutes(ctx);
}

/** `src/<file>` → contents, for a service called svc. */
function service(src: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(src).map(([p, text]) => [`${SRC}/${p}`, text]));
}

/** One line per route: method, full path, typed or plain, scope verdict, registration position. */
function summary(result: ServiceRoutes): string[] {
  return result.routes.map((r) => {
    const path = "value" in r.path ? r.path.value : `?(${r.path.undecidable.construct})`;
    const scope = r.scope.covered ? "scoped" : r.scope.undecidable.length ? `undecidable(${r.scope.undecidable[0]!.construct})` : "unscoped";
    return `${r.method ?? "?"} ${path} ${r.typed ? "typed" : "plain"} ${scope} @${r.at.path.replace(`${SRC}/`, "")}:${r.at.line}:${r.at.column}`;
  });
}

const HEADER = `import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { Hono } from "hono";
import { SCOPES, requireScope } from "@platform/scopes";
`;
const route = (method: string, path: string, extra = "") =>
  `createRoute({ method: "${method}", path: "${path}",${extra} responses: { 200: { description: "OK" } } })`;

describe("route extraction on the example monorepo", () => {
  it("billing-ledger: app.route(\"/v1\", createInvoiceRoutes()) prefixes routes AND the app.use pattern", async () => {
    const result = await extract(exampleFiles(), "billing-ledger");
    expect(summary(result).map((l) => l.replace("services/billing-ledger/src/", ""))).toEqual([
      "get /healthz typed unscoped @routes/health.routes.ts:5:3",
      "get /v1/invoices typed scoped @routes/invoices.routes.ts:25:3",
      "post /v1/invoices typed scoped @routes/invoices.routes.ts:35:3",
      "get /v1/invoices/:id typed scoped @routes/invoices.routes.ts:47:3",
    ]);
    expect(result.routes.map((r) => r.displayPath)).toEqual(["/healthz", "/v1/invoices", "/v1/invoices", "/v1/invoices/{id}"]);
    expect(result.entryApp).toEqual({ path: "services/billing-ledger/src/index.ts", line: 11, column: 13 });
    expect(result.opaque).toEqual([]);
  });

  it("notifications: chained .openapi/.route, basePath, renamed and namespaced requireScope, handler chain", async () => {
    const result = await extract(exampleFiles(), "notifications");
    expect(summary(result).map((l) => l.replace("services/notifications/src/", ""))).toEqual([
      "get /healthz typed unscoped @index.ts:11:3",
      "get /v1/notifications/deliveries typed scoped @routes/deliveries.routes.ts:25:5",
      "post /v1/notifications/deliveries/:deliveryId/retry typed scoped @routes/deliveries.routes.ts:26:5",
    ]);
  });
});

describe("route extraction shapes", () => {
  it("app.use covers only routes registered after it, with Hono's wildcard semantics", async () => {
    const files = service({
      "index.ts": `${HEADER}
const app = new OpenAPIHono();
app.openapi(${route("get", "/v1/x")}, (c) => c.json({}));
app.use("/v1/x/*", requireScope(SCOPES.X));
app.openapi(${route("get", "/v1/x")}, (c) => c.json({}));
app.openapi(${route("get", "/v1/x/{id}")}, (c) => c.json({}));
app.openapi(${route("get", "/v1/xy")}, (c) => c.json({}));
`,
    });
    expect(summary(await extract(files))).toEqual([
      "get /v1/x typed unscoped @index.ts:6:1",
      "get /v1/x typed scoped @index.ts:8:1",
      "get /v1/x/:id typed scoped @index.ts:9:1",
      "get /v1/xy typed unscoped @index.ts:10:1",
    ]);
  });

  it("app.use(mw) without a path covers everything after it; plain Hono methods, app.on and app.all", async () => {
    const files = service({
      "index.ts": `${HEADER}
const app = new Hono();
app.get("/public", (c) => c.text("hi"));
app.use(requireScope(SCOPES.ANY));
app.post("/a/:id{[0-9]+}", (c) => c.text("a"));
app.on(["PUT", "PATCH"], "/b", (c) => c.text("b"));
app.all("/c", (c) => c.text("c"));
`,
    });
    expect(summary(await extract(files))).toEqual([
      "get /public plain unscoped @index.ts:6:1",
      "post /a/:id{[0-9]+} plain scoped @index.ts:8:1",
      "put /b plain scoped @index.ts:9:1",
      "patch /b plain scoped @index.ts:9:1",
      "all /c plain scoped @index.ts:10:1",
    ]);
  });

  it("follows sub-apps from other files, their own middleware, and the order of mounts", async () => {
    const files = service({
      "index.ts": `${HEADER}
import { ordersRoutes } from "./routes";
import * as more from "./routes/more.routes";
const app = new OpenAPIHono().basePath("/api");
app.route("/early", more.moreRoutes());
app.use("/v2/*", requireScope(SCOPES.ALL));
app.route("/v2", ordersRoutes());
app.route("/late", more.moreRoutes());
`,
      "routes/index.ts": `export * from "./orders.routes";\n`,
      "routes/orders.routes.ts": `${HEADER}
export const ordersRoutes = () => {
  const orders = new OpenAPIHono();
  orders.openapi(${route("get", "/orders")}, (c) => c.json([]));
  return orders;
};
`,
      "routes/more.routes.ts": `${HEADER}
export function moreRoutes() {
  const app = new OpenAPIHono();
  app.use("/own/*", requireScope(SCOPES.OWN));
  app.openapi(${route("get", "/own/thing")}, (c) => c.json({}));
  app.openapi(${route("get", "/v2/other")}, (c) => c.json({}));
  return app;
}
`,
    });
    expect(summary(await extract(files))).toEqual([
      "get /api/early/own/thing typed scoped @routes/more.routes.ts:8:3",
      "get /api/early/v2/other typed unscoped @routes/more.routes.ts:9:3",
      "get /api/v2/orders typed scoped @routes/orders.routes.ts:7:3",
      "get /api/late/own/thing typed scoped @routes/more.routes.ts:8:3",
      "get /api/late/v2/other typed unscoped @routes/more.routes.ts:9:3",
    ]);
  });

  it("reads createRoute from a variable, from another file of the service, and follows register(app) functions", async () => {
    const files = service({
      "index.ts": `${HEADER}
import { registerAdmin } from "./routes/admin.routes";
import { getThing } from "./routes/defs";
const BASE = "/v1/things";
const app = new OpenAPIHono();
const readScope = requireScope(SCOPES.READ);
app.use("/v1/things/*", readScope);
app.openapi(getThing, (c) => c.json({}));
app.openapi({ method: "delete", path: \`\${BASE}/{id}\`, middleware: [readScope], responses: {} }, (c) => c.json({}));
registerAdmin(app);
`,
      "routes/defs.ts": `import { createRoute } from "@hono/zod-openapi";\nexport const getThing = createRoute({ method: "get", path: "/v1/things/{id}", responses: {} });\n`,
      "routes/admin.routes.ts": `${HEADER}
export function registerAdmin(app: OpenAPIHono) {
  app.openapi(${route("post", "/admin/reindex", " middleware: [requireScope(SCOPES.ADMIN)],")}, (c) => c.json({}));
}
`,
    });
    expect(summary(await extract(files))).toEqual([
      "get /v1/things/:id typed scoped @index.ts:11:1",
      "delete /v1/things/:id typed scoped @index.ts:12:1",
      "post /admin/reindex typed scoped @routes/admin.routes.ts:6:3",
    ]);
  });

  it("names what it cannot decide: a path and a middleware from another package, an unreadable mount, a callback", async () => {
    const files = service({
      "index.ts": `${HEADER}
import { PREFIX } from "@platform/paths";
import { authz } from "@platform/auth";
import { healthRoutes } from "@platform/health";
const app = new OpenAPIHono();
app.openapi(${route("get", "/v1/a").replace('"/v1/a"', "`${PREFIX}/a`")}, (c) => c.json({}));
app.get("/v1/b", authz, (c) => c.text("b"));
app.route("/", healthRoutes());
queueMicrotask(() => app.get("/v1/c", (c) => c.text("c")));
`,
    });
    const result = await extract(files);
    expect(summary(result)).toEqual([
      "get ?(the template literal `${PREFIX}/a` (imported from \"@platform/paths\")) typed undecidable(the template literal `${PREFIX}/a` (imported from \"@platform/paths\")) @index.ts:9:1",
      'get /v1/b plain undecidable(`authz` (imported from "@platform/auth")) @index.ts:10:1',
    ]);
    expect(result.opaque.map((u) => `${u.line}:${u.column} ${u.construct}`)).toEqual([
      '11:16 the app `healthRoutes()` (imported from "@platform/health") mounted by `app.route(…)`',
      "12:22 the route registration `app.get(…)` inside a callback the checker does not follow",
    ]);
  });

  it("treats a conditional scope as undecidable and a local wrapper around requireScope as a scope", async () => {
    const files = service({
      "index.ts": `${HEADER}
const scoped = (s: string) => requireScope(s);
const app = new OpenAPIHono();
app.get("/a", process.env.X ? requireScope(SCOPES.A) : (c, next) => next(), (c) => c.text("a"));
app.get("/b", scoped(SCOPES.B), (c) => c.text("b"));
`,
    });
    expect(summary(await extract(files))).toEqual([
      "get /a plain undecidable(the conditional middleware `process.env.X ? requireScope(SCOPES.A) : (c, next) => next()`) @index.ts:7:1",
      "get /b plain scoped @index.ts:8:1",
    ]);
  });

  it("analyses route files that the entry does not reach, as if mounted at /", async () => {
    const files = service({
      "index.ts": `${HEADER}\nconst app = new OpenAPIHono();\n`,
      "routes/orphan.routes.ts": `${HEADER}\nexport function orphanRoutes() {\n  return new OpenAPIHono().openapi(${route("get", "/orphan")}, (c) => c.json({}));\n}\n`,
    });
    expect(summary(await extract(files))).toEqual(["get /orphan typed unscoped @routes/orphan.routes.ts:6:27"]);
  });
});

describe("real composition: the starter layout", () => {
  it("finds namespace-imported routes behind a path alias in an app only handed to serve(), unprotected, at their registration", async () => {
    const result = await extract(starterService());
    expect(summary(result)).toEqual([
      "get /healthz typed unscoped @routes/health.route.ts:4:30",
      "get /notes typed unscoped @routes/notes/notes.index.ts:6:3",
      "get /notes/:id typed unscoped @routes/notes/notes.index.ts:7:3",
    ]);
    // zod's .openapi() metadata registers nothing and is no cause for doubt.
    expect(result.opaque).toEqual([]);
  });

  it("counts middleware: [requireScope(…)] in the namespace-imported route definitions", async () => {
    const result = await extract(starterService("\n  middleware: [requireScope(SCOPES.READ_NOTES)] as const,"));
    expect(summary(result).slice(1)).toEqual([
      "get /notes typed scoped @routes/notes/notes.index.ts:6:3",
      "get /notes/:id typed scoped @routes/notes/notes.index.ts:7:3",
    ]);
  });
});

describe("real composition: entries, mounts and classes", () => {
  it("mounts a default-export sub-app at /oauth, from a class method, behind `export default { fetch }`", async () => {
    const files = service({
      "index.ts": `import { Server } from "./server";
const server = new Server();
export default { fetch: server.app.fetch };
`,
      "server.ts": `import { OpenAPIHono } from "@hono/zod-openapi";
import oauthRouter from "./oauth/router";

export class Server {
  readonly app = new OpenAPIHono();

  constructor() {
    this.mountRoutes();
  }

  private mountRoutes() {
    this.app.route("/oauth", oauthRouter);
  }
}
`,
      "oauth/router.ts": `${HEADER}
const app = new OpenAPIHono();
app.openapi(${route("post", "/token", " middleware: [requireScope(SCOPES.OAUTH)],")}, (c) => c.json({}));
app.get("/authorize", (c) => c.redirect("/"));
export default app;
`,
    });
    const result = await extract(files);
    expect(summary(result)).toEqual(["post /oauth/token typed scoped @oauth/router.ts:6:1", "get /oauth/authorize plain unscoped @oauth/router.ts:7:1"]);
    expect(result.opaque).toEqual([]);
  });

  it("follows apps assigned in a constructor, held in a static field, or made by subclassing OpenAPIHono", async () => {
    const files = service({
      "index.ts": `${HEADER}
import { Api } from "./api";
import { Registry } from "./registry";
class Server {
  app: OpenAPIHono;
  constructor() {
    this.app = new OpenAPIHono();
    this.app.get("/health", (c) => c.text("ok"));
    this.app.route("/api", new Api());
    this.app.route("/shared", Registry.shared);
  }
}
let fallback;
fallback = new Hono();
fallback.post("/late", requireScope(SCOPES.WRITE), (c) => c.text(""));
export default new Server().app;
`,
      "api.ts": `${HEADER}
export class Api extends OpenAPIHono {
  constructor() {
    super();
    this.openapi(${route("get", "/invoices")}, (c) => c.json([]));
    this.delete("/invoices/:id", (c) => c.body(null, 204));
  }
}
`,
      "registry.ts": `${HEADER}
export class Registry {
  static shared = new OpenAPIHono();
}
Registry.shared.get("/items", (c) => c.json([]));
`,
    });
    // In the order the module runs them: the top-level registration first, then the constructor's.
    expect(summary(await extract(files))).toEqual([
      "post /late plain scoped @index.ts:18:1",
      "get /health plain unscoped @index.ts:11:5",
      "get /api/invoices typed unscoped @api.ts:8:5",
      "delete /api/invoices/:id plain unscoped @api.ts:9:5",
      "get /shared/items plain unscoped @registry.ts:8:1",
    ]);
  });

  it("reads { path, router } entries written with quoted keys, and a renamed destructuring", async () => {
    const files = service({
      "index.ts": `${HEADER}
import billing from "./billing.routes";
const app = new OpenAPIHono();
const mounts = [{ "path": "/billing", "router": billing }];
for (const { path: prefix, "router": sub } of mounts) app.route(prefix, sub);
export default app;
`,
      "billing.routes.ts": `${HEADER}
export default new OpenAPIHono().openapi(${route("get", "/invoices")}, (c) => c.json([]));
`,
    });
    expect(summary(await extract(files))).toEqual(["get /billing/invoices typed unscoped @billing.routes.ts:5:33"]);
  });

  it("follows for…of over { path, router } entries and an exported buildApp nothing in the service calls", async () => {
    const files = service({
      "index.ts": `export { buildApp } from "./app";
`,
      "app.ts": `${HEADER}
import billing from "./billing.routes";
import reports from "./reports.routes";

export function buildApp() {
  const app = new OpenAPIHono().basePath("/api");
  const mounts = [
    { path: "/billing", router: billing },
    { path: "/reports", router: reports },
  ];
  for (const { path, router } of mounts) app.route(path, router);
  return app;
}
`,
      "billing.routes.ts": `${HEADER}
export default new OpenAPIHono().openapi(${route("get", "/invoices")}, (c) => c.json([]));
`,
      "reports.routes.ts": `${HEADER}
const reports = new OpenAPIHono();
reports.get("/daily", requireScope(SCOPES.REPORTS), (c) => c.json([]));
export default reports;
`,
    });
    expect(summary(await extract(files))).toEqual([
      "get /api/billing/invoices typed unscoped @billing.routes.ts:5:33",
      "get /api/reports/daily plain scoped @reports.routes.ts:6:1",
    ]);
  });

  it("reads route definitions through a local wrapper around createRoute, substituting the call's arguments", async () => {
    const files = service({
      "lib/define-route.ts": `import { createRoute } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";

export const defineRoute = ({ guard, ...config }: { guard: MiddlewareHandler; method: string; path: string }) =>
  createRoute({ ...config, middleware: [guard], responses: { 200: { description: "OK" } } } as any);

export function openRoute(method: string, path: string) {
  return createRoute({ method, path, responses: { 200: { description: "OK" } } } as any);
}
`,
      "index.ts": `${HEADER}
import { defineRoute, openRoute } from "./lib/define-route";
const app = new OpenAPIHono();
app.openapi(defineRoute({ method: "delete", path: "/v1/items/{id}", guard: requireScope(SCOPES.WRITE) }), (c) => c.json({}));
app.openapi(openRoute("get", "/v1/items"), (c) => c.json([]));
`,
    });
    expect(summary(await extract(files))).toEqual(["delete /v1/items/:id typed scoped @index.ts:7:1", "get /v1/items typed unscoped @index.ts:8:1"]);
  });

  it("takes a handler chain whose last function calls next() for middleware, not an endpoint", async () => {
    const files = service({
      "index.ts": `${HEADER}
const app = new Hono();
app.get("/v1/*", async (c, next) => {
  c.header("x-api", "1");
  await next();
});
app.all("/v1/admin/*", requireScope(SCOPES.ADMIN));
app.get("/v1/admin/users", (c) => c.json([]));
app.get("/v1/public", (c) => c.json([]));
`,
    });
    expect(summary(await extract(files))).toEqual(["get /v1/admin/users plain scoped @index.ts:11:1", "get /v1/public plain unscoped @index.ts:12:1"]);
  });
});

describe("real composition: middleware by method, route tables as a default export", () => {
  it("takes app.on(methods, pattern, requireScope(…)) for middleware on those methods, not for routes", async () => {
    const files = service({
      "index.ts": `${HEADER}
const app = new Hono();
app.on(["GET", "HEAD"], "/reports/*", requireScope(SCOPES.READ_REPORTS));
app.get("/reports/daily", (c) => c.text("d"));
app.post("/reports/daily", (c) => c.text("p"));
export default app;
`,
    });
    expect(summary(await extract(files))).toEqual(["get /reports/daily plain scoped @index.ts:7:1", "post /reports/daily plain unscoped @index.ts:8:1"]);
  });

  it("runs a controller's register(app) with the app the entry passes, after the app.use before it (held in a const or called on the new instance)", async () => {
    const files = service({
      "users.controller.ts": `import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
export class UsersController {
  constructor(private readonly users: unknown) {}
  register(app: OpenAPIHono) {
    app.openapi(${route("get", "/users")}, (c) => c.json([]));
  }
}
export class AdminsController {
  register(app: OpenAPIHono) {
    app.openapi(${route("get", "/admins")}, (c) => c.json([]));
  }
}
`,
      "index.ts": `${HEADER}
import { AdminsController, UsersController } from "./users.controller";
const app = new OpenAPIHono();
const users = new UsersController({});
app.use("/users/*", requireScope(SCOPES.READ_USERS));
users.register(app);
app.use("/admins/*", requireScope(SCOPES.ADMIN));
new AdminsController().register(app);
export default app;
`,
    });
    expect(summary(await extract(files))).toEqual(["get /users typed scoped @users.controller.ts:5:5", "get /admins typed scoped @users.controller.ts:10:5"]);
  });

  it("reads route definitions gathered in a default-exported object (`export default { list, one }`)", async () => {
    const files = service({
      "routes.ts": `import { createRoute } from "@hono/zod-openapi";
const list = ${route("get", "/notes")};
const one = ${route("get", "/notes/{id}", " middleware: [requireScope(SCOPES.READ_NOTES)] as const,")};
export default { list, one };
`.replace('import { createRoute }', 'import { SCOPES, requireScope } from "@platform/scopes";\nimport { createRoute }'),
      "index.ts": `${HEADER}
import routes from "./routes";
const app = new OpenAPIHono();
app.openapi(routes.list, (c) => c.json([]));
app.openapi(routes.one, (c) => c.json({}));
export default app;
`,
    });
    expect(summary(await extract(files))).toEqual(["get /notes typed unscoped @index.ts:7:1", "get /notes/:id typed scoped @index.ts:8:1"]);
  });
});

describe("requireScope counts only when it protects", () => {
  const noop = `export function requireScope(_scope: string) {
  return async (_c: unknown, next: () => Promise<void>) => next();
}
`;

  it("does not count requireScope from another module, a dropped call in a handler, or one behind if (false)", async () => {
    const files = service({
      "noop.ts": noop,
      "index.ts": `${HEADER}
import { requireScope as fakeScope } from "./noop";
const app = new Hono();
app.get("/a", fakeScope("a"), (c) => c.text("a"));
app.get("/b", (c) => {
  requireScope(SCOPES.B);
  return c.text("b");
});
app.get("/c", async (c, next) => {
  if (false) await requireScope(SCOPES.C)(c, next);
  return c.text("c");
});
app.get("/d", async (c, next) => requireScope(SCOPES.D)(c, next), (c) => c.text("d"));
`,
    });
    expect(summary(await extract(files))).toEqual([
      "get /a plain unscoped @index.ts:7:1",
      "get /b plain unscoped @index.ts:8:1",
      "get /c plain unscoped @index.ts:12:1",
      "get /d plain scoped @index.ts:16:1",
    ]);
  });

  it("follows a local module that re-exports the scopes module's requireScope, and honours scopes_module", async () => {
    const files = service({
      "auth/index.ts": `export { requireScope as guard } from "@acme/authz";
`,
      "index.ts": `${HEADER}
import { guard } from "./auth";
const app = new Hono();
app.use("/v1/*", guard("v1"));
app.get("/v1/x", (c) => c.text("x"));
app.get("/v2/y", requireScope(SCOPES.Y), (c) => c.text("y"));
`,
    });
    expect(summary(await extract(files, "svc", parseConfig({ scopes_module: "@acme/authz" })))).toEqual([
      "get /v1/x plain scoped @index.ts:8:1",
      "get /v2/y plain unscoped @index.ts:9:1",
    ]);
    expect(summary(await extract(files))).toEqual(["get /v1/x plain unscoped @index.ts:8:1", "get /v2/y plain scoped @index.ts:9:1"]);
  });
});

describe("patternMatchesPath (Hono's router)", () => {
  it.each([
    ["/v1/x/*", "/v1/x", true],
    ["/v1/x/*", "/v1/x/:id", true],
    ["/v1/x/*", "/v1/xy", false],
    ["/v1/:id/retry", "/v1/:deliveryId/retry", true],
    ["/healthz", "/healthz/", false],
    ["/internal/*", "/v1/internal/a", false],
    ["*", "/anything/at/all", true],
  ])("%s vs %s → %s", (pattern, path, expected) => {
    expect(patternMatchesPath(pattern, path)).toBe(expected);
  });
});
