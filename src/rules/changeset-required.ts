import { defineRepoRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineRepoRule({
  meta: {
    id: "changeset-required",
    defaultSeverity: "error",
    title: "changeset-required",
    messages: {},
  },
  check() {
    throw new Error("rule changeset-required is not implemented yet");
  },
});
