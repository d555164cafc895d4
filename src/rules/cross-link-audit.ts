import { markdownAt, resolveLink, type MarkdownDocument } from "../analysis/markdown.js";
import type { Position } from "../engine/types.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "cross-link-audit",
    defaultSeverity: "error",
    title: "README links the runbook; the service page exists and links README and runbook",
    messages: {
      readmeToRunbook: "README.md does not link the runbook. Add a link such as `[runbook](./RUNBOOK.md)` so on-call finds it from the README.",
      pageMissing:
        "The service page {{page}} is missing. Add it with front matter mirroring service.yaml (display_name, owner, team, status, description) and links to the service's README.md and RUNBOOK.md.",
      pageToFile: "The service page does not link {{file}}. Add a link such as `[{{label}}]({{href}})`.",
    },
  },
  async check(ctx, report) {
    const { dir, name } = ctx.service;
    const readmePath = ctx.path("README.md");
    const runbookPath = ctx.path("RUNBOOK.md");
    // A missing README or RUNBOOK is its own rule's finding; a link to it would only be dead.
    const hasRunbook = ctx.repo.exists(runbookPath);

    const readme = await markdownAt(ctx.repo, readmePath);
    if (readme && hasRunbook && !linksTo(readme, readmePath, [runbookPath])) {
      report({ messageId: "readmeToRunbook", path: readmePath, ...titlePosition(readme) });
    }

    const pagePath = `docs/services/${name}.md`;
    const page = await markdownAt(ctx.repo, pagePath);
    if (!page) {
      report({ messageId: "pageMissing", data: { page: pagePath }, path: pagePath });
      return;
    }
    const wanted = [
      // Linking the folder shows its README on GitHub, so that counts as linking the README.
      { file: readmePath, also: [dir], label: "README" },
      { file: runbookPath, also: [], label: "runbook" },
    ];
    for (const { file, also, label } of wanted) {
      if (!ctx.repo.exists(file) || linksTo(page, pagePath, [file, ...also])) continue;
      report({ messageId: "pageToFile", data: { file, label, href: `../../${file}` }, path: pagePath, ...titlePosition(page) });
    }
  },
});

/** Whether any link or reference definition of a document resolves to one of the paths (anchors and queries ignored). */
function linksTo(doc: MarkdownDocument, holder: string, paths: readonly string[]): boolean {
  return doc.links.some((link) => {
    const target = resolveLink(holder, link.url);
    return target.kind === "local" && paths.includes(target.path);
  });
}

/** A missing link has no position of its own: point at the document's title (its first heading), else line 1. */
function titlePosition(doc: MarkdownDocument): Position {
  return doc.sections[0]?.position ?? { line: 1, column: 1 };
}
