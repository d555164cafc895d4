import { CODEOWNERS_LOCATIONS, codeownersOf } from "../analysis/codeowners.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "owner-in-codeowners",
    defaultSeverity: "warning",
    title: "CODEOWNERS covers the service folder and names its owner",
    messages: {
      noCodeowners: "The repository has no CODEOWNERS file ({{locations}}), so nobody is asked to review {{dir}}/. Add `/{{dir}}/ {{owner}}` to .github/CODEOWNERS.",
      notCovered: "No line of {{file}} matches {{dir}}/, so nobody is asked to review it. Add `/{{dir}}/ {{owner}}` to {{file}}.",
      ownerMissing:
        "This {{file}} line (`{{pattern}}`) is the last one matching {{dir}}/, and it names {{owners}}, not the service owner {{owner}} from service.yaml. Add {{owner}} to this line, or add `/{{dir}}/ {{owner}}` below it.",
    },
  },
  async check(ctx, report) {
    const descriptor = await ctx.descriptor();
    const owner = descriptor.data?.["owner"];
    if (typeof owner !== "string" || owner.trim() === "") return; // service-yaml-schema reports it
    const dir = ctx.service.dir;
    const codeowners = await codeownersOf(ctx.repo);
    if (!codeowners) {
      report({ messageId: "noCodeowners", data: { locations: CODEOWNERS_LOCATIONS.join(", "), dir, owner }, path: descriptor.path, ...descriptor.valuePositionOf(["owner"]) });
      return;
    }
    // A representative file: the rule that owns service.yaml owns the service.
    const rule = codeowners.ownerRuleFor(`${dir}/service.yaml`);
    if (!rule) {
      report({ messageId: "notCovered", data: { file: codeowners.path, dir, owner }, path: descriptor.path, ...descriptor.valuePositionOf(["owner"]) });
      return;
    }
    if (!rule.owners.some((o) => o.toLowerCase() === owner.trim().toLowerCase())) {
      report({
        messageId: "ownerMissing",
        data: { file: codeowners.path, pattern: rule.pattern, dir, owner, owners: rule.owners.length > 0 ? rule.owners.join(" ") : "no owner" },
        path: codeowners.path,
        line: rule.line,
        column: rule.column,
      });
    }
  },
});
