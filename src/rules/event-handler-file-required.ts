import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "event-handler-file-required",
    defaultSeverity: "error",
    title: "event-handler-file-required",
    messages: {},
  },
  check() {
    throw new Error("rule event-handler-file-required is not implemented yet");
  },
});
