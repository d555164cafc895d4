import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "health-endpoint-required",
    defaultSeverity: "error",
    title: "health-endpoint-required",
    messages: {},
  },
  check() {
    throw new Error("rule health-endpoint-required is not implemented yet");
  },
});
