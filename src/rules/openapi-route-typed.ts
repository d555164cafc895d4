import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "openapi-route-typed",
    defaultSeverity: "error",
    title: "openapi-route-typed",
    messages: {},
  },
  check() {
    throw new Error("rule openapi-route-typed is not implemented yet");
  },
});
