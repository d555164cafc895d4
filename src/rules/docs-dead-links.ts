import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "docs-dead-links",
    defaultSeverity: "error",
    title: "docs-dead-links",
    messages: {},
  },
  check() {
    throw new Error("rule docs-dead-links is not implemented yet");
  },
});
