import { describe, expect, it } from "vitest";
import rule from "../../src/rules/require-scope-enforcement.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { service, starterService } from "../helpers/hono-services.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const ID = "require-scope-enforcement";
const INVOICES = "services/billing-ledger/src/routes/invoices.routes.ts";
const DELIVERIES = "services/notifications/src/routes/deliveries.routes.ts";
const BILLING_INDEX = "services/billing-ledger/src/index.ts";
const HOW = "Add `middleware: [requireScope(SCOPES.…)]` to its createRoute (plain Hono routes: pass requireScope(SCOPES.…) before the handler), or register `app.use(pattern, requireScope(SCOPES.…))` with a pattern matching";

const lines = async (files: Record<string, string>, config?: Record<string, unknown>) =>
  describeFindings(await runRule(rule, files, config ? { config } : {}));

describe(ID, () => {
  describe("valid", () => {
    it("accepts the example monorepo (app.use wildcard under a /v1 mount, middleware in createRoute, renamed and namespaced imports, handler chain)", async () => {
      expect(await lines(exampleFiles())).toEqual([]);
      expect(await exampleFindingsOf(ID)).toEqual([]);
    });

    it("accepts a parent app.use registered before the mount, and a middleware held in a local const", async () => {
      const files = exampleFiles();
      edit(files, INVOICES, '  app.use("/invoices/*", requireScope(SCOPES.READ_INVOICES));\n', "");
      edit(files, BILLING_INDEX, 'app.route("/v1", createInvoiceRoutes(invoices));', 'app.use("/v1/*", readInvoices);\napp.route("/v1", createInvoiceRoutes(invoices));');
      edit(files, BILLING_INDEX, "const app = new OpenAPIHono();", 'import { SCOPES, requireScope as scoped } from "@platform/scopes";\nconst readInvoices = scoped(SCOPES.READ_INVOICES);\nconst app = new OpenAPIHono();');
      expect(await lines(files)).toEqual([]);
    });

    it("accepts requireScope in a plain Hono route's handler chain", async () => {
      const files = exampleFiles();
      edit(files, INVOICES, "  return app;\n}", '  app.delete("/admin/invoices/:id", requireScope(SCOPES.ADMIN), (c) => c.body(null, 204));\n  return app;\n}');
      expect(await lines(files)).toEqual([]);
      edit(files, INVOICES, "requireScope(SCOPES.ADMIN), ", "");
      expect((await lines(files)).map((l) => l.split(" is not")[0])).toEqual([`${INVOICES}:54:3 error ${ID} DELETE /v1/admin/invoices/:id`]);
    });

    it("exempts configured routes (Hono patterns) besides the health probes", async () => {
      const files = exampleFiles();
      edit(files, BILLING_INDEX, 'app.route("/", createHealthRoutes());', 'app.route("/", createHealthRoutes());\napp.openapi(createRoute({ method: "get", path: "/internal/metrics", responses: {} }), (c) => c.text(""));');
      edit(files, BILLING_INDEX, 'import { OpenAPIHono } from "@hono/zod-openapi";', 'import { OpenAPIHono, createRoute } from "@hono/zod-openapi";');
      expect(await lines(files, { scope_exempt_routes: ["/healthz", "/internal/*"] })).toEqual([]);
      expect(await lines(files)).toEqual([
        `${BILLING_INDEX}:13:1 error ${ID} GET /internal/metrics is not protected by requireScope(…). ${HOW} /internal/metrics before this line.`,
      ]);
    });
  });

  describe("invalid", () => {
    it("reports routes registered before the app.use that would cover them", async () => {
      const files = exampleFiles();
      edit(files, INVOICES, '  app.use("/invoices/*", requireScope(SCOPES.READ_INVOICES));\n', "");
      edit(files, INVOICES, "  return app;\n}", '  app.use("/invoices/*", requireScope(SCOPES.READ_INVOICES));\n  return app;\n}');
      expect(await lines(files)).toEqual([
        `${INVOICES}:24:3 error ${ID} GET /v1/invoices is not protected by requireScope(…). ${HOW} /v1/invoices before this line.`,
        `${INVOICES}:46:3 error ${ID} GET /v1/invoices/{id} is not protected by requireScope(…). ${HOW} /v1/invoices/{id} before this line.`,
      ]);
    });

    it("reports an app.use pattern that does not match under Hono's router", async () => {
      const files = exampleFiles();
      edit(files, INVOICES, 'app.use("/invoices/*"', 'app.use("/v1/invoices/*"'); // already under the /v1 mount: would be /v1/v1/invoices/*
      expect(await lines(files)).toEqual([
        `${INVOICES}:25:3 error ${ID} GET /v1/invoices is not protected by requireScope(…). ${HOW} /v1/invoices before this line.`,
        `${INVOICES}:47:3 error ${ID} GET /v1/invoices/{id} is not protected by requireScope(…). ${HOW} /v1/invoices/{id} before this line.`,
      ]);
    });

    it("reports a chained .openapi whose createRoute lost its namespaced requireScope, at the .openapi(", async () => {
      const files = exampleFiles();
      edit(files, DELIVERIES, "  middleware: [scopes.requireScope(scopes.SCOPES.WRITE_NOTIFICATIONS)] as const,\n", "");
      expect(await lines(files)).toEqual([
        `${DELIVERIES}:25:5 error ${ID} POST /v1/notifications/deliveries/{deliveryId}/retry is not protected by requireScope(…). ${HOW} /v1/notifications/deliveries/{deliveryId}/retry before this line.`,
      ]);
    });

    it("reports requireScope passed where app.openapi expects the handler (zod-openapi takes no middleware there)", async () => {
      const files = exampleFiles();
      edit(files, DELIVERIES, "  middleware: [scopes.requireScope(scopes.SCOPES.WRITE_NOTIFICATIONS)] as const,\n", "");
      edit(files, DELIVERIES, ".openapi(retryDelivery, async (c) => {", ".openapi(retryDelivery, scopes.requireScope(scopes.SCOPES.WRITE_NOTIFICATIONS), async (c) => {");
      expect(await lines(files)).toEqual([
        `${DELIVERIES}:25:29 error ${ID} POST /v1/notifications/deliveries/{deliveryId}/retry passes requireScope(…) as its handler: @hono/zod-openapi's \`openapi(route, handler, hook)\` takes no middleware there, so the real handler becomes the validation hook and the route never answers. Move it into the route: \`createRoute({ …, middleware: [requireScope(SCOPES.…)] })\`.`,
      ]);
    });

    it("no longer exempts /healthz when the configuration drops it, and ignores a requireScope from a local look-alike", async () => {
      const files = exampleFiles();
      edit(files, DELIVERIES, 'import { requireScope as scope } from "@platform/scopes";', "const scope = (s: string) => (c: unknown, next: () => Promise<void>) => next();");
      expect(await lines(files, { scope_exempt_routes: [] })).toEqual([
        `services/billing-ledger/src/routes/health.routes.ts:5:3 error ${ID} GET /healthz is not protected by requireScope(…). ${HOW} /healthz before this line.`,
        `services/notifications/src/index.ts:11:3 error ${ID} GET /healthz is not protected by requireScope(…). ${HOW} /healthz before this line.`,
        `${DELIVERIES}:25:5 error ${ID} GET /v1/notifications/deliveries is not protected by requireScope(…). ${HOW} /v1/notifications/deliveries before this line.`,
      ]);
    });

    it("warns, naming the construct, when the middleware or the mounted app cannot be read statically", async () => {
      const files = exampleFiles();
      edit(files, DELIVERIES, "middleware: [scope(scopes.SCOPES.READ_NOTIFICATIONS)] as const,", "middleware: [...sharedMiddleware],");
      edit(files, DELIVERIES, 'import * as scopes from "@platform/scopes";', 'import * as scopes from "@platform/scopes";\nimport { sharedMiddleware } from "@platform/middleware";');
      edit(files, BILLING_INDEX, 'app.route("/", createHealthRoutes());', 'app.route("/", createHealthRoutes());\napp.route("/admin", adminRoutes());');
      edit(files, BILLING_INDEX, 'import { serve } from "@hono/node-server";', 'import { serve } from "@hono/node-server";\nimport { adminRoutes } from "@platform/admin";');
      expect(await lines(files)).toEqual([
        `${BILLING_INDEX}:14:21 warning ${ID} Cannot read the app \`adminRoutes()\` (imported from "@platform/admin") mounted by \`app.route(…)\` statically, so the requireScope(…) protection of the routes it registers is not checked. Declare those routes in this service (createRoute + app.openapi on an app the entry mounts) so the checker can follow them, or review them by hand.`,
        `${DELIVERIES}:26:5 warning ${ID} Cannot tell whether GET /v1/notifications/deliveries is protected by requireScope(…): \`sharedMiddleware\` (imported from "@platform/middleware") at ${DELIVERIES}:10 cannot be resolved statically. Make it a static value inside this service, or put requireScope(…) on the route itself.`,
      ]);
    });
  });

  describe("real composition", () => {
    const NOTES = "services/svc/src/routes/notes/notes.index.ts";

    it("reports namespace-imported routes behind a tsconfig path alias, in an app only handed to serve(), at their registration", async () => {
      expect(await lines(starterService())).toEqual([
        `${NOTES}:6:3 error ${ID} GET /notes is not protected by requireScope(…). ${HOW} /notes before this line.`,
        `${NOTES}:7:3 error ${ID} GET /notes/{id} is not protected by requireScope(…). ${HOW} /notes/{id} before this line.`,
      ]);
    });

    it("accepts the same service once each route definition carries middleware: [requireScope(…)]", async () => {
      expect(await lines(starterService("\n  middleware: [requireScope(SCOPES.READ_NOTES)] as const,"))).toEqual([]);
    });

    it("does not report the API reference page (Scalar, Swagger UI) served beside the spec document", async () => {
      const files = starterService("\n  middleware: [requireScope(SCOPES.READ_NOTES)] as const,");
      edit(files, "services/svc/src/lib/configure-open-api.ts", "\n}\n", '\n  app.get("/reference", Scalar({ url: "/doc" }));\n  app.get("/ui", swaggerUI({ url: "/doc" }));\n}\n');
      edit(files, "services/svc/src/lib/configure-open-api.ts", "import type", 'import { Scalar } from "@scalar/hono-api-reference";\nimport { swaggerUI } from "@hono/swagger-ui";\nimport type');
      expect(await lines(files)).toEqual([]);
    });

    it("follows requireScope through hono/factory's createMiddleware and hono/combine's every(…)", async () => {
      const files = service({
        "auth.ts": `import { createFactory, createMiddleware } from "hono/factory";
import { every } from "hono/combine";
import { bearerAuth } from "hono/bearer-auth";
import { SCOPES, requireScope } from "@platform/scopes";

export const readNotes = createMiddleware(async (c, next) => {
  await requireScope(SCOPES.READ_NOTES)(c, next);
});
const factory = createFactory();
export const writeNotes = factory.createMiddleware((c, next) => requireScope(SCOPES.WRITE_NOTES)(c, next));
export const tokenAndScope = every(bearerAuth({ token: "t" }), requireScope(SCOPES.ADMIN));
export const onlyLogs = createMiddleware(async (c, next) => {
  console.log(c.req.path);
  await next();
});
`,
        "index.ts": `import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { onlyLogs, readNotes, tokenAndScope, writeNotes } from "./auth";

const app = new OpenAPIHono();
app.openapi(createRoute({ method: "get", path: "/notes", middleware: [readNotes] as const, responses: {} }), (c) => c.json([]));
app.openapi(createRoute({ method: "post", path: "/notes", middleware: [writeNotes] as const, responses: {} }), (c) => c.json({}));
app.use("/admin/*", tokenAndScope);
app.get("/admin/stats", (c) => c.json({}));
app.openapi(createRoute({ method: "delete", path: "/notes/{id}", middleware: [onlyLogs] as const, responses: {} }), (c) => c.body(null, 204));
export default app;
`,
      });
      expect(await lines(files)).toEqual([`services/svc/src/index.ts:9:1 error ${ID} DELETE /notes/{id} is not protected by requireScope(…). ${HOW} /notes/{id} before this line.`]);
    });

    it("reads hono/combine's except(paths, requireScope(…)) as covering every route but those paths (full request paths)", async () => {
      const files = service({
        "index.ts": `import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { except } from "hono/combine";
import { SCOPES, requireScope } from "@platform/scopes";

const auth = new OpenAPIHono().openapi(createRoute({ method: "post", path: "/login", responses: {} }), (c) => c.json({}));
const notes = new OpenAPIHono().openapi(createRoute({ method: "get", path: "/notes/{id}", responses: {} }), (c) => c.json({}));
const app = new OpenAPIHono().basePath("/api");
app.use("*", except(["/api/auth/*", "/healthz"], requireScope(SCOPES.READ_NOTES)));
app.route("/auth", auth);
app.route("/", notes);
app.get("/healthz", (c) => c.text("ok"));
const dynamic = new OpenAPIHono();
dynamic.use(except((c) => c.req.path.startsWith("/public"), requireScope(SCOPES.READ_NOTES)));
dynamic.get("/reports", (c) => c.text("r"));
export default app;
`,
      });
      expect(await lines(files)).toEqual([
        `services/svc/src/index.ts:5:31 error ${ID} POST /api/auth/login is not protected by requireScope(…). ${HOW} /api/auth/login before this line.`,
        `services/svc/src/index.ts:14:1 warning ${ID} Cannot tell whether GET /reports is protected by requireScope(…): the \`except(…)\` condition \`(c) => c.req.path.startsWith("/public")\` at services/svc/src/index.ts:13 cannot be resolved statically. Make it a static value inside this service, or put requireScope(…) on the route itself.`,
      ]);
    });

    it("reads app.use(routes.x.path, …) as the route's OpenAPI path, which Hono matches literally; getRoutingPath() is the Hono form", async () => {
      const files = service({
        "routes.ts": `import { createRoute } from "@hono/zod-openapi";
export const list = createRoute({ method: "get", path: "/bots", responses: {} });
export const one = createRoute({ method: "get", path: "/bots/{id}", responses: {} });
export const remove = createRoute({ method: "delete", path: "/tokens/{id}", responses: {} });
`,
        "index.ts": `import { OpenAPIHono } from "@hono/zod-openapi";
import { SCOPES, requireScope } from "@platform/scopes";
import * as routes from "./routes";

const app = new OpenAPIHono();
app.use(routes.list.path, requireScope(SCOPES.READ_BOTS));
app.use(routes.one.path, requireScope(SCOPES.READ_BOTS));
app.use(routes.remove.getRoutingPath(), requireScope(SCOPES.ADMIN));
app.openapi(routes.list, (c) => c.json([]));
app.openapi(routes.one, (c) => c.json({}));
app.openapi(routes.remove, (c) => c.body(null, 204));
export default app;
`,
      });
      expect(await lines(files)).toEqual([
        `services/svc/src/index.ts:10:1 error ${ID} GET /bots/{id} is not protected by requireScope(…): the app.use at services/svc/src/index.ts:7 has the pattern \`/bots/{id}\`, in OpenAPI syntax, which Hono matches literally (\`{…}\` is no parameter to it), so its requireScope(…) never runs for this route. Pass the route's \`getRoutingPath()\` (or write the parameter as \`:name\`) instead of its \`path\`.`,
      ]);
    });

    it("takes a run-time string as app.use's pattern (a warning), not as middleware that would cover every route", async () => {
      const files = service({
        "index.ts": `import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { SCOPES, requireScope } from "@platform/scopes";

const ADMIN = process.env.ADMIN_PREFIX ?? "/admin";
const app = new OpenAPIHono();
app.use(ADMIN, requireScope(SCOPES.ADMIN));
app.openapi(createRoute({ method: "get", path: "/notes", responses: {} }), (c) => c.json([]));
export default app;
`,
      });
      expect(await lines(files)).toEqual([
        `services/svc/src/index.ts:7:1 warning ${ID} Cannot tell whether GET /notes is protected by requireScope(…): \`ADMIN\` at services/svc/src/index.ts:6 cannot be resolved statically. Make it a static value inside this service, or put requireScope(…) on the route itself.`,
      ]);
    });

    it("warns when the middleware that runs requireScope(…) can call next() before it (a public-path skip); a 401 guard is fine", async () => {
      const files = service({
        "index.ts": `import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { SCOPES, requireScope } from "@platform/scopes";

const PUBLIC = ["/v1/status"];
const app = new OpenAPIHono();
app.use("/v1/*", async (c, next) => {
  if (PUBLIC.includes(c.req.path)) return next();
  return requireScope(SCOPES.READ_NOTES)(c, next);
});
app.use("/v2/*", async (c, next) => {
  if (!c.req.header("authorization")) return c.json({ error: "unauthorized" }, 401);
  await requireScope(SCOPES.READ_NOTES)(c, next);
});
app.openapi(createRoute({ method: "get", path: "/v1/notes", responses: {} }), (c) => c.json([]));
app.openapi(createRoute({ method: "get", path: "/v2/notes", responses: {} }), (c) => c.json([]));
export default app;
`,
      });
      expect(await lines(files)).toEqual([
        `services/svc/src/index.ts:14:1 warning ${ID} Cannot tell whether GET /v1/notes is protected by requireScope(…): the early \`next()\` in \`if (PUBLIC.includes(c.req.path)) return next()\`, which lets some requests past requireScope(…) (name the skipped paths with hono/combine's \`except(…)\` instead) at services/svc/src/index.ts:7 cannot be resolved statically. Make it a static value inside this service, or put requireScope(…) on the route itself.`,
      ]);
    });

    it("reads a middleware list parameter the caller leaves out as its default, not as an unknown value", async () => {
      const files = service({
        "create-app.ts": `import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";

export function createBaseApp(middlewares: MiddlewareHandler[] = []) {
  const app = new OpenAPIHono();
  app.use(...middlewares);
  return app;
}
`,
        "index.ts": `import { createRoute } from "@hono/zod-openapi";
import { SCOPES, requireScope } from "@platform/scopes";
import { createBaseApp } from "./create-app";

const app = createBaseApp();
app.openapi(createRoute({ method: "get", path: "/notes", responses: {} }), (c) => c.json([]));
const admin = createBaseApp([requireScope(SCOPES.ADMIN)]);
admin.openapi(createRoute({ method: "get", path: "/stats", responses: {} }), (c) => c.json({}));
app.route("/admin", admin);
export default app;
`,
      });
      expect(await lines(files)).toEqual([`services/svc/src/index.ts:6:1 error ${ID} GET /notes is not protected by requireScope(…). ${HOW} /notes before this line.`]);
    });

    it("does not count requireScope from a local look-alike, a dropped call in a handler, or one under if (false)", async () => {
      const files = service({
        "lib/noop.ts": "export const requireScope = (_s: string) => async (_c: unknown, next: () => Promise<void>) => next();\n",
        "index.ts": `import { Hono } from "hono";
import { requireScope as realScope } from "@platform/scopes";
import { requireScope } from "./lib/noop";

const app = new Hono();
app.get("/a", requireScope("a"), (c) => c.text("a"));
app.get("/b", (c) => {
  realScope("b");
  return c.text("b");
});
app.use("/c", async (c, next) => {
  if (false) return realScope("c")(c, next);
  await next();
});
app.get("/c", (c) => c.text("c"));
export default app;
`,
      });
      expect((await lines(files)).map((l) => l.split(" is not")[0])).toEqual([
        `services/svc/src/index.ts:6:1 error ${ID} GET /a`,
        `services/svc/src/index.ts:7:1 error ${ID} GET /b`,
        `services/svc/src/index.ts:15:1 error ${ID} GET /c`,
      ]);
      expect(await lines(files, { scopes_module: "./lib/noop" })).toHaveLength(2);
    });

    it("does not count requireScope when a tsconfig path points the scopes package at a local file; the workspace package itself counts", async () => {
      const index = `import { Hono } from "hono";
import { requireScope } from "@platform/scopes";

const app = new Hono();
app.get("/a", requireScope("a"), (c) => c.text("a"));
export default app;
`;
      const redirected = {
        "services/svc/tsconfig.json": '{ "compilerOptions": { "paths": { "@platform/scopes": ["./src/lib/noop.ts"] } } }',
        ...service({ "lib/noop.ts": "export const requireScope = (_s: string) => async (_c: unknown, next: () => Promise<void>) => next();\n", "index.ts": index }),
      };
      expect((await lines(redirected)).map((l) => l.split(" is not")[0])).toEqual([`services/svc/src/index.ts:5:1 error ${ID} GET /a`]);

      const workspacePackage = {
        "packages/scopes/package.json": '{ "name": "@platform/scopes", "main": "src/index.ts" }',
        "packages/scopes/src/index.ts": "export const requireScope = (s: string) => async (_c: unknown, next: () => Promise<void>) => { if (!s) throw new Error(); await next(); };\n",
        ...service({ "index.ts": index }),
      };
      expect(await lines(workspacePackage)).toEqual([]);
    });
  });

  it("a deliberately broken copy of the example yields one finding per break, through the whole engine", async () => {
    const report = await runAllOnExample((files) => {
      edit(files, INVOICES, 'path: "/invoices/{id}"', 'path: "/invoice/{id}"'); // break 1: outside the app.use pattern
      edit(files, DELIVERIES, "middleware: [scope(scopes.SCOPES.READ_NOTIFICATIONS)] as const,", ""); // break 2
      edit(files, DELIVERIES, "  middleware: [scopes.requireScope(scopes.SCOPES.WRITE_NOTIFICATIONS)] as const,\n", ""); // break 3
    });
    expect(report.findings.filter((f) => f.rule === ID).map((f) => `${f.path}:${f.line}`)).toEqual([
      `${INVOICES}:47`,
      `${DELIVERIES}:24`,
      `${DELIVERIES}:25`,
    ]);
  });
});
