import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "require-scope-enforcement",
    defaultSeverity: "error",
    title: "require-scope-enforcement",
    messages: {},
  },
  check() {
    throw new Error("rule require-scope-enforcement is not implemented yet");
  },
});
