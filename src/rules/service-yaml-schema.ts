import { z } from "zod";
import { defineServiceRule } from "../engine/rule.js";

const handle = /^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9._-]+)?$/;
const nonEmpty = z.string().trim().min(1, "must be a non-empty string");

/** The descriptor of seed step 2. Every field is required; `brand_scope` is further checked against config. */
const descriptorSchema = z.object({
  name: nonEmpty,
  display_name: nonEmpty,
  owner: z.string().regex(handle, "must be a GitHub @handle or @org/team"),
  team: nonEmpty,
  status: z.enum(["alpha", "beta", "stable"], { error: "must be one of alpha, beta, stable" }),
  description: nonEmpty,
  contracts: z.object({
    openapi: nonEmpty,
    events_published: z.array(nonEmpty, { error: "must be a list of event names" }),
    events_consumed: z.array(nonEmpty, { error: "must be a list of event names" }),
  }),
  data: z.object({
    database: nonEmpty,
    schemas_owned: z.array(nonEmpty, { error: "must be a list of schema names" }),
  }),
  brand_scope: z.array(nonEmpty, { error: "must be a list of brands" }).min(1, "must name at least one brand"),
});

const KNOWN_KEYS: Record<string, readonly string[]> = {
  "": Object.keys(descriptorSchema.shape),
  contracts: Object.keys(descriptorSchema.shape.contracts.shape),
  data: Object.keys(descriptorSchema.shape.data.shape),
};

export default defineServiceRule({
  meta: {
    id: "service-yaml-schema",
    defaultSeverity: "error",
    title: "service.yaml has every field of the guide with the right type",
    messages: {
      missingField: "service.yaml is missing `{{field}}` (guide step 2 lists every field; CI requires all of them).",
      invalidField: "`{{field}}` {{problem}}.",
      unknownBrand: "brand_scope lists `{{brand}}`, which is not a configured brand ({{brands}}).",
      unknownKey: "`{{field}}` is not a service.yaml field (known here: {{known}}); check for a typo.",
    },
  },
  async check(ctx, report) {
    const descriptor = await ctx.descriptor();
    const data = descriptor.data;
    if (!data) return; // service-yaml-required reports missing or unparseable files

    const result = descriptorSchema.safeParse(data);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path.join(".");
        const missing = issue.code === "invalid_type" && valueAt(data, issue.path) === undefined;
        if (missing) {
          // Point at the nearest parent that exists (e.g. `contracts:` for contracts.openapi), else line 1.
          report({ messageId: "missingField", data: { field }, path: descriptor.path, ...descriptor.positionOf(issue.path.slice(0, -1) as string[]) });
        } else {
          report({ messageId: "invalidField", data: { field, problem: issue.message }, path: descriptor.path, ...descriptor.valuePositionOf(issue.path as (string | number)[]) });
        }
      }
    }

    const brands = data["brand_scope"];
    if (Array.isArray(brands)) {
      brands.forEach((brand, index) => {
        if (typeof brand === "string" && brand.trim() && !ctx.config.brands.includes(brand)) {
          report({
            messageId: "unknownBrand",
            data: { brand, brands: ctx.config.brands.join(", ") },
            path: descriptor.path,
            ...descriptor.valuePositionOf(["brand_scope", index]),
          });
        }
      });
    }

    for (const [parent, known] of Object.entries(KNOWN_KEYS)) {
      const node = parent ? data[parent] : data;
      if (!node || typeof node !== "object" || Array.isArray(node)) continue;
      for (const key of Object.keys(node)) {
        if (known.includes(key)) continue;
        const keyPath = parent ? [parent, key] : [key];
        report({
          messageId: "unknownKey",
          data: { field: keyPath.join("."), known: known.join(", ") },
          path: descriptor.path,
          severity: "warning",
          ...descriptor.positionOf(keyPath),
        });
      }
    }
  },
});

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = data;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
