import type { ServiceContext } from "../engine/context.js";
import { positionAt } from "../engine/positions.js";
import { defineServiceRule } from "../engine/rule.js";

/** The guide's placeholders (step 1, 2, 6), used always: with or without a template in the tree. */
const BUILT_IN_PLACEHOLDERS = ["<your-service>", "<Your Service>", "<YourService>", "<your_schema>", "@your-handle", "yourService", "YourService"];

/**
 * What a placeholder looks like in the scaffold (the guide's "your" style):
 * `<…your…>` tokens, `@your-…` handles, `yourThing`/`YourThing` identifiers.
 * Harvested from services/_template, so a placeholder the platform team adds
 * there is caught without a code change. (`{{ x }}`-style tokens are not
 * harvested: workflow files use `${{ … }}` for real.)
 */
const PLACEHOLDER_SHAPE = /<[A-Za-z0-9 _-]*\b[Yy]our[A-Za-z0-9 _-]*>|@your[-_][A-Za-z0-9_-]+|\b[Yy]our[A-Z][A-Za-z0-9]*\b/g;

const BINARY = /\.(png|jpe?g|gif|webp|ico|pdf|zip|gz|tgz|woff2?|ttf|eot|otf|mp[34]|wasm|jar|lockb)$/i;

export default defineServiceRule({
  meta: {
    id: "template-placeholders-replaced",
    defaultSeverity: "error",
    title: "No scaffold placeholder is left from services/_template",
    messages: {
      placeholder: "`{{token}}` is a scaffold placeholder left from {{template}}. Replace it with {{replacement}}.",
      templateDescription:
        "`description` is still the template's placeholder sentence ({{description}}). Write one sentence on what {{service}} owns (guide step 2).",
    },
  },
  async check(ctx, report) {
    const template = `${ctx.config.services_dir}/_template`;
    const { matcher, description } = await templatePlaceholders(ctx, template);
    const replacements = await replacementsFor(ctx);

    for (const path of ctx.files) {
      if (BINARY.test(path) || path.includes("/node_modules/")) continue;
      const text = await ctx.read(path);
      if (text === undefined || text.includes("\u0000")) continue;
      for (const match of text.matchAll(matcher)) {
        report({
          messageId: "placeholder",
          data: { token: match[0], template: `${template}/`, replacement: replacementFor(match[0], replacements) },
          path,
          ...positionAt(text, match.index),
        });
      }
    }

    const descriptor = await ctx.descriptor();
    const own = descriptor.data?.["description"];
    if (description && typeof own === "string" && own.trim() === description) {
      report({ messageId: "templateDescription", data: { description, service: ctx.service.name }, path: descriptor.path, ...descriptor.valuePositionOf(["description"]) });
    }
  },
});

/** A matcher for the template's placeholder tokens plus the built-in ones, and its service.yaml description sentence. Computed once per check. */
function templatePlaceholders(ctx: ServiceContext, template: string): Promise<{ matcher: RegExp; description: string | undefined }> {
  return ctx.repo.memo(`template-placeholders:${template}`, async () => {
    const tokens = new Set(BUILT_IN_PLACEHOLDERS);
    for (const path of ctx.repo.filesUnder(template)) {
      if (BINARY.test(path)) continue;
      const text = await ctx.read(path);
      for (const match of text?.matchAll(PLACEHOLDER_SHAPE) ?? []) tokens.add(match[0]);
    }
    const descriptor = await ctx.repo.descriptor({ name: "_template", dir: template, camelName: "template" });
    const description = descriptor.data?.["description"];
    return { matcher: tokenMatcher([...tokens]), description: typeof description === "string" && description.trim() ? description.trim() : undefined };
  });
}

/**
 * One case-insensitive regular expression for all tokens, longest first, so
 * `<YourService>` is one finding, not two; identifier-like ends must sit on word boundaries.
 */
function tokenMatcher(tokens: readonly string[]): RegExp {
  const alternatives = [...new Set(tokens.map((t) => t.toLowerCase()))]
    .sort((a, b) => b.length - a.length)
    .map((t) => `${/^\w/.test(t) ? "(?<![\\w$])" : ""}${t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${/\w$/.test(t) ? "(?![\\w$])" : ""}`);
  return new RegExp(alternatives.join("|"), "gi");
}

interface Replacements {
  folder: string;
  camel: string;
  pascal: string;
  displayName: string | undefined;
  owner: string | undefined;
  schema: string | undefined;
}

async function replacementsFor(ctx: ServiceContext): Promise<Replacements> {
  const data = (await ctx.descriptor()).data;
  const real = (value: unknown) => (typeof value === "string" && value.trim() && !/your/i.test(value) ? value : undefined);
  const schemas = (data?.["data"] as Record<string, unknown> | undefined)?.["schemas_owned"];
  const { name, camelName } = ctx.service;
  return {
    folder: name,
    camel: camelName,
    pascal: camelName.charAt(0).toUpperCase() + camelName.slice(1),
    displayName: real(data?.["display_name"]),
    owner: real(data?.["owner"]),
    schema: Array.isArray(schemas) ? real(schemas[0]) : undefined,
  };
}

/** What the engineer should write instead of one of the guide's placeholders; anything else gets a generic hint. */
function replacementFor(token: string, r: Replacements): string {
  const code = (s: string) => `\`${s}\``;
  switch (token.toLowerCase()) {
    case "<your-service>":
      return code(r.folder);
    case "<your service>":
      return r.displayName ? code(r.displayName) : "the service's display name";
    case "@your-handle":
      return r.owner ? `the owning team's handle (service.yaml says ${code(r.owner)})` : "the owning team's `@org/team` handle";
    case "<your_schema>":
      return r.schema ? `the schema the service owns (${code(r.schema)})` : "the Postgres schema the service owns";
    case "yourservice":
    case "<yourservice>":
      // `yourService` is the infra function (camelCase); `YourService`/`<YourService>` the SST resource name (PascalCase).
      return /^<?Y/.test(token) ? code(r.pascal) : code(r.camel);
    default:
      return "the service's real value";
  }
}
