import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "openapi-drift",
    defaultSeverity: "error",
    title: "openapi-drift",
    messages: {},
  },
  check() {
    throw new Error("rule openapi-drift is not implemented yet");
  },
});
