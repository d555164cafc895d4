import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "service-yaml-required",
    defaultSeverity: "error",
    title: "service.yaml exists and is valid YAML",
    messages: {
      missing: "{{dir}}/service.yaml is missing. Copy it from services/_template and fill in every field (guide step 2).",
      invalidYaml: "service.yaml is not valid YAML: {{error}}",
      notMapping: "service.yaml must be a YAML mapping of fields (name, display_name, owner, …), not {{found}}.",
    },
  },
  async check(ctx, report) {
    const descriptor = await ctx.descriptor();
    if (descriptor.text === undefined) {
      report({ messageId: "missing", data: { dir: ctx.service.dir }, path: descriptor.path });
    } else if (descriptor.syntaxError) {
      const { message, line, column } = descriptor.syntaxError;
      report({ messageId: "invalidYaml", data: { error: message }, path: descriptor.path, line, column });
    } else if (descriptor.data === undefined) {
      report({ messageId: "notMapping", data: { found: "an empty file or a scalar/list" }, path: descriptor.path, line: 1, column: 1 });
    }
  },
});
