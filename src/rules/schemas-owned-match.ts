import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "schemas-owned-match",
    defaultSeverity: "error",
    title: "schemas-owned-match",
    messages: {},
  },
  check() {
    throw new Error("rule schemas-owned-match is not implemented yet");
  },
});
