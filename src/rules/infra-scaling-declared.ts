import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "infra-scaling-declared",
    defaultSeverity: "error",
    title: "infra-scaling-declared",
    messages: {},
  },
  check() {
    throw new Error("rule infra-scaling-declared is not implemented yet");
  },
});
