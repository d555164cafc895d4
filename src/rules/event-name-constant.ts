import { publishCalls } from "../analysis/events/publish-calls.js";
import { eventConstantName } from "../engine/names.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "event-name-constant",
    defaultSeverity: "error",
    title: "publishEvent names its event with EVENT_NAMES.<X>",
    messages: {
      stringLiteral:
        "publishEvent is given the string \"{{event}}\". Use the generated constant `EVENT_NAMES.{{constant}}` (import { EVENT_NAMES } from \"@platform/contracts\"), so a renamed or unregistered event fails the typecheck.",
      templateLiteral:
        "publishEvent is given the template literal {{construct}}, an event name built at run time. Pass a constant `EVENT_NAMES.<X>` from @platform/contracts instead.",
      notDecidable:
        "Cannot tell statically which event `{{construct}}` is. Pass `EVENT_NAMES.<X>` from @platform/contracts directly so the event can be checked against service.yaml.",
      missingArgument: "publishEvent is called without an event name. Pass `EVENT_NAMES.<X>` from @platform/contracts as the first argument.",
    },
  },
  async check(ctx, report) {
    for (const event of (await publishCalls(ctx)).flatMap((call) => call.events)) {
      switch (event.kind) {
        case "constant":
          break;
        case "literal":
          report({ messageId: "stringLiteral", data: { event: event.value, constant: eventConstantName(event.value) }, ...event.at });
          break;
        case "template":
          report({ messageId: "templateLiteral", data: { construct: event.construct }, ...event.at });
          break;
        case "other":
          report({ messageId: "notDecidable", data: { construct: event.construct }, severity: "warning", ...event.at });
          break;
        case "missing":
          report({ messageId: "missingArgument", ...event.at });
          break;
      }
    }
  },
});
