import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "service-name-consistent",
    defaultSeverity: "error",
    title: "service-name-consistent",
    messages: {},
  },
  check() {
    throw new Error("rule service-name-consistent is not implemented yet");
  },
});
