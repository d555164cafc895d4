import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "repository-brand-filter",
    defaultSeverity: "error",
    title: "repository-brand-filter",
    messages: {},
  },
  check() {
    throw new Error("rule repository-brand-filter is not implemented yet");
  },
});
