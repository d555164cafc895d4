import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "migration-brand-id-required",
    defaultSeverity: "error",
    title: "migration-brand-id-required",
    messages: {},
  },
  check() {
    throw new Error("rule migration-brand-id-required is not implemented yet");
  },
});
