import { defineServiceRule } from "../../src/engine/rule.js";

/**
 * Tiny stand-ins with the ids of real rules, each failing on one obvious
 * marker in the service, so checklist and reporter tests control exactly which
 * auto items pass without depending on the real rules' logic.
 */
export function markerRule(id: string, marker: string, messageId = "found") {
  return defineServiceRule({
    meta: { id, defaultSeverity: "error", title: `${id} (test stand-in)`, messages: { [messageId]: `${id}: {{file}} contains ${marker}` } },
    async check(ctx, report) {
      for (const path of ctx.files) {
        const text = (await ctx.read(path)) ?? "";
        const offset = text.indexOf(marker);
        if (offset >= 0) {
          const line = text.slice(0, offset).split("\n").length;
          report({ messageId, data: { file: path }, path, line, column: 1 });
        }
      }
    },
  });
}
