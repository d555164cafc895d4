import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "service-class-required",
    defaultSeverity: "error",
    title: "service-class-required",
    messages: {},
  },
  check() {
    throw new Error("rule service-class-required is not implemented yet");
  },
});
