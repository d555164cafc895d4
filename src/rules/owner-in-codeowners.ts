import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "owner-in-codeowners",
    defaultSeverity: "error",
    title: "owner-in-codeowners",
    messages: {},
  },
  check() {
    throw new Error("rule owner-in-codeowners is not implemented yet");
  },
});
