import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "template-placeholders-replaced",
    defaultSeverity: "error",
    title: "template-placeholders-replaced",
    messages: {},
  },
  check() {
    throw new Error("rule template-placeholders-replaced is not implemented yet");
  },
});
