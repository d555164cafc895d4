import { defineServiceRule } from "../engine/rule.js";

// PLACEHOLDER: replaced by the real rule. It throws so that it can never pass silently.
export default defineServiceRule({
  meta: {
    id: "test-buckets-required",
    defaultSeverity: "error",
    title: "test-buckets-required",
    messages: {},
  },
  check() {
    throw new Error("rule test-buckets-required is not implemented yet");
  },
});
