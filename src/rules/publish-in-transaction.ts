import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "publish-in-transaction",
    defaultSeverity: "error",
    title: "publish-in-transaction",
    messages: {},
  },
  check() {
    throw new Error("rule publish-in-transaction is not implemented yet");
  },
});
