import { describe, expect, it } from "vitest";
import rule from "../../src/rules/events-published-declared.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const INVOICE = "services/billing-ledger/src/services/invoice.service.ts";
const DELIVERY = "services/notifications/src/services/delivery.service.ts";
const BILLING_YAML = "services/billing-ledger/service.yaml";
const NOTIFICATIONS_YAML = "services/notifications/service.yaml";
const EVENT_NAMES = "packages/contracts/src/event-names.ts";

describe("events-published-declared", () => {
  describe("valid", () => {
    it("accepts the example (named+renamed and namespaced imports)", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("resolves a renamed EVENT_NAMES import and a constant held in a local const", async () => {
      const files = exampleFiles();
      edit(files, INVOICE, 'import { EVENT_NAMES } from "@platform/contracts";', 'import { EVENT_NAMES as Events } from "@platform/contracts";\nconst CREATED = Events.BILLING_INVOICE_CREATED_V1;');
      edit(files, INVOICE, "        EVENT_NAMES.BILLING_INVOICE_CREATED_V1,", "        CREATED,");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("reads the event name through the compiler when the contracts package lives elsewhere in the workspace", async () => {
      const files = exampleFiles();
      for (const path of Object.keys(files).filter((p) => p.startsWith("packages/contracts/"))) {
        files[path.replace("packages/contracts/", "packages/platform-contracts/")] = files[path]!;
        delete files[path];
      }
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("does not call a listed event unpublished when a call cannot be decided", async () => {
      const files = exampleFiles();
      edit(files, INVOICE, "        EVENT_NAMES.BILLING_INVOICE_CREATED_V1,", "        eventFor(input),");
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a published event missing from events_published at the call", async () => {
      const files = exampleFiles();
      edit(files, INVOICE, "EVENT_NAMES.BILLING_INVOICE_CREATED_V1", "EVENT_NAMES.EXAMPLE_CREATED_V1");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${BILLING_YAML}:9:22 warning events-published-declared \`billing.invoice.created.v1\` is listed in events_published, but no \`publishEvent\` call in src/ publishes it. Remove it from the list, or publish it with \`publishEvent(EVENT_NAMES.BILLING_INVOICE_CREATED_V1, …, { tx })\`.`,
        `${INVOICE}:23:13 error events-published-declared This call publishes \`example.created.v1\`, but service.yaml \`contracts.events_published\` does not list it. Add \`example.created.v1\` to events_published (guide step 5).`,
      ]);
    });

    it("reports a namespaced constant that is not in EVENT_NAMES, naming it", async () => {
      const files = exampleFiles();
      edit(files, DELIVERY, "contracts.EVENT_NAMES.NOTIFICATIONS_EMAIL_SENT_V1", "contracts.EVENT_NAMES.NOTIFICATIONS_EMAIL_SENT_V2");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${DELIVERY}:20:9 error events-published-declared \`EVENT_NAMES.NOTIFICATIONS_EMAIL_SENT_V2\` is not in ${EVENT_NAMES}. Register the event in packages/contracts/src/registry.ts and run \`pnpm --filter @platform/contracts gen\`, or use an existing constant.`,
      ]);
    });

    it("warns about a listed event nothing publishes, at its list item", async () => {
      const files = exampleFiles();
      edit(files, NOTIFICATIONS_YAML, "    - notifications.email.sent.v1\n", "    - notifications.email.sent.v1\n    - notifications.sms.sent.v1\n");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${NOTIFICATIONS_YAML}:11:7 warning events-published-declared \`notifications.sms.sent.v1\` is listed in events_published, but no \`publishEvent\` call in src/ publishes it. Remove it from the list, or publish it with \`publishEvent(EVENT_NAMES.NOTIFICATIONS_SMS_SENT_V1, …, { tx })\`.`,
      ]);
    });

    it("checks a string-literal event too, and warns when EVENT_NAMES cannot be read", async () => {
      const files = exampleFiles();
      edit(files, INVOICE, "EVENT_NAMES.BILLING_INVOICE_CREATED_V1", '"billing.invoice.voided.v1"');
      edit(files, DELIVERY, "contracts.EVENT_NAMES.NOTIFICATIONS_EMAIL_SENT_V1", "contracts.EVENT_NAMES.NOTIFICATIONS_EMAIL_BOUNCED_V1");
      edit(files, EVENT_NAMES, "} as const;", "  ...GENERATED_NOTIFICATIONS,\n} as const;");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${BILLING_YAML}:9:22 warning events-published-declared \`billing.invoice.created.v1\` is listed in events_published, but no \`publishEvent\` call in src/ publishes it. Remove it from the list, or publish it with \`publishEvent(EVENT_NAMES.BILLING_INVOICE_CREATED_V1, …, { tx })\`.`,
        `${INVOICE}:23:13 error events-published-declared This call publishes \`billing.invoice.voided.v1\`, but service.yaml \`contracts.events_published\` does not list it. Add \`billing.invoice.voided.v1\` to events_published (guide step 5).`,
        `${DELIVERY}:20:9 warning events-published-declared Cannot tell statically which event \`EVENT_NAMES.NOTIFICATIONS_EMAIL_BOUNCED_V1\` is: EVENT_NAMES has entries this check cannot read (\`...GENERATED_NOTIFICATIONS\` at ${EVENT_NAMES}:6:3).`,
      ]);
    });
  });

  it("a deliberately broken copy of the example gives one finding per break, across the event rules", async () => {
    const EVENT_RULES = ["event-registered", "events-published-declared", "event-handler-file-required", "publish-in-transaction", "event-name-constant"];
    const report = await runAllOnExample((files) => {
      // event-registered: the registry loses an event notifications publishes.
      edit(files, "packages/contracts/src/registry.ts", '  "notifications.email.sent.v1": EmailSentV1,\n', "");
      // events-published-declared: billing publishes an event it does not declare.
      edit(files, INVOICE, "      return row;", "      await publish(EVENT_NAMES.EXAMPLE_CREATED_V1, { id: row.id }, { tx });\n      return row;");
      // event-handler-file-required: the consumer's handler file is gone.
      delete files["services/notifications/src/events/billing.invoice.created.v1.ts"];
      // event-name-constant + publish-in-transaction: a string event name, and no { tx }.
      edit(files, DELIVERY, "contracts.EVENT_NAMES.NOTIFICATIONS_EMAIL_SENT_V1", '"notifications.email.sent.v1"');
      edit(files, DELIVERY, "        { tx },\n", "");
    });
    const mine = report.findings.filter((f) => EVENT_RULES.includes(f.rule));
    expect(mine.map((f) => `${f.path}:${f.line}:${f.column} ${f.rule}`)).toEqual([
      `${INVOICE}:28:13 events-published-declared`,
      `${NOTIFICATIONS_YAML}:10:7 event-registered`,
      `${NOTIFICATIONS_YAML}:12:7 event-handler-file-required`,
      `${DELIVERY}:19:13 publish-in-transaction`,
      `${DELIVERY}:20:9 event-name-constant`,
    ]);
  });

  it("the example monorepo is clean under the whole engine", async () => {
    expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
  });
});
