import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "ai-overview-staleness",
    defaultSeverity: "error",
    title: "ai-overview-staleness",
    messages: {},
  },
  check() {
    throw new Error("rule ai-overview-staleness is not implemented yet");
  },
});
