import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "event-registered",
    defaultSeverity: "error",
    title: "event-registered",
    messages: {},
  },
  check() {
    throw new Error("rule event-registered is not implemented yet");
  },
});
