import { drizzleSchema } from "../analysis/drizzle-schema.js";
import { nodePosition } from "../analysis/imports.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "schemas-owned-match",
    defaultSeverity: "error",
    title: "pgSchema declarations match service.yaml data.schemas_owned, and no schema has two owners",
    messages: {
      notListed:
        'src/db/schema.ts declares pgSchema("{{schema}}"), but service.yaml does not list it in data.schemas_owned. Add `{{schema}}` to data.schemas_owned, or use a schema this service owns.',
      notDeclared:
        'service.yaml lists `{{schema}}` in data.schemas_owned, but src/db/schema.ts declares no pgSchema("{{schema}}"){{declared}}. Remove it from the list, or declare `export const {{schema}} = pgSchema("{{schema}}")`.',
      notDeclaredUndecidable:
        'service.yaml lists `{{schema}}` in data.schemas_owned; src/db/schema.ts declares no pgSchema("{{schema}}") that platform-checks can read, but it has {{construct}} (line {{line}}), whose name is computed. Use a string literal so the schema can be checked.',
      dynamicName:
        "`{{construct}}` names its schema with an expression, so platform-checks cannot compare it with data.schemas_owned. Pass the schema name as a string literal.",
      ownedTwice:
        "Schema `{{schema}}` is also listed in data.schemas_owned of service `{{other}}` ({{otherPath}}). A schema has one owning service: remove it from one of the two.",
    },
  },
  async check(ctx, report) {
    const descriptor = await ctx.descriptor();
    const listed = descriptor.data?.["data"] && (descriptor.data["data"] as Record<string, unknown>)["schemas_owned"];
    // service-yaml-schema reports a missing or malformed list.
    const owned = Array.isArray(listed) ? listed : [];
    const schema = await drizzleSchema(ctx);
    const declared = schema?.schemas ?? [];

    for (const decl of declared) {
      const at = { path: schema!.path, ...nodePosition(decl.call) };
      if (decl.name === undefined) {
        report({ messageId: "dynamicName", severity: "warning", data: { construct: decl.call.getText().replace(/\s+/g, " ") }, ...at });
      } else if (!owned.includes(decl.name)) {
        report({ messageId: "notListed", data: { schema: decl.name }, ...at });
      }
    }

    const dynamic = declared.find((d) => d.name === undefined);
    const declaredNames = declared.map((d) => d.name).filter((n): n is string => n !== undefined);
    const declaredNote = schema ? (declaredNames.length ? ` (it declares ${declaredNames.map((n) => `"${n}"`).join(", ")})` : "") : " (the file does not exist)";
    owned.forEach((name, index) => {
      if (typeof name !== "string" || declaredNames.includes(name)) return;
      const at = { path: descriptor.path, ...descriptor.valuePositionOf(["data", "schemas_owned", index]) };
      if (dynamic) {
        report({ messageId: "notDeclaredUndecidable", severity: "warning", data: { schema: name, construct: dynamic.call.getText().replace(/\s+/g, " "), line: nodePosition(dynamic.call).line }, ...at });
      } else {
        report({ messageId: "notDeclared", data: { schema: name, declared: declaredNote }, ...at });
      }
    });

    for (const other of ctx.repo.allServices) {
      if (other.name === ctx.service.name) continue;
      const otherDescriptor = await ctx.repo.descriptor(other);
      const otherData = otherDescriptor.data?.["data"];
      const otherOwned = otherData && typeof otherData === "object" ? (otherData as Record<string, unknown>)["schemas_owned"] : undefined;
      if (!Array.isArray(otherOwned)) continue;
      owned.forEach((name, index) => {
        if (typeof name !== "string" || !otherOwned.includes(name)) return;
        report({
          messageId: "ownedTwice",
          data: { schema: name, other: other.name, otherPath: otherDescriptor.path },
          path: descriptor.path,
          ...descriptor.valuePositionOf(["data", "schemas_owned", index]),
        });
      });
    }
  },
});
