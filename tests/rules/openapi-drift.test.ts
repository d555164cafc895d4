import { describe, expect, it } from "vitest";
import rule from "../../src/rules/openapi-drift.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { oauthService, STARTER_SPEC, starterService } from "../helpers/hono-services.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const ID = "openapi-drift";
const SPEC = "services/billing-ledger/openapi.yaml";
const YAML = "services/billing-ledger/service.yaml";
const INVOICES = "services/billing-ledger/src/routes/invoices.routes.ts";
const BILLING_INDEX = "services/billing-ledger/src/index.ts";
const NOTIFY_SPEC = "services/notifications/openapi.yaml";
const DELIVERIES = "services/notifications/src/routes/deliveries.routes.ts";
const REGEN = (service: string) => `\`pnpm --filter @services/${service} openapi:gen\``;

const lines = async (files: Record<string, string>) => describeFindings(await runRule(rule, files));
const POST_OP = '    post:\n      operationId: createInvoice\n      tags: [invoices]\n      responses:\n        "201":\n          description: Created\n';

describe(ID, () => {
  describe("valid", () => {
    it("accepts the example monorepo (mount prefix, basePath, :id ≡ {id})", async () => {
      expect(await lines(exampleFiles())).toEqual([]);
      expect(await exampleFindingsOf(ID)).toEqual([]);
    });

    it("reads the spec where contracts.openapi points, relative to the service folder", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/api/openapi.yaml"] = files[SPEC]!;
      delete files[SPEC];
      edit(files, YAML, "openapi: ./openapi.yaml", "openapi: ./api/openapi.yaml");
      expect(await lines(files)).toEqual([]);
    });

    it("accepts a spec operation documenting a plain app.get route, and paths in any order", async () => {
      const files = exampleFiles();
      edit(files, BILLING_INDEX, 'app.route("/", createHealthRoutes());', 'app.route("/", createHealthRoutes());\napp.get("/readyz", (c) => c.text("ok"));');
      files[SPEC] = files[SPEC]!.replace("paths:\n", 'paths:\n  /readyz:\n    get:\n      responses:\n        "200":\n          description: OK\n');
      expect(await lines(files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a code route missing from the spec at its registration", async () => {
      const files = exampleFiles();
      edit(files, SPEC, POST_OP, "");
      expect(await lines(files)).toEqual([
        `${INVOICES}:35:3 error ${ID} POST /v1/invoices is declared here but missing from ${SPEC}. Regenerate the spec with ${REGEN("billing-ledger")} and commit it.`,
      ]);
    });

    it("reports a spec operation no route declares at its line in openapi.yaml", async () => {
      const files = exampleFiles();
      files[NOTIFY_SPEC] += '  /v1/notifications/deliveries/{deliveryId}:\n    delete:\n      responses:\n        "204":\n          description: Deleted\n';
      expect(await lines(files)).toEqual([
        `${NOTIFY_SPEC}:28:5 error ${ID} ${NOTIFY_SPEC} lists DELETE /v1/notifications/deliveries/{deliveryId}, but no route in the code declares it. Remove it by regenerating the spec (${REGEN("notifications")}), or add the route.`,
      ]);
    });

    it("reports a renamed path parameter (compared by position), and a method that moved", async () => {
      const files = exampleFiles();
      edit(files, SPEC, "  /v1/invoices/{id}:", "  /v1/invoices/{invoiceId}:");
      edit(files, DELIVERIES, 'method: "post",', 'method: "put",');
      expect(await lines(files)).toEqual([
        `${INVOICES}:47:3 error ${ID} GET /v1/invoices/{id} names its path parameters \`id\`, but ${SPEC} lists this operation as \`/v1/invoices/{invoiceId}\` (\`invoiceId\`). Regenerate the spec with ${REGEN("billing-ledger")}.`,
        `${NOTIFY_SPEC}:17:5 error ${ID} ${NOTIFY_SPEC} lists POST /v1/notifications/deliveries/{deliveryId}/retry, but no route in the code declares it. Remove it by regenerating the spec (${REGEN("notifications")}), or add the route.`,
        `${DELIVERIES}:26:5 error ${ID} PUT /v1/notifications/deliveries/{deliveryId}/retry is declared here but missing from ${NOTIFY_SPEC}. Regenerate the spec with ${REGEN("notifications")} and commit it.`,
      ]);
    });

    it("reports a missing spec at service.yaml's contracts.openapi, and an unparseable one at the error", async () => {
      const files = exampleFiles();
      delete files[SPEC];
      files[NOTIFY_SPEC] = files[NOTIFY_SPEC]!.replace("paths:\n", "paths:\n  - [unclosed\n");
      const found = await lines(files);
      expect(found[0]).toBe(
        `${YAML}:8:12 error ${ID} ${SPEC} does not exist. Generate it with ${REGEN("billing-ledger")} and commit it (guide step 7), or fix \`contracts.openapi\` in service.yaml.`,
      );
      expect(found[1]).toMatch(new RegExp(`^${NOTIFY_SPEC}:7:\\d+ error ${ID} ${NOTIFY_SPEC} is not valid YAML \\(`));
      expect(found).toHaveLength(2);
    });

    it("warns instead of guessing when a route's path is built from another package", async () => {
      const files = exampleFiles();
      edit(files, INVOICES, 'path: "/invoices/{id}",', "path: `${INVOICE_BASE}/{id}`,");
      edit(files, INVOICES, 'import type { InvoiceService }', 'import { INVOICE_BASE } from "@platform/paths";\nimport type { InvoiceService }');
      expect(await lines(files)).toEqual([
        `${SPEC}:26:5 warning ${ID} ${SPEC} lists GET /v1/invoices/{id} and no route read from the code declares it, but the template literal \`\${INVOICE_BASE}/{id}\` (imported from "@platform/paths") (${INVOICES}:11) cannot be read statically and may be that route. Give it a static path so the spec can be compared.`,
        `${INVOICES}:48:3 warning ${ID} GET (path not static) cannot be compared with ${SPEC}: the template literal \`\${INVOICE_BASE}/{id}\` (imported from "@platform/paths") cannot be resolved statically. Use a static path (a string literal or a local const) so the spec can be checked.`,
      ]);
    });
  });

  describe("real composition", () => {
    const OAUTH_SPEC = "services/svc/openapi.yaml";
    const OAUTH_ROUTER = "services/svc/src/oauth/oauth.router.ts";
    const spec = (paths: string) => `openapi: 3.0.0\ninfo: { title: svc, version: "1" }\npaths:\n  /healthz:\n    get:\n      responses: { "200": { description: up } }\n${paths}`;

    it("checks a default-export sub-app mounted at /oauth from a class method at /oauth/…", async () => {
      const files = { ...oauthService(), [OAUTH_SPEC]: spec('  /oauth/token:\n    post:\n      responses: { "200": { description: token } }\n') };
      expect(await lines(files)).toEqual([]);
      files[OAUTH_SPEC] = spec('  /token:\n    post:\n      responses: { "200": { description: token } }\n');
      expect(await lines(files)).toEqual([
        `${OAUTH_SPEC}:8:5 error ${ID} ${OAUTH_SPEC} lists POST /token, but no route in the code declares it. Remove it by regenerating the spec (${REGEN("svc")}), or add the route.`,
        `${OAUTH_ROUTER}:5:1 error ${ID} POST /oauth/token is declared here but missing from ${OAUTH_SPEC}. Regenerate the spec with ${REGEN("svc")} and commit it.`,
      ]);
    });

    it("compares the starter layout's routes (namespace imports, forEach mounts) with its spec; zod schema metadata is no route", async () => {
      const files = { ...starterService(), "services/svc/openapi.yaml": STARTER_SPEC };
      expect(await lines(files)).toEqual([]);
      files["services/svc/openapi.yaml"] = STARTER_SPEC.replace("  /notes/{id}:", "  /notes/{noteId}:");
      expect(await lines(files)).toEqual([
        `services/svc/src/routes/notes/notes.index.ts:7:3 error ${ID} GET /notes/{id} names its path parameters \`id\`, but services/svc/openapi.yaml lists this operation as \`/notes/{noteId}\` (\`noteId\`). Regenerate the spec with ${REGEN("svc")}.`,
      ]);
    });
  });

  it("does not ask for a route declared with hide: true (left out of the generated document) in the spec", async () => {
    const files: Record<string, string> = { ...starterService(), "services/svc/openapi.yaml": STARTER_SPEC };
    const ROUTES = "services/svc/src/routes/notes/notes.routes.ts";
    const INDEX = "services/svc/src/routes/notes/notes.index.ts";
    files[ROUTES] += `
const INTERNAL = true;
export const reindex = createRoute({ method: "post", path: "/notes/reindex", hide: true, responses: {} });
export const purge = createRoute({ method: "post", path: "/notes/purge", hide: INTERNAL, responses: {} });
export const exportAll = createRoute({ method: "post", path: "/notes/export", hide: false, responses: {} });
`;
    edit(files, INDEX, "  .openapi(routes.getOne, handlers.getOne);", "  .openapi(routes.getOne, handlers.getOne)\n  .openapi(routes.reindex, handlers.list)\n  .openapi(routes.purge, handlers.list)\n  .openapi(routes.exportAll, handlers.list);");
    expect(await lines(files)).toEqual([
      `${INDEX}:10:3 error ${ID} POST /notes/export is declared here but missing from services/svc/openapi.yaml. Regenerate the spec with ${REGEN("svc")} and commit it.`,
    ]);
  });

  it("compares a route documented with hono-openapi's describeRoute(…) with the spec, like a createRoute one", async () => {
    const files: Record<string, string> = { ...starterService(), "services/svc/openapi.yaml": STARTER_SPEC };
    const CONFIGURE = "services/svc/src/lib/configure-open-api.ts";
    edit(files, CONFIGURE, "\n}\n", '\n  app.get("/stats/:day", describeRoute({ responses: { 200: { description: "stats" } } }), (c) => c.json({}));\n}\n');
    edit(files, CONFIGURE, "import type", 'import { describeRoute } from "hono-openapi";\nimport type');
    expect(await lines(files)).toEqual([
      `${CONFIGURE}:6:3 error ${ID} GET /stats/:day is declared here but missing from services/svc/openapi.yaml. Regenerate the spec with ${REGEN("svc")} and commit it.`,
    ]);
    files["services/svc/openapi.yaml"] = STARTER_SPEC + '  /stats/{day}:\n    get:\n      responses: { "200": { description: stats } }\n';
    expect(await lines(files)).toEqual([]);
  });

  it("a deliberately broken copy of the example yields one finding per break, through the whole engine", async () => {
    const report = await runAllOnExample((files) => {
      edit(files, SPEC, POST_OP, "");
      files[NOTIFY_SPEC] += '  /v1/notifications/deliveries/{deliveryId}:\n    delete:\n      responses:\n        "204":\n          description: Deleted\n';
    });
    expect(report.findings.filter((f) => f.rule === ID).map((f) => `${f.path}:${f.line}`)).toEqual([`${INVOICES}:35`, `${NOTIFY_SPEC}:28`]);
  });
});
