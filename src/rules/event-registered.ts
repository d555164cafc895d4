import { describeUndecidable, eventContracts, REGISTRY_PATH } from "../analysis/events/contracts.js";
import { declaredEvents } from "../analysis/events/declared-events.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "event-registered",
    defaultSeverity: "error",
    title: "Every event in service.yaml is registered in EVENT_SCHEMAS",
    messages: {
      notRegistered:
        "`{{event}}` ({{list}}) is not a key of EVENT_SCHEMAS in {{registry}}. Add its Zod schema under packages/contracts/src/events/ and register it there (guide step 5), or fix the name.",
      registryMissing:
        "service.yaml lists events, but {{registry}} does not exist, so none of them is registered. Restore the contracts registry (guide step 5).",
      registryWithoutSchemas:
        "{{registry}} does not declare `EVENT_SCHEMAS`, so `{{event}}` ({{list}}) cannot be registered. Declare `export const EVENT_SCHEMAS = { … }` there.",
      cannotDecide:
        "Cannot tell statically whether `{{event}}` ({{list}}) is registered: EVENT_SCHEMAS has keys this check cannot read ({{constructs}}). List the key in the object literal to have it verified.",
    },
  },
  async check(ctx, report) {
    const descriptor = await ctx.descriptor();
    const events = declaredEvents(descriptor);
    if (events.length === 0) return;
    const { registry } = await eventContracts(ctx.repo);
    if (!registry.exists) {
      report({ messageId: "registryMissing", data: { registry: REGISTRY_PATH }, path: REGISTRY_PATH });
      return;
    }
    for (const entry of events) {
      if (registry.entries.has(entry.event)) continue;
      const data = { event: entry.event, list: `contracts.${entry.list}`, registry: REGISTRY_PATH };
      const where = { path: descriptor.path, ...descriptor.valuePositionOf(["contracts", entry.list, entry.index]) };
      if (registry.undecidable.length > 0) {
        report({ messageId: "cannotDecide", data: { ...data, constructs: describeUndecidable(registry.undecidable) }, severity: "warning", ...where });
      } else if (!registry.declared) {
        report({ messageId: "registryWithoutSchemas", data, ...where });
      } else {
        report({ messageId: "notRegistered", data, ...where });
      }
    }
  },
});
