import { describe, expect, it } from "vitest";
import rule from "../../src/rules/event-registered.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const REGISTRY = "packages/contracts/src/registry.ts";
const BILLING = "services/billing-ledger/service.yaml";
const NOTIFICATIONS = "services/notifications/service.yaml";

describe("event-registered", () => {
  describe("valid", () => {
    it("accepts the example monorepo (string keys, `as const satisfies`)", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("reads computed string keys, `satisfies` and spreads of local objects", async () => {
      const files = exampleFiles();
      files[REGISTRY] = [
        'import { InvoiceCreatedV1 } from "./events/billing";',
        'const NOTIFICATION_EVENTS = { "notifications.email.sent.v1": EmailSentV1 };',
        "export const EVENT_SCHEMAS = {",
        '  ["billing.invoice.created.v1"]: InvoiceCreatedV1,',
        "  ...NOTIFICATION_EVENTS,",
        "} satisfies Record<string, unknown>;",
      ].join("\n");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("follows spreads of imported objects, computed keys from EVENT_NAMES and a re-exported EVENT_SCHEMAS", async () => {
      const files = exampleFiles();
      files["packages/contracts/src/groups.ts"] = [
        'import { EVENT_NAMES } from "./event-names";',
        'import { EmailSentV1 } from "./events/notifications";',
        "export const notificationEvents = { [EVENT_NAMES.NOTIFICATIONS_EMAIL_SENT_V1]: EmailSentV1 } as const;",
      ].join("\n");
      files["packages/contracts/src/schemas.ts"] = [
        'import * as names from "./event-names";',
        'import { notificationEvents } from "./groups";',
        'import { InvoiceCreatedV1 } from "./events/billing";',
        "const billing = { [names.EVENT_NAMES.BILLING_INVOICE_CREATED_V1]: InvoiceCreatedV1 };",
        "export const EVENT_SCHEMAS = { ...billing, ...notificationEvents } satisfies Record<string, unknown>;",
      ].join("\n");
      files[REGISTRY] = 'export { EVENT_SCHEMAS } from "./schemas";\n';
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts a service that declares no events, even without a registry", async () => {
      const files = exampleFiles();
      delete files[REGISTRY];
      edit(files, BILLING, "events_published: [billing.invoice.created.v1]", "events_published: []");
      edit(files, NOTIFICATIONS, /events_published:\n    - notifications.email.sent.v1\n  events_consumed:\n    - billing.invoice.created.v1/, "events_published: []\n  events_consumed: []");
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports an unregistered published event at its list item (flow style)", async () => {
      const files = exampleFiles();
      edit(files, BILLING, "[billing.invoice.created.v1]", "[billing.invoice.created.v1, billing.invoice.voided.v1]");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${BILLING}:9:50 error event-registered \`billing.invoice.voided.v1\` (contracts.events_published) is not a key of EVENT_SCHEMAS in ${REGISTRY}. Add its Zod schema under packages/contracts/src/events/ and register it there (guide step 5), or fix the name.`,
      ]);
    });

    it("reports a consumed event removed from the registry at its list item (block style)", async () => {
      const files = exampleFiles();
      edit(files, REGISTRY, '  "billing.invoice.created.v1": InvoiceCreatedV1,\n', "");
      const lines = describeFindings(await runRule(rule, files));
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^${BILLING}:9:22 error event-registered \`billing.invoice.created.v1\` \\(contracts.events_published\\)`)),
        expect.stringMatching(new RegExp(`^${NOTIFICATIONS}:12:7 error event-registered \`billing.invoice.created.v1\` \\(contracts.events_consumed\\)`)),
      ]);
    });

    it("reports a key missing behind spreads of repository objects as an error, and warns only about a package outside the repository", async () => {
      const files = exampleFiles();
      files["packages/contracts/src/groups.ts"] = 'export const billingEvents = { "billing.invoice.voided.v1": {} };\n';
      edit(files, REGISTRY, 'import type { ZodType } from "zod";', 'import type { ZodType } from "zod";\nimport { billingEvents } from "./groups";');
      edit(files, REGISTRY, '  "billing.invoice.created.v1": InvoiceCreatedV1,\n', "  ...billingEvents,\n");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        expect.stringMatching(new RegExp(`^${BILLING}:9:22 error event-registered \`billing.invoice.created.v1\` \\(contracts.events_published\\) is not a key`)),
        expect.stringMatching(new RegExp(`^${NOTIFICATIONS}:12:7 error event-registered \`billing.invoice.created.v1\` \\(contracts.events_consumed\\) is not a key`)),
      ]);
      edit(files, REGISTRY, 'import { billingEvents } from "./groups";', 'import { billingEvents } from "@acme/legacy-events";');
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${BILLING}:9:22 warning event-registered Cannot tell statically whether \`billing.invoice.created.v1\` (contracts.events_published) is registered: EVENT_SCHEMAS has keys this check cannot read (\`...billingEvents\` at ${REGISTRY}:9:3). List the key in the object literal to have it verified.`,
        `${NOTIFICATIONS}:12:7 warning event-registered Cannot tell statically whether \`billing.invoice.created.v1\` (contracts.events_consumed) is registered: EVENT_SCHEMAS has keys this check cannot read (\`...billingEvents\` at ${REGISTRY}:9:3). List the key in the object literal to have it verified.`,
      ]);
    });

    it("warns instead of guessing when EVENT_SCHEMAS spreads another module", async () => {
      const files = exampleFiles();
      edit(files, REGISTRY, '  "notifications.email.sent.v1": EmailSentV1,\n', "  ...notificationEvents,\n");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${NOTIFICATIONS}:10:7 warning event-registered Cannot tell statically whether \`notifications.email.sent.v1\` (contracts.events_published) is registered: EVENT_SCHEMAS has keys this check cannot read (\`...notificationEvents\` at ${REGISTRY}:9:3). List the key in the object literal to have it verified.`,
      ]);
    });

    it("warns about a computed key and reports a missing registry file once per service", async () => {
      const files = exampleFiles();
      edit(files, REGISTRY, '"example.created.v1": ExampleCreatedV1', "[EXAMPLE_EVENT]: ExampleCreatedV1");
      edit(files, BILLING, "[billing.invoice.created.v1]", "[example.created.v1]");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${BILLING}:9:22 warning event-registered Cannot tell statically whether \`example.created.v1\` (contracts.events_published) is registered: EVENT_SCHEMAS has keys this check cannot read (\`[EXAMPLE_EVENT]: ExampleCreatedV1\` at ${REGISTRY}:7:3). List the key in the object literal to have it verified.`,
      ]);
      delete files[REGISTRY];
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${REGISTRY}:-:- error event-registered service.yaml lists events, but ${REGISTRY} does not exist, so none of them is registered. Restore the contracts registry (guide step 5).`,
        `${REGISTRY}:-:- error event-registered service.yaml lists events, but ${REGISTRY} does not exist, so none of them is registered. Restore the contracts registry (guide step 5).`,
      ]);
    });
  });

  it("the example monorepo is clean under the whole engine", async () => {
    expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
  });
});
