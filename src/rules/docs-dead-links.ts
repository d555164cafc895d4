import { isMarkdownPath, markdownAt, resolveLink, type MarkdownLink } from "../analysis/markdown.js";
import type { RepoContext } from "../engine/context.js";
import { defineRepoRule, type ReportFn } from "../engine/rule.js";

const messages = {
  deadLink: "{{what}} `{{url}}` points at {{target}}, which does not exist.{{hint}} Fix the path (it is relative to this file's folder; `/…` starts at the repository root) or add the file.",
  outsideRepo: "{{what}} `{{url}}` climbs above the repository root. Point it at a file inside the repository, or use a full https:// URL.",
  missingAnchor:
    "{{what}} `{{url}}` points at `#{{fragment}}`, but {{target}} has no such heading.{{hint}} Fix the anchor (GitHub's slug: lower case, spaces → `-`, punctuation dropped) or the heading.",
};

/** Line anchors (`#L10`, `#L10-L20`) point into a file's source view, not at headings. */
const LINE_ANCHOR = /^L\d+(-L\d+)?$/;

export default defineRepoRule({
  meta: {
    id: "docs-dead-links",
    defaultSeverity: "error",
    title: "Relative links in service docs and changed docs resolve",
    messages,
  },
  // A repo rule: a changed file under docs/ is checked once, not once per service in scope.
  async check(ctx, report) {
    const checked = new Set<string>();
    for (const service of ctx.services) {
      const page = `docs/services/${service.name}.md`;
      const files = ctx.filesUnder(service.dir).filter((p) => isMarkdownPath(p) && !p.includes("/node_modules/"));
      if (ctx.exists(page)) files.push(page);
      for (const path of files) {
        checked.add(path);
        await checkFile(ctx, path, service.name, report);
      }
    }
    // Checking the whole tree (no pull request) reads every doc; a pull request, the docs it changed.
    const changed = ctx.snapshot.changedFiles;
    const docs = changed === undefined ? ctx.filesUnder("docs") : changed.filter((f) => f.status !== "removed" && f.path.startsWith("docs/")).map((f) => f.path);
    for (const path of docs) {
      if (isMarkdownPath(path) && !checked.has(path) && ctx.exists(path)) await checkFile(ctx, path, null, report);
    }
  },
});

async function checkFile(ctx: RepoContext, path: string, service: string | null, report: ReportFn<typeof messages>): Promise<void> {
  const doc = await markdownAt(ctx, path);
  for (const link of doc?.links ?? []) {
    const target = resolveLink(path, link.url);
    const at = { path, ...link.position, service };
    const what = WHAT[link.kind];
    if (target.kind === "external") continue;
    if (target.kind === "outside") {
      report({ messageId: "outsideRepo", data: { what, url: link.url }, ...at });
      continue;
    }
    if (!existsInTree(ctx, target.path)) {
      const twin = ctx.snapshot.listFiles().find((f) => f.toLowerCase() === target.path.toLowerCase());
      report({ messageId: "deadLink", data: { what, url: link.url, target: target.path, hint: twin ? ` Did you mean ${twin}? (GitHub paths are case-sensitive.)` : "" }, ...at });
      continue;
    }
    const fragment = target.fragment?.replace(/^user-content-/, "");
    if (!fragment || LINE_ANCHOR.test(fragment) || !isMarkdownPath(target.path) || !ctx.exists(target.path)) continue;
    const anchors = (await markdownAt(ctx, target.path))?.anchors;
    if (anchors && !anchors.has(fragment) && !anchors.has(fragment.toLowerCase())) {
      report({
        messageId: "missingAnchor",
        severity: "warning",
        data: { what, url: link.url, fragment, target: target.path === path ? "this file" : target.path, hint: anchorHint(anchors) },
        ...at,
      });
    }
  }
}

const WHAT: Record<MarkdownLink["kind"], string> = { link: "Link", image: "Image", definition: "Reference definition", htmlLink: "HTML link", htmlImage: "HTML image" };

/** A file, or a folder that holds files (GitHub renders folders; the repository root always exists). */
function existsInTree(ctx: RepoContext, path: string): boolean {
  return path === "" || ctx.exists(path) || ctx.filesUnder(path).length > 0;
}

function anchorHint(anchors: ReadonlySet<string>): string {
  if (anchors.size === 0) return "";
  const list = [...anchors].slice(0, 8).map((a) => `#${a}`);
  return ` Its anchors: ${list.join(", ")}${anchors.size > 8 ? ", …" : ""}.`;
}
