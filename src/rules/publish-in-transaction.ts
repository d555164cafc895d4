import { publishCalls } from "../analysis/events.js";
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
      optionsNotDecidable:
        "Cannot tell statically whether `{{construct}}` passes `tx` to publishEvent. Write `tx` in the options object literal (e.g. `{ ...opts, tx }`) so the transaction is visible.",
    },
  },
  async check(ctx, report) {
    for (const call of await publishCalls(ctx)) {
      const tx = call.tx;
      if (tx.kind === "missing") report({ messageId: "optionsMissing", ...tx.at });
      else if (tx.kind === "absent") report({ messageId: "txMissing", ...tx.at });
      else if (tx.kind === "unknown") report({ messageId: "optionsNotDecidable", data: { construct: tx.construct }, severity: "warning", ...tx.at });
    }
  },
});
