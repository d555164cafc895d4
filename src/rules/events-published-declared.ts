import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "events-published-declared",
    defaultSeverity: "error",
    title: "events-published-declared",
    messages: {},
  },
  check() {
    throw new Error("rule events-published-declared is not implemented yet");
  },
});
