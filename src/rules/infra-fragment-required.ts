import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "infra-fragment-required",
    defaultSeverity: "error",
    title: "infra-fragment-required",
    messages: {},
  },
  check() {
    throw new Error("rule infra-fragment-required is not implemented yet");
  },
});
