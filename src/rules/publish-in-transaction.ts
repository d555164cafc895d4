import { publishCalls } from "../analysis/events/publish-calls.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "publish-in-transaction",
    defaultSeverity: "error",
    title: "publishEvent passes { tx } (transactional outbox)",
    messages: {
      optionsMissing:
        "publishEvent is called without options, so the event is not written in the caller's transaction. Pass the transaction as the third argument: `publishEvent(EVENT_NAMES.X, payload, { tx })` inside `db().transaction(async (tx) => …)`.",
      txMissing:
        "publishEvent's options do not pass the transaction (`tx`), so the event can be published for a write that rolls back. Add `tx`: `{ tx }` or `{ tx: trx }`.",
      txEmpty:
        "`tx: {{value}}` passes no transaction, so the event can be published for a write that rolls back. Pass the callback's transaction: `{ tx }`.",
      notTransaction:
        "`{{value}}` is not the transaction an enclosing `db.transaction(async (tx) => …)` callback received ({{origin}}), so the event is not written atomically with the change. Publish inside the callback and pass its parameter: `{ tx }`.",
      txNotDecidable:
        "Cannot tell statically whether `{{value}}` is a transaction: {{reason}}. Publish inside `db.transaction(async (tx) => …)` and pass `{ tx }`.",
      notAwaited:
        "publishEvent is not awaited by the transaction (a bare call, `void`, or inside `forEach`, which drops its callback's promise), so the transaction can commit (and release its connection) before the event is written. `await` it in the transaction callback (`for … of` rather than `forEach`).",
      optionsNotDecidable:
        "Cannot tell statically whether `{{construct}}` passes `tx` to publishEvent. Write `tx` in the options object literal (e.g. `{ ...opts, tx }`) so the transaction is visible.",
    },
  },
  async check(ctx, report) {
    for (const call of await publishCalls(ctx)) {
      const tx = call.tx;
      // A floating publish is reported only where the transaction is right: elsewhere the tx finding says more.
      if (call.floating && tx.kind === "tx" && tx.verdict.kind === "transaction") report({ messageId: "notAwaited", ...call.at });
      if (tx.kind === "missing") report({ messageId: "optionsMissing", ...tx.at });
      else if (tx.kind === "absent") report({ messageId: "txMissing", ...tx.at });
      else if (tx.kind === "unknown") report({ messageId: "optionsNotDecidable", data: { construct: tx.construct }, severity: "warning", ...tx.at });
      else if (tx.verdict.kind === "empty") report({ messageId: "txEmpty", data: { value: tx.value }, ...tx.at });
      else if (tx.verdict.kind === "notTransaction") report({ messageId: "notTransaction", data: { value: tx.value, origin: tx.verdict.origin }, ...tx.at });
      else if (tx.verdict.kind === "undecidable") {
        report({ messageId: "txNotDecidable", data: { value: tx.value, reason: tx.verdict.reason }, severity: "warning", ...tx.at });
      }
    }
  },
});
