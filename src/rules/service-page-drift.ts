import { frontMatterAt } from "../analysis/front-matter.js";
import { defineServiceRule } from "../engine/rule.js";

/** The fields the service page's front matter mirrors from service.yaml (SPEC section 1). */
const MIRRORED_FIELDS = ["display_name", "owner", "team", "status", "description"] as const;

export default defineServiceRule({
  meta: {
    id: "service-page-drift",
    defaultSeverity: "error",
    title: "The service page's front matter matches service.yaml",
    messages: {
      noFrontMatter:
        "{{page}} has no front matter. Start it with a `---` block mirroring service.yaml: display_name, owner, team, status, description.",
      invalidFrontMatter: "The front matter of {{page}} is not valid YAML: {{error}}",
      fieldMissing: "The front matter of {{page}} has no `{{field}}`. Add `{{field}}: {{expected}}` (from service.yaml).",
      fieldDrift: "`{{field}}` is {{found}} here but {{expected}} in service.yaml. Update the service page to match service.yaml (service.yaml is the source of truth).",
    },
  },
  async check(ctx, report) {
    const page = `docs/services/${ctx.service.name}.md`;
    const front = await frontMatterAt(ctx.repo, page);
    if (front === undefined) return; // a missing page is cross-link-audit's finding
    if (front === null) {
      report({ messageId: "noFrontMatter", data: { page }, path: page, line: 1, column: 1 });
      return;
    }
    if (front.syntaxError) {
      const { message, line, column } = front.syntaxError;
      report({ messageId: "invalidFrontMatter", data: { page, error: message }, path: page, line, column });
      return;
    }
    const source = (await ctx.descriptor()).data;
    for (const field of MIRRORED_FIELDS) {
      const expected = source?.[field];
      if (typeof expected !== "string") continue; // service-yaml-schema reports a missing or mistyped field
      const found = front.data?.[field];
      if (found === undefined || found === null) {
        report({ messageId: "fieldMissing", data: { page, field, expected: JSON.stringify(expected) }, path: page, ...front.position });
      } else if (!same(field, String(found), expected)) {
        report({
          messageId: "fieldDrift",
          data: { field, found: JSON.stringify(String(found)), expected: JSON.stringify(expected) },
          path: page,
          ...front.valuePositionOf(field),
        });
      }
    }
  },
});

/** GitHub handles are case-insensitive; every other field must match exactly (surrounding blanks aside). */
function same(field: string, a: string, b: string): boolean {
  return field === "owner" ? a.trim().toLowerCase() === b.trim().toLowerCase() : a.trim() === b.trim();
}
