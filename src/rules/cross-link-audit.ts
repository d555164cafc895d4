import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "cross-link-audit",
    defaultSeverity: "error",
    title: "cross-link-audit",
    messages: {},
  },
  check() {
    throw new Error("rule cross-link-audit is not implemented yet");
  },
});
