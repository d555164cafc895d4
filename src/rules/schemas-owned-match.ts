import { drizzleSchema } from "../analysis/drizzle/schema.js";
import { nodePosition } from "../analysis/ts/location.js";
import { constructText } from "../analysis/ts/syntax.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "schemas-owned-match",
    defaultSeverity: "error",
    title: "pgSchema declarations match service.yaml data.schemas_owned, and no schema has two owners",
    messages: {
      notListed:
        'The Drizzle schema declares pgSchema("{{schema}}"), but service.yaml does not list it in data.schemas_owned. Add `{{schema}}` to data.schemas_owned, or use a schema this service owns.',
      notDeclared:
        'service.yaml lists `{{schema}}` in data.schemas_owned, but the Drizzle schema declares no pgSchema("{{schema}}"){{declared}}. Remove it from the list, or declare `export const {{schema}} = pgSchema("{{schema}}")`.',
      dynamicName:
        "`{{call}}` names its schema with {{construct}}, which is only known at run time, so platform-checks cannot compare it with data.schemas_owned. Pass the schema name as a string literal.",
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
      const at = { path: decl.path, ...nodePosition(decl.call) };
      if (decl.name === undefined) {
        report({ messageId: "dynamicName", severity: "warning", data: { call: constructText(decl.call, 60), construct: decl.undecidable?.construct ?? "an expression" }, ...at });
      } else if (!owned.includes(decl.name)) {
        report({ messageId: "notListed", data: { schema: decl.name }, ...at });
      }
    }

    const dynamic = declared.find((d) => d.name === undefined);
    const declaredNames = declared.map((d) => d.name).filter((n): n is string => n !== undefined);
    const declaredNote = schema ? (declaredNames.length ? ` (it declares ${declaredNames.map((n) => `"${n}"`).join(", ")})` : "") : " (the service has no src/db/schema.ts)";
    owned.forEach((name, index) => {
      // A schema named at run time may be this one: its dynamicName warning is the one finding for it.
      if (typeof name !== "string" || declaredNames.includes(name) || dynamic) return;
      const at = { path: descriptor.path, ...descriptor.valuePositionOf(["data", "schemas_owned", index]) };
      report({ messageId: "notDeclared", data: { schema: name, declared: declaredNote }, ...at });
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
