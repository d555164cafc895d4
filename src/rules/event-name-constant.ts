import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "event-name-constant",
    defaultSeverity: "error",
    title: "event-name-constant",
    messages: {},
  },
  check() {
    throw new Error("rule event-name-constant is not implemented yet");
  },
});
