import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "repository-class-required",
    defaultSeverity: "error",
    title: "repository-class-required",
    messages: {},
  },
  check() {
    throw new Error("rule repository-class-required is not implemented yet");
  },
});
