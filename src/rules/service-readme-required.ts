import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "service-readme-required",
    defaultSeverity: "error",
    title: "service-readme-required",
    messages: {},
  },
  check() {
    throw new Error("rule service-readme-required is not implemented yet");
  },
});
