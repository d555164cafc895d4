import { frontMatterAt } from "../analysis/front-matter.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "ai-overview-staleness",
    defaultSeverity: "warning",
    title: "The AI overview was generated from the current services/<name>/src",
    messages: {
      missing: "{{page}} is missing. Generate the AI overview for {{src}} and commit it (its front matter records `source_tree: {{sha}}`).",
      sourceTreeMissing: "{{page}} has no `source_tree` in its front matter, so nobody can tell whether it is current. Regenerate it (the tree sha of {{src}} is {{sha}}).",
      stale:
        "The AI overview is stale: it was generated from tree {{recorded}}, but {{src}} is now tree {{sha}}. Regenerate {{page}} and commit it.",
    },
  },
  async check(ctx, report) {
    const src = ctx.path("src");
    const sha = await ctx.snapshot.treeSha(src);
    if (sha === undefined) return; // no source folder, nothing to summarise
    const page = `docs/ai-overview/${ctx.service.name}.md`;
    const front = await frontMatterAt(ctx.repo, page);
    if (front === undefined) {
      report({ messageId: "missing", data: { page, src, sha }, path: page });
      return;
    }
    const recorded = front?.data?.["source_tree"];
    if (!front || recorded === undefined || recorded === null) {
      report({ messageId: "sourceTreeMissing", data: { page, src, sha }, path: page, ...(front?.position ?? { line: 1, column: 1 }) });
    } else if (String(recorded).trim().toLowerCase() !== sha.toLowerCase()) {
      report({ messageId: "stale", data: { page, src, sha, recorded: String(recorded) }, path: page, ...front.valuePositionOf("source_tree") });
    }
  },
});
