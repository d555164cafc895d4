import { describe, expect, it } from "vitest";
import rule from "../../src/rules/event-name-constant.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const INVOICE = "services/billing-ledger/src/services/invoice.service.ts";
const EXTRA = "services/billing-ledger/src/services/refund.service.ts";

/** A service file whose line 6 is the publishEvent call and line 7 its first argument. */
function refundService(importLines: string, call: string, firstArgument: string): string {
  return [
    importLines,
    "",
    "export class RefundService {",
    "  async refund(tx: Tx, id: string, name: string) {",
    "    // publish the refund",
    `    await ${call}(`,
    `      ${firstArgument},`,
    "      { id },",
    "      { tx },",
    "    );",
    "  }",
    "}",
  ].join("\n");
}

describe("event-name-constant", () => {
  describe("valid", () => {
    it("accepts the example (renamed publishEvent, namespaced contracts.EVENT_NAMES)", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts EVENT_NAMES renamed, indexed with a literal, or held in a local const", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService(
        'import { EVENT_NAMES as N } from "@platform/contracts";\nimport * as ev from "@platform/events";\nconst REFUNDED = N.BILLING_INVOICE_CREATED_V1;',
        "ev.publishEvent",
        'N["BILLING_INVOICE_CREATED_V1"]',
      ).replace("{ id },", "{ id, again: await ev.publishEvent(REFUNDED, { id }, { tx }) },");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("ignores a publishEvent that is not the platform's", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService('import { publishEvent } from "./local-bus";', "publishEvent", '"billing.refund.v1"');
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a string literal at the argument and suggests the constant", async () => {
      const files = exampleFiles();
      edit(files, INVOICE, "EVENT_NAMES.BILLING_INVOICE_CREATED_V1", '"billing.invoice.created.v1"');
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${INVOICE}:24:9 error event-name-constant publishEvent is given the string "billing.invoice.created.v1". Use the generated constant \`EVENT_NAMES.BILLING_INVOICE_CREATED_V1\` (import { EVENT_NAMES } from "@platform/contracts"), so a renamed or unregistered event fails the typecheck.`,
      ]);
    });

    it("reports a template literal and a string held in a local const (namespaced import)", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService(
        'import * as events from "@platform/events";\nconst REFUND = "billing.refund.created.v1";',
        "events.publishEvent",
        "`billing.${name}.v1`",
      ).replace("{ id },", "{ id, again: await events.publishEvent(REFUND, { id }, { tx }) },");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${EXTRA}:8:7 error event-name-constant publishEvent is given the template literal \`billing.\${name}.v1\`, an event name built at run time. Pass a constant \`EVENT_NAMES.<X>\` from @platform/contracts instead.`,
        `${EXTRA}:9:46 error event-name-constant publishEvent is given the string "billing.refund.created.v1". Use the generated constant \`EVENT_NAMES.BILLING_REFUND_CREATED_V1\` (import { EVENT_NAMES } from "@platform/contracts"), so a renamed or unregistered event fails the typecheck.`,
      ]);
    });

    it("follows the event name a helper receives to each caller, and reports a string where the caller writes it", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/src/services/outbox.ts"] = [
        'import { publishEvent } from "@platform/events";',
        "export const enqueue = (tx: unknown, event: string) => publishEvent(event, {}, { tx });",
      ].join("\n");
      files[EXTRA] = [
        'import { EVENT_NAMES } from "@platform/contracts";',
        'import { enqueue } from "./outbox";',
        "export class RefundService {",
        "  async refund(db: { transaction(fn: (tx: unknown) => Promise<void>): Promise<void> }) {",
        "    await db.transaction(async (tx) => {",
        "      await enqueue(tx, EVENT_NAMES.BILLING_INVOICE_CREATED_V1);",
        '      await enqueue(tx, "billing.refund.created.v1");',
        "    });",
        "  }",
        "}",
      ].join("\n");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${EXTRA}:7:25 error event-name-constant publishEvent is given the string "billing.refund.created.v1". Use the generated constant \`EVENT_NAMES.BILLING_REFUND_CREATED_V1\` (import { EVENT_NAMES } from "@platform/contracts"), so a renamed or unregistered event fails the typecheck.`,
      ]);
    });

    it("warns about an argument it cannot decide, and errors on a missing one", async () => {
      const files = exampleFiles();
      files[EXTRA] = refundService('import { publishEvent as emit } from "@platform/events";', "emit", "name").replace(
        "// publish the refund",
        "await emit();",
      );
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${EXTRA}:5:11 error event-name-constant publishEvent is called without an event name. Pass \`EVENT_NAMES.<X>\` from @platform/contracts as the first argument.`,
        `${EXTRA}:7:7 warning event-name-constant Cannot tell statically which event \`name\` is. Pass \`EVENT_NAMES.<X>\` from @platform/contracts directly so the event can be checked against service.yaml.`,
      ]);
    });
  });

  it("the example monorepo is clean under the whole engine", async () => {
    expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
  });
});
