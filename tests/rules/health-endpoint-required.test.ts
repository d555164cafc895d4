import { describe, expect, it } from "vitest";
import rule from "../../src/rules/health-endpoint-required.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { starterService } from "../helpers/hono-services.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const ID = "health-endpoint-required";
const BILLING_INDEX = "services/billing-ledger/src/index.ts";
const HEALTH_ROUTES = "services/billing-ledger/src/routes/health.routes.ts";
const BILLING_INFRA = "services/billing-ledger/infra.ts";
const NOTIFY_INDEX = "services/notifications/src/index.ts";
const NOTIFY_INFRA = "services/notifications/infra.ts";
const NOTIFY_HEALTH = '  .openapi(\n    createRoute({ method: "get", path: "/healthz", responses: { 200: { description: "OK" } } }),\n    (c) => c.json({ ok: true }, 200),\n  )\n';

const LB_NO_HEALTH =
  'The load balancer declares no health check, so it probes `/` (the AWS default), not GET /healthz. Add `health: { "8080/http": { path: "/healthz" } }` under `loadBalancer`.';

const lines = async (files: Record<string, string>) => describeFindings(await runRule(rule, files));

describe(ID, () => {
  describe("valid", () => {
    it("accepts the example monorepo (a mounted health sub-app; a chained .openapi)", async () => {
      expect(await lines(exampleFiles())).toEqual([]);
      expect(await exampleFindingsOf(ID)).toEqual([]);
    });

    it("accepts a plain app.get('/healthz') on the entry app", async () => {
      const files = exampleFiles();
      edit(files, NOTIFY_INDEX, NOTIFY_HEALTH, "");
      edit(files, NOTIFY_INDEX, "serve(", 'app.get("/healthz", (c) => c.json({ ok: true }));\n\nserve(');
      expect(await lines(files)).toEqual([]);
    });

    it("accepts a health route whose path is a local constant, in a sub-app mounted at /", async () => {
      const files = exampleFiles();
      edit(files, HEALTH_ROUTES, 'path: "/healthz",', "path: HEALTH_PATH,");
      edit(files, HEALTH_ROUTES, "export function", 'const HEALTH_PATH = "/healthz";\n\nexport function');
      expect(await lines(files)).toEqual([]);
    });
    it("accepts a health path with a query string (`/healthz?probe=alb`)", async () => {
      const files = exampleFiles();
      edit(files, BILLING_INFRA, 'path: "/healthz"', 'path: "/healthz?probe=alb"');
      expect(await lines(files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a service without a GET /healthz route at the entry app", async () => {
      const files = exampleFiles();
      edit(files, NOTIFY_INDEX, NOTIFY_HEALTH, "");
      expect(await lines(files)).toEqual([
        `${NOTIFY_INDEX}:10:13 error ${ID} The app has no GET /healthz route (after mount prefixes and basePath). Register one, e.g. \`app.openapi(createRoute({ method: "get", path: "/healthz", responses: { 200: { description: "OK" } } }), (c) => c.json({ ok: true }, 200))\`.`,
      ]);
    });

    it("reports a health route served under a mount prefix", async () => {
      const files = exampleFiles();
      edit(files, BILLING_INDEX, 'app.route("/", createHealthRoutes());', 'app.route("/v1", createHealthRoutes());');
      expect(await lines(files)).toEqual([
        `${HEALTH_ROUTES}:5:3 error ${ID} GET /v1/healthz is the health route, but it is served under a prefix; the load balancer probes GET /healthz. Register the health route on the root app, outside the prefix.`,
      ]);
    });

    it("reports infra.ts declaring another health path, at that path", async () => {
      const files = exampleFiles();
      edit(files, BILLING_INFRA, 'path: "/healthz"', 'path: "/health"');
      expect(await lines(files)).toEqual([
        `${BILLING_INFRA}:19:38 error ${ID} infra.ts sets the health path to \`/health\`, but the service's health route is GET /healthz. Set it to "/healthz".`,
      ]);
    });

    it("reports a container health command probing another path, with or without a scheme, at the command", async () => {
      const files = exampleFiles();
      edit(files, NOTIFY_INFRA, '      health: { "8080/http": { path: "/healthz" } },\n', "");
      edit(files, NOTIFY_INFRA, "    loadBalancer: {", '    health: { command: ["CMD-SHELL", "curl -f localhost:8080/health || exit 1"] },\n    loadBalancer: {');
      edit(files, BILLING_INFRA, '      health: { "8080/http": { path: "/healthz", interval: "10 seconds" } },\n', "");
      edit(files, BILLING_INFRA, "    loadBalancer: {", '    health: { command: ["CMD-SHELL", "curl -f http://localhost:8080 || exit 1"] },\n    loadBalancer: {');
      expect(await lines(files)).toEqual([
        `${BILLING_INFRA}:17:38 error ${ID} infra.ts sets the health path to \`/\`, but the service's health route is GET /healthz. Set it to "/healthz".`,
        `${BILLING_INFRA}:18:5 error ${ID} ${LB_NO_HEALTH}`,
        `${NOTIFY_INFRA}:13:38 error ${ID} infra.ts sets the health path to \`/health\`, but the service's health route is GET /healthz. Set it to "/healthz".`,
        `${NOTIFY_INFRA}:14:5 error ${ID} ${LB_NO_HEALTH}`,
      ]);
    });

    it("reports a load balancer without a health check when only the container's health command names /healthz, at the loadBalancer", async () => {
      const files = exampleFiles();
      edit(files, NOTIFY_INFRA, '      health: { "8080/http": { path: "/healthz" } },\n', "");
      edit(files, NOTIFY_INFRA, "    loadBalancer: {", '    health: { command: ["CMD-SHELL", "curl -f http://localhost:8080/healthz || exit 1"] },\n    loadBalancer: {');
      // A network load balancer checks the port: no path to set.
      edit(files, BILLING_INFRA, '      health: { "8080/http": { path: "/healthz", interval: "10 seconds" } },\n', "");
      edit(files, BILLING_INFRA, 'rules: [{ listen: "443/https", forward: "8080/http" }],', 'rules: [{ listen: "443/tls", forward: "8080/tcp" }],');
      edit(files, BILLING_INFRA, "    loadBalancer: {", '    health: { command: ["CMD-SHELL", "curl -f http://localhost:8080/healthz || exit 1"] },\n    loadBalancer: {');
      expect(await lines(files)).toEqual([
        `${NOTIFY_INFRA}:14:5 error ${ID} ${LB_NO_HEALTH}`,
      ]);
    });

    it("reports infra.ts without a health path at its fragment function, and a missing infra.ts without a line", async () => {
      const files = exampleFiles();
      edit(files, NOTIFY_INFRA, '      health: { "8080/http": { path: "/healthz" } },\n', "");
      delete files[BILLING_INFRA];
      expect(await lines(files)).toEqual([
        `${BILLING_INFRA}:-:- error ${ID} infra.ts does not exist, so the load balancer has no health path. Copy services/_template/infra.ts and keep \`health: { "8080/http": { path: "/healthz" } }\`.`,
        `${NOTIFY_INFRA}:3:1 error ${ID} infra.ts declares no health path. Add \`health: { "8080/http": { path: "/healthz" } }\` to the service's loadBalancer (guide step 6: health endpoint paths).`,
      ]);
    });

    it("warns instead of guessing when a GET route's path cannot be read", async () => {
      const files = exampleFiles();
      edit(files, HEALTH_ROUTES, 'path: "/healthz",', "path: HEALTH_PATH,");
      edit(files, HEALTH_ROUTES, 'import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";', 'import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";\nimport { HEALTH_PATH } from "@platform/health";');
      expect(await lines(files)).toEqual([
        `${HEALTH_ROUTES}:9:13 warning ${ID} No GET /healthz route was found, but \`HEALTH_PATH\` (imported from "@platform/health") cannot be read statically, so it may be the health route. Declare the health route with a static path.`,
      ]);
    });
  });

  it("a deliberately broken copy of the example yields one finding per break, through the whole engine", async () => {
    const report = await runAllOnExample((files) => {
      edit(files, NOTIFY_INDEX, NOTIFY_HEALTH, "");
      edit(files, BILLING_INFRA, 'path: "/healthz"', 'path: "/health"');
    });
    expect(report.findings.filter((f) => f.rule === ID).map((f) => `${f.path}:${f.line}`)).toEqual([`${BILLING_INFRA}:19`, `${NOTIFY_INDEX}:10`]);
  });
  describe("real composition", () => {
    const INFRA = `export function svc(shared: any) {\n  return { loadBalancer: { health: { "8080/http": { path: "/healthz" } } } };\n}\n`;
    const HEALTH = "services/svc/src/routes/health.route.ts";

    it("finds /healthz in a router from a path-aliased factory, mounted through routers.forEach", async () => {
      expect(await lines({ ...starterService(), "services/svc/infra.ts": INFRA })).toEqual([]);
    });

    it("reports the health route when that router serves it under another path", async () => {
      const files = { ...starterService(), "services/svc/infra.ts": INFRA };
      edit(files, "services/svc/src/app.ts", 'app.route("/", router);', 'app.route("/api", router);');
      expect(await lines(files)).toEqual([
        `${HEALTH}:4:30 error ${ID} GET /api/healthz is the health route, but it is served under a prefix; the load balancer probes GET /healthz. Register the health route on the root app, outside the prefix.`,
      ]);
    });
  });
});
