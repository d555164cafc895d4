import { defineRepoRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineRepoRule({
  meta: {
    id: "changeset-valid",
    defaultSeverity: "error",
    title: "changeset-valid",
    messages: {},
  },
  check() {
    throw new Error("rule changeset-valid is not implemented yet");
  },
});
