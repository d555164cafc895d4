import { declaredEvents } from "../analysis/events/declared-events.js";
import { handlerExport } from "../analysis/events/handler-export.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "event-handler-file-required",
    defaultSeverity: "error",
    title: "Each consumed event has src/events/<event-name>.ts exporting handler",
    messages: {
      missingFile:
        "`{{event}}` is listed in events_consumed, but {{file}} does not exist. Create it and export the consumer as `handler` (guide step 5).",
      noHandler: "{{file}} handles `{{event}}` but does not export `handler`. Add `export async function handler(event) { … }` or `export { yourFunction as handler }`.",
      notExported: "`handler` is declared here but not exported. Export it: `export const handler = …` or `export { handler }`.",
      otherName:
        "{{file}} handles `{{event}}` and exports `{{name}}`, but not `handler`, the name the event runtime imports. Add `export { {{name}} as handler }` or rename it.",
      default: "The consumer is a default export; the event runtime imports the named export `handler`. Export it by name: `export { yourFunction as handler }`.",
      cannotDecide:
        "Cannot tell statically whether {{file}} exports `handler`: it only re-exports `{{construct}}`, which this check cannot read. Export `handler` from this file by name.",
    },
  },
  async check(ctx, report) {
    const descriptor = await ctx.descriptor();
    for (const entry of declaredEvents(descriptor, "events_consumed")) {
      const file = ctx.path(`src/events/${entry.event}.ts`);
      if (!ctx.repo.exists(file)) {
        report({
          messageId: "missingFile",
          data: { event: entry.event, file },
          path: descriptor.path,
          ...descriptor.valuePositionOf(["contracts", entry.list, entry.index]),
        });
        continue;
      }
      const result = await handlerExport(ctx, file);
      if (result.kind === "exported") continue;
      if (result.kind === "unknown") {
        report({ messageId: "cannotDecide", data: { file, construct: result.construct }, severity: "warning", ...result.at });
      } else if (result.hint) {
        report({ messageId: result.hint.what, data: { file, event: entry.event, name: result.hint.name ?? "" }, ...result.hint.at });
      } else {
        // No construct to point at: the whole file lacks the export.
        report({ messageId: "noHandler", data: { file, event: entry.event }, path: file, line: 1, column: 1 });
      }
    }
  },
});
