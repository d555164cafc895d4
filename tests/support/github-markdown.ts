import type { Nodes, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

/**
 * How GitHub would read a comment or summary the bot wrote, close enough to
 * test escaping: GFM parsed by micromark (CommonMark + GFM, the grammar of
 * GitHub's cmark-gfm), with raw HTML kept as `html` nodes, and GitHub's
 * mention and issue-reference filters applied to text outside code and
 * links, as GitHub applies them.
 */
export function parseLikeGitHub(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

/** `@user`, `@org/team`: GitHub links (and notifies) these in text that is not code or a link. */
const MENTION = /(?:^|[^\w`])@([a-z0-9][a-z0-9-]*)(\/[a-z0-9][a-z0-9_.-]*)?/gi;
/** `#12`, `GH-12`, `owner/repo#12`: issue references, which notify the referenced issue. */
const REFERENCE = /(?:^|[^\w])(?:[\w.-]+\/[\w.-]+)?(?:#|GH-)\d+\b/gi;

/**
 * Walks the parsed document: `pick` returns what a node contributes, or
 * `"skip"` to leave the node and its children out.
 */
function collect<T>(markdown: string, pick: (node: Nodes) => T[] | "skip"): T[] {
  const found: T[] = [];
  const walk = (node: Nodes) => {
    const picked = pick(node);
    if (picked === "skip") return;
    found.push(...picked);
    if ("children" in node) for (const child of node.children) walk(child);
  };
  walk(parseLikeGitHub(markdown));
  return found;
}

/** The mentions and issue references GitHub would link in the rendered text. */
export function liveMentions(markdown: string): string[] {
  return collect(markdown, (node) => {
    if (node.type === "inlineCode" || node.type === "code" || node.type === "link" || node.type === "html") return "skip";
    if (node.type !== "text") return [];
    return [...node.value.matchAll(MENTION), ...node.value.matchAll(REFERENCE)].map((m) => m[0].trim());
  });
}

/** Every piece of raw HTML GitHub would see (block or inline), as written. */
export function rawHtml(markdown: string): string[] {
  return collect(markdown, (node) => (node.type === "html" ? [node.value] : []));
}

/** Row widths of every table in the document (cells per row), to see a `|` did not split a cell. */
export function tableRowWidths(markdown: string): number[][] {
  return collect(markdown, (node) => (node.type === "table" ? [node.children.map((row) => row.children.length)] : []));
}

/** The text of every inline code span, as rendered. */
export function codeSpans(markdown: string): string[] {
  return collect(markdown, (node) => (node.type === "inlineCode" ? [node.value] : []));
}
