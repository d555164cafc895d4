import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "sdk-drift",
    defaultSeverity: "error",
    title: "sdk-drift",
    messages: {},
  },
  check() {
    throw new Error("rule sdk-drift is not implemented yet");
  },
});
