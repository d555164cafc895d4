import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "service-runbook-required",
    defaultSeverity: "error",
    title: "service-runbook-required",
    messages: {},
  },
  check() {
    throw new Error("rule service-runbook-required is not implemented yet");
  },
});
