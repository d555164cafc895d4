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

/** The mentions and issue references GitHub would link in the rendered text. */
export function liveMentions(markdown: string): string[] {
  const found: string[] = [];
  const walk = (node: Nodes) => {
    if (node.type === "inlineCode" || node.type === "code" || node.type === "link" || node.type === "html") return;
    if (node.type === "text") {
      for (const m of node.value.matchAll(MENTION)) found.push(m[0].trim());
      for (const m of node.value.matchAll(REFERENCE)) found.push(m[0].trim());
    }
    if ("children" in node) for (const child of node.children) walk(child);
  };
  walk(parseLikeGitHub(markdown));
  return found;
}

/** Every piece of raw HTML GitHub would see (block or inline), as written. */
export function rawHtml(markdown: string): string[] {
  const found: string[] = [];
  const walk = (node: Nodes) => {
    if (node.type === "html") found.push(node.value);
    if ("children" in node) for (const child of node.children) walk(child);
  };
  walk(parseLikeGitHub(markdown));
  return found;
}

/** Row widths of every table in the document (cells per row), to see a `|` did not split a cell. */
export function tableRowWidths(markdown: string): number[][] {
  const widths: number[][] = [];
  const walk = (node: Nodes) => {
    if (node.type === "table") widths.push(node.children.map((row) => row.children.length));
    if ("children" in node) for (const child of node.children) walk(child);
  };
  walk(parseLikeGitHub(markdown));
  return widths;
}

/** The text of every inline code span, as rendered. */
export function codeSpans(markdown: string): string[] {
  const spans: string[] = [];
  const walk = (node: Nodes) => {
    if (node.type === "inlineCode") spans.push(node.value);
    if ("children" in node) for (const child of node.children) walk(child);
  };
  walk(parseLikeGitHub(markdown));
  return spans;
}
