import GithubSlugger from "github-slugger";
import type { Definition, Heading, Image, Link, Nodes, Root, RootContent, Yaml } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { frontmatterFromMarkdown } from "mdast-util-frontmatter";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { frontmatter } from "micromark-extension-frontmatter";
import { gfm } from "micromark-extension-gfm";
import { visit } from "unist-util-visit";
import type { RepoContext } from "../engine/context.js";
import { MAX_SYNTAX_DEPTH } from "../engine/input-limits.js";
import { joinRepoPath } from "../engine/names.js";
import type { Position } from "../engine/types.js";
import { scanHtmlTags } from "./html-tags.js";

/** A heading with its GitHub anchor and the blocks under it. */
export interface MarkdownSection {
  depth: number;
  /** The heading's plain text, trimmed. */
  text: string;
  /** GitHub's anchor for it (github-slugger, with `-1`, `-2` for repeats). */
  slug: string;
  /** Where the heading starts. */
  position: Position;
  /** Blocks after the heading up to the next heading of the same or a higher level (sub-sections included). */
  content: RootContent[];
}

/**
 * A link, image or reference definition, with its destination as written
 * (character references decoded); `htmlLink`/`htmlImage` are `<a href>` and
 * `<img src>` in the file's raw HTML, which GitHub renders as links too.
 */
export interface MarkdownLink {
  kind: "link" | "image" | "definition" | "htmlLink" | "htmlImage";
  url: string;
  position: Position;
}

export interface MarkdownDocument {
  tree: Root;
  /** The YAML front matter block, if the file starts with one. */
  frontMatter: { yaml: string; position: Position } | undefined;
  /** Every top-level heading in document order. */
  sections: MarkdownSection[];
  /** Anchors a `#fragment` may point at: heading slugs plus `id`/`name` attributes of inline HTML. */
  anchors: ReadonlySet<string>;
  links: MarkdownLink[];
}

/** Brackets (`[`, `![`) nested deeper than this: micromark's label matching turns cubic long before any real document gets here. */
export const MAX_BRACKET_NESTING = 32;
/** Block quotes (`>`) nested deeper than this. */
export const MAX_QUOTE_NESTING = 100;

/** What makes a Markdown text too deeply nested to parse or walk. */
export interface MarkdownNesting {
  what: string;
  limit: number;
}

/**
 * Parses Markdown the way GitHub renders it: CommonMark + GFM, with YAML
 * front matter; or says what nests too deeply to parse within bounds (a
 * linear pre-scan first, then the tree's depth, walked without recursion).
 */
/** GitHub's dialect, built once: the extensions are plain, stateless syntax tables. */
const MARKDOWN_OPTIONS = {
  extensions: [gfm(), frontmatter(["yaml"])],
  mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(["yaml"])],
};

export function parseMarkdownBounded(text: string): MarkdownDocument | { tooDeep: MarkdownNesting } {
  const nesting = nestingBeyondLimits(text);
  if (nesting) return { tooDeep: nesting };
  let tree: Root;
  try {
    tree = fromMarkdown(text, MARKDOWN_OPTIONS);
  } catch (error) {
    if (error instanceof RangeError) return { tooDeep: { what: "Markdown blocks", limit: MAX_SYNTAX_DEPTH } };
    throw error;
  }
  if (treeDepth(tree) > MAX_SYNTAX_DEPTH) return { tooDeep: { what: "Markdown blocks", limit: MAX_SYNTAX_DEPTH } };
  return documentOf(tree);
}

/** Parses Markdown known to be within bounds (tests, small texts); throws when it is not. */
export function parseMarkdown(text: string): MarkdownDocument {
  const parsed = parseMarkdownBounded(text);
  if ("tooDeep" in parsed) throw new Error(`the Markdown nests ${parsed.tooDeep.what} more than ${parsed.tooDeep.limit} levels deep`);
  return parsed;
}

/** One pass over the text: bracket nesting, and `>` markers at the start of each line. */
function nestingBeyondLimits(text: string): MarkdownNesting | undefined {
  let brackets = 0;
  let quotes = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n") {
      lineStart = true;
      quotes = 0;
      continue;
    }
    if (lineStart) {
      if (c === ">") {
        if (++quotes > MAX_QUOTE_NESTING) return { what: "block quotes", limit: MAX_QUOTE_NESTING };
        continue;
      }
      if (c !== " " && c !== "\t") lineStart = false;
    }
    if (c === "\\") i++; // an escaped character is text
    else if (c === "[") {
      if (++brackets > MAX_BRACKET_NESTING) return { what: "links and images", limit: MAX_BRACKET_NESTING };
    } else if (c === "]" && brackets > 0) brackets--;
  }
  return undefined;
}

function treeDepth(root: Root): number {
  let deepest = 0;
  const stack: [Nodes, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_SYNTAX_DEPTH) break;
    if ("children" in node) for (const child of node.children as Nodes[]) stack.push([child, depth + 1]);
  }
  return deepest;
}

function documentOf(tree: Root): MarkdownDocument {
  const first = tree.children[0];
  const frontMatter = first?.type === "yaml" ? { yaml: (first as Yaml).value, position: startOf(first) } : undefined;

  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  const sections: MarkdownSection[] = [];
  tree.children.forEach((node, index) => {
    if (node.type !== "heading") return;
    const heading = node as Heading;
    const text = plainText(heading).trim();
    const slug = slugger.slug(text);
    anchors.add(slug);
    const content: RootContent[] = [];
    // No copy of the rest per heading: a file of 100,000 headings stays linear (a node sits in at most 6 sections).
    for (let i = index + 1; i < tree.children.length; i++) {
      const next = tree.children[i]!;
      if (next.type === "heading" && (next as Heading).depth <= heading.depth) break;
      content.push(next);
    }
    sections.push({ depth: heading.depth, text, slug, position: startOf(heading), content });
  });

  const links: MarkdownLink[] = [];
  visit(tree, (node) => {
    if (node.type === "link" || node.type === "image" || node.type === "definition") {
      links.push({ kind: node.type, url: (node as Link | Image | Definition).url, position: startOf(node) });
    } else if (node.type === "html") {
      for (const tag of scanHtmlTags(node.value)) {
        // Explicit HTML anchors (`<a name="x">`, `id="x"`) are link targets on GitHub too.
        for (const attribute of ["id", "name"]) {
          const anchor = tag.attributes.get(attribute);
          if (anchor) anchors.add(anchor);
        }
        const linkAttribute = tag.name === "a" ? "href" : tag.name === "img" ? "src" : undefined;
        const url = linkAttribute === undefined ? undefined : tag.attributes.get(linkAttribute)?.trim();
        if (url) {
          const offset = tag.valueOffsets.get(linkAttribute!)!;
          links.push({ kind: tag.name === "a" ? "htmlLink" : "htmlImage", url, position: positionInside(node, offset) });
        }
      }
    }
  });
  return { tree, frontMatter, sections, anchors, links };
}

/** Position of an offset inside a node's raw source (its value is the source as written). */
function positionInside(node: Nodes & { value: string }, offset: number): Position {
  const start = startOf(node);
  const before = node.value.slice(0, offset);
  const lastBreak = before.lastIndexOf("\n");
  if (lastBreak < 0) return { line: start.line, column: start.column + offset };
  let breaks = 0;
  for (const c of before) if (c === "\n") breaks++;
  return { line: start.line + breaks, column: offset - lastBreak };
}

/**
 * The parsed Markdown of a head file, shared by every rule of the check
 * (`undefined` when the file does not exist, is over the size limit, or nests
 * too deeply: the last two are reported on the file by the engine).
 */
export function markdownAt(ctx: RepoContext, path: string): Promise<MarkdownDocument | undefined> {
  return ctx.memo(`markdown:${path}`, async () => {
    const text = await ctx.read(path);
    if (text === undefined) return undefined;
    const parsed = parseMarkdownBounded(text);
    if ("tooDeep" in parsed) {
      ctx.reportInputLimit("tooDeep", path, { what: parsed.tooDeep.what, limit: String(parsed.tooDeep.limit) });
      return undefined;
    }
    return parsed;
  });
}

export function isMarkdownPath(path: string): boolean {
  return /\.(md|markdown)$/i.test(path);
}

/** Text content of a node, as GitHub uses it for heading anchors (code spans included, images and HTML left out). */
export function plainText(node: Nodes): string {
  if (node.type === "text" || node.type === "inlineCode") return node.value;
  if ("children" in node) return (node.children as Nodes[]).map(plainText).join("");
  return "";
}

/**
 * Whether blocks say anything: some text, code, a table row or an image.
 * Blank lines, empty list items and HTML comments (`<!-- TODO -->`) do not count.
 */
export function hasContent(nodes: readonly Nodes[]): boolean {
  return nodes.some((node) => {
    switch (node.type) {
      case "heading":
        return false; // a sub-heading alone is only a title; what is under it counts separately
      case "code":
        return node.value.trim() !== "";
      case "html":
        return node.value.replace(/<!--[\s\S]*?(-->|$)/g, "").trim() !== "";
      case "image":
      case "imageReference":
        return true;
      case "text":
      case "inlineCode":
        return node.value.trim() !== "";
      default:
        return "children" in node && hasContent(node.children as Nodes[]);
    }
  });
}

/** Where a relative link points, once resolved against the file that holds it. */
export type LinkTarget =
  /** Has a scheme (`https:`, `mailto:`, …) or is protocol-relative: never checked, never fetched. */
  | { kind: "external" }
  /** Climbs above the repository root with `..`. */
  | { kind: "outside" }
  /** A repository path (the holder itself for `#fragment`), and the decoded fragment if any. */
  | { kind: "local"; path: string; fragment: string | undefined };

/**
 * Resolves a link destination the way GitHub does for files in a repository:
 * relative to the holder's folder, `/x` from the repository root,
 * percent-decoded, with `?query` and `#fragment` split off.
 */
export function resolveLink(holder: string, url: string): LinkTarget {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//")) return { kind: "external" };
  const hash = url.indexOf("#");
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? undefined : decode(url.slice(hash + 1));
  const rawPath = decode(beforeHash.split("?")[0]!);
  if (rawPath === "") return { kind: "local", path: holder, fragment };
  const folder = holder.includes("/") ? holder.slice(0, holder.lastIndexOf("/")) : "";
  const path = rawPath.startsWith("/") ? joinRepoPath("", rawPath) : joinRepoPath(folder, rawPath);
  return path === undefined ? { kind: "outside" } : { kind: "local", path, fragment };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray `%` is taken literally, as browsers do
  }
}

function startOf(node: Nodes): Position {
  const start = node.position?.start;
  return { line: start?.line ?? 1, column: start?.column ?? 1 };
}
