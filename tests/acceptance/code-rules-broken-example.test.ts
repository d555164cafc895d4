import { describe, expect, it } from "vitest";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { RULES } from "../../src/rules/index.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { edit, runAllOnExample, runRules } from "../helpers/rule-harness.js";

/** Keeps the AI overviews current, so the only findings are the breaks' own. */
async function refreshOverviews(files: Record<string, string>): Promise<void> {
  const snapshot = new MemorySnapshot({ files });
  for (const service of ["billing-ledger", "notifications"]) {
    const sha = await snapshot.treeSha(`services/${service}/src`);
    edit(files, `docs/ai-overview/${service}.md`, /source_tree: [0-9a-f]+/, `source_tree: ${sha}`);
  }
}

const B = "services/billing-ledger";
const N = "services/notifications";

describe("issue 3 acceptance: a deliberately broken copy of the example", () => {
  it("fails with exactly one finding per break, at the construct's file and line", async () => {
    const report = await runAllOnExample();
    expect(report.findings).toEqual([]); // the example itself is clean under every rule

    const files = exampleFiles();
    {
      // migration-brand-id-required: a table without brand_id
      edit(files, `${N}/src/db/schema.ts`, '  brandId: pg.text("brand_id").notNull(),\n', "");
      // schemas-owned-match: a listed schema nobody declares
      edit(files, `${B}/service.yaml`, "schemas_owned: [billing]", "schemas_owned: [billing, ledger_archive]");
      // repository-class-required: a repository file with functions only
      files[`${B}/src/db/audit.repository.ts`] = "export function record() {\n  return 1;\n}\n";
      // repository-brand-filter: a read without the brand filter
      edit(files, `${N}/src/db/delivery.repository.ts`, ".from(deliveries).where(eq(deliveries.brandId, brandId));", ".from(deliveries);");
      // service-class-required: a service file with functions only
      files[`${N}/src/services/digest.service.ts`] = "export const sendDigest = () => undefined;\n";
      // require-scope-enforcement: a typed route that lost its requireScope
      edit(files, `${N}/src/routes/deliveries.routes.ts`, "  middleware: [scope(scopes.SCOPES.READ_NOTIFICATIONS)] as const,\n", "");
      // openapi-route-typed: a plain Hono route (protected, so only this rule speaks)
      edit(files, `${B}/src/routes/invoices.routes.ts`, "  return app;\n}", '  app.get("/invoices/export", (c) => c.text("csv"));\n  return app;\n}');
      // openapi-drift: an operation the code does not declare, in the spec and its SDK copy alike
      for (const spec of [`${B}/openapi.yaml`, "packages/sdk-billing-ledger/openapi.yaml"]) {
        edit(files, spec, "  /v1/invoices:\n", "  /v1/invoices/archive:\n    delete:\n      responses:\n        \"204\":\n          description: Gone\n  /v1/invoices:\n");
      }
      // sdk-drift: the SDK package misnamed
      edit(files, "packages/sdk-notifications/package.json", '"@platform/sdk-notifications"', '"@platform/notifications-sdk"');
      // health-endpoint-required: infra probes a path the code does not serve
      edit(files, `${N}/infra.ts`, 'health: { "8080/http": { path: "/healthz" } }', 'health: { "8080/http": { path: "/health" } }');
      // event-registered: an event missing from EVENT_SCHEMAS
      edit(files, "packages/contracts/src/registry.ts", '  "notifications.email.sent.v1": EmailSentV1,\n', "");
      // events-published-declared: a publish of an undeclared event
      edit(files, `${B}/service.yaml`, "events_published: [billing.invoice.created.v1]", "events_published: []");
      // event-handler-file-required: the handler exported under another name
      edit(files, `${N}/src/events/billing.invoice.created.v1.ts`, "export { onInvoiceCreated as handler };", "export { onInvoiceCreated as handle };");
      // publish-in-transaction: publish outside the outbox transaction
      edit(files, `${B}/src/services/invoice.service.ts`, "        { tx },\n", "");
      // event-name-constant: an event named by a string
      edit(files, `${N}/src/services/delivery.service.ts`, "contracts.EVENT_NAMES.NOTIFICATIONS_EMAIL_SENT_V1", '"notifications.email.sent.v1"');
      // infra-registered: the result returned under the wrong key
      edit(files, "sst.config.ts", "notificationsService: notifications,", "notifications,");
      // infra-scaling-declared: a stage without scaling
      edit(files, `${B}/infra.ts`, "  staging: { min: 1, max: 4 },\n", "");
      // infra-fragment-required: the fragment exported under another name (sst.config.ts still calls the right one)
      edit(files, `${B}/infra.ts`, "export function billingLedger(", "export function billingLedgerInfra(");
    }
    await refreshOverviews(files);
    const broken = await runRules(RULES, files);
    expect(broken.findings.map((f) => `${f.rule} ${f.path}:${f.line}:${f.column}`)).toEqual([
      "infra-scaling-declared services/billing-ledger/infra.ts:4:17",
      "infra-fragment-required services/billing-ledger/infra.ts:9:17",
      "openapi-drift services/billing-ledger/openapi.yaml:13:5",
      "schemas-owned-match services/billing-ledger/service.yaml:13:28",
      "repository-class-required services/billing-ledger/src/db/audit.repository.ts:1:1",
      "openapi-route-typed services/billing-ledger/src/routes/invoices.routes.ts:54:3",
      "events-published-declared services/billing-ledger/src/services/invoice.service.ts:23:13",
      "publish-in-transaction services/billing-ledger/src/services/invoice.service.ts:23:13",
      "sdk-drift packages/sdk-notifications/package.json:2:3",
      "health-endpoint-required services/notifications/infra.ts:15:38",
      "event-registered services/notifications/service.yaml:10:7",
      "repository-brand-filter services/notifications/src/db/delivery.repository.ts:15:26",
      "migration-brand-id-required services/notifications/src/db/schema.ts:5:27",
      "event-handler-file-required services/notifications/src/events/billing.invoice.created.v1.ts:8:1",
      "require-scope-enforcement services/notifications/src/routes/deliveries.routes.ts:24:5",
      "event-name-constant services/notifications/src/services/delivery.service.ts:20:9",
      "service-class-required services/notifications/src/services/digest.service.ts:1:1",
      "infra-registered sst.config.ts:19:7",
    ]);
    // One finding per break: every code rule of issue 3 fired exactly once.
    expect(new Set(broken.findings.map((f) => f.rule)).size).toBe(broken.findings.length);
    expect(broken.conclusion).toBe("failure");
  });
});
