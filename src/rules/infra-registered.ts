import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "infra-registered",
    defaultSeverity: "error",
    title: "infra-registered",
    messages: {},
  },
  check() {
    throw new Error("rule infra-registered is not implemented yet");
  },
});
