import { describe, expect, it } from "vitest";
import rule from "../../src/rules/openapi-route-typed.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { starterService } from "../helpers/hono-services.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const ID = "openapi-route-typed";
const BILLING_INDEX = "services/billing-ledger/src/index.ts";
const INVOICES = "services/billing-ledger/src/routes/invoices.routes.ts";
const NOTIFY_INDEX = "services/notifications/src/index.ts";
const FIX = "so it never reaches openapi.yaml or the generated SDK. Declare it with `createRoute({ method, path, request, responses })` from @hono/zod-openapi and register it with `.openapi(route, handler)`.";

const lines = async (files: Record<string, string>) => describeFindings(await runRule(rule, files));

describe(ID, () => {
  describe("valid", () => {
    it("accepts the example monorepo, where every route is createRoute + .openapi", async () => {
      expect(await lines(exampleFiles())).toEqual([]);
      expect(await exampleFindingsOf(ID)).toEqual([]);
    });

    it("accepts a route config passed as an object literal and one imported from another file of the service", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/src/routes/status.route.ts"] =
        'import { createRoute } from "@hono/zod-openapi";\nexport const statusRoute = createRoute({ method: "get", path: "/status", responses: {} });\n';
      edit(files, BILLING_INDEX, 'app.route("/", createHealthRoutes());', 'app.route("/", createHealthRoutes());\napp.openapi(statusRoute, (c) => c.json({}));\napp.openapi({ method: "get", path: "/version", responses: {} }, (c) => c.json({}));');
      edit(files, BILLING_INDEX, 'import { serve } from "@hono/node-server";', 'import { serve } from "@hono/node-server";\nimport { statusRoute } from "./routes/status.route";');
      expect(await lines(files)).toEqual([]);
    });

    it("does not mistake Map#get or a client's .post for a route", async () => {
      const files = exampleFiles();
      edit(files, INVOICES, "  return app;\n}", '  const cache = new Map<string, string>();\n  cache.get("x");\n  fetchClient.post("/v1/other");\n  return app;\n}');
      expect(await lines(files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports app.get on the entry app, at the registration", async () => {
      const files = exampleFiles();
      edit(files, BILLING_INDEX, 'app.route("/", createHealthRoutes());', 'app.route("/", createHealthRoutes());\napp.get("/readyz", (c) => c.text("ok"));');
      expect(await lines(files)).toEqual([`${BILLING_INDEX}:13:1 warning ${ID} GET /readyz is registered with \`app.get(…)\`, ${FIX}`]);
    });

    it("reports a plain method in a chain at its .post(, with the mount prefix in the path", async () => {
      const files = exampleFiles();
      edit(files, NOTIFY_INDEX, "  .route(", '  .post("/hooks/:provider", (c) => c.body(null, 204))\n  .route(');
      expect(await lines(files)).toEqual([`${NOTIFY_INDEX}:15:3 warning ${ID} POST /hooks/:provider is registered with \`.post(…)\`, ${FIX}`]);
    });

    it("reports app.on and app.all inside a mounted sub-app, one finding per method", async () => {
      const files = exampleFiles();
      edit(files, INVOICES, "  return app;\n}", '  app.on(["PUT", "PATCH"], "/invoices/:id", (c) => c.body(null, 204));\n  app.all("/invoices/legacy", (c) => c.body(null, 410));\n  return app;\n}');
      expect(await lines(files)).toEqual([
        `${INVOICES}:54:3 warning ${ID} PUT /v1/invoices/:id is registered with \`app.on(…)\`, ${FIX}`,
        `${INVOICES}:54:3 warning ${ID} PATCH /v1/invoices/:id is registered with \`app.on(…)\`, ${FIX}`,
        `${INVOICES}:55:3 warning ${ID} ALL /v1/invoices/legacy is registered with \`app.all(…)\`, ${FIX}`,
      ]);
    });
  });

  it("a deliberately broken copy of the example yields one finding per break, through the whole engine", async () => {
    const report = await runAllOnExample((files) => {
      edit(files, BILLING_INDEX, 'app.route("/", createHealthRoutes());', 'app.route("/", createHealthRoutes());\napp.get("/readyz", (c) => c.text("ok"));');
      edit(files, NOTIFY_INDEX, "  .route(", '  .post("/hooks/:provider", (c) => c.body(null, 204))\n  .route(');
    });
    expect(report.findings.filter((f) => f.rule === ID).map((f) => `${f.path}:${f.line}`)).toEqual([`${BILLING_INDEX}:13`, `${NOTIFY_INDEX}:15`]);
  });
  describe("real composition", () => {
    const CONFIGURE = "services/svc/src/lib/configure-open-api.ts";

    it("finds nothing in zod's .openapi() schema metadata, nor in the spec document endpoint", async () => {
      expect(await lines(starterService())).toEqual([]);
    });

    it("does not report the API reference page a docs package serves (Scalar, Swagger UI): like app.doc, it is not part of the spec", async () => {
      const files = starterService();
      edit(files, CONFIGURE, "\n}\n", '\n  app.get("/reference", Scalar({ url: "/doc" }));\n  app.get("/ui", swaggerUI({ url: "/doc" }));\n}\n');
      edit(files, CONFIGURE, "import type", 'import { Scalar } from "@scalar/hono-api-reference";\nimport { swaggerUI } from "@hono/swagger-ui";\nimport type');
      expect(await lines(files)).toEqual([]);
    });

    it("does not ask to declare a wildcard route that hands a subtree to a library (auth handler, static files); a parameter route is still reported", async () => {
      const files = starterService();
      edit(files, CONFIGURE, "\n}\n", '\n  app.on(["POST", "GET"], "/auth/*", (c) => auth.handler(c.req.raw));\n  app.get("/assets/*", (c) => c.text("file"));\n  app.get("/files/:name", (c) => c.text("file"));\n}\n');
      edit(files, CONFIGURE, "import type", 'declare const auth: { handler(r: Request): Response };\nimport type');
      expect(await lines(files)).toEqual([`${CONFIGURE}:8:3 warning ${ID} GET /files/:name is registered with \`app.get(…)\`, ${FIX}`]);
    });

    it("takes a plain route documented with hono-openapi's describeRoute(…) for one that reaches the spec", async () => {
      const files = starterService();
      edit(files, CONFIGURE, "\n}\n", '\n  app.get("/stats", describeRoute({ responses: { 200: { description: "stats" } } }), (c) => c.json({}));\n  app.get("/raw", (c) => c.json({}));\n}\n');
      edit(files, CONFIGURE, "import type", 'import { describeRoute } from "hono-openapi";\nimport type');
      expect(await lines(files)).toEqual([`${CONFIGURE}:7:3 warning ${ID} GET /raw is registered with \`app.get(…)\`, ${FIX}`]);
    });

    it("reports a plain route that a function receiving the app registers", async () => {
      const files = starterService();
      edit(files, CONFIGURE, "\n}\n", '\n  app.get("/reference", (c) => c.html("<html></html>"));\n}\n');
      expect(await lines(files)).toEqual([`${CONFIGURE}:5:3 warning ${ID} GET /reference is registered with \`app.get(…)\`, ${FIX}`]);
    });
  });
});
