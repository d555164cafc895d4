import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "service-page-drift",
    defaultSeverity: "error",
    title: "service-page-drift",
    messages: {},
  },
  check() {
    throw new Error("rule service-page-drift is not implemented yet");
  },
});
