import GithubSlugger from "github-slugger";
import type { Definition, Heading, Image, Link, Nodes, Root, RootContent, Yaml } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { frontmatterFromMarkdown } from "mdast-util-frontmatter";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { frontmatter } from "micromark-extension-frontmatter";
import { gfm } from "micromark-extension-gfm";
import { visit } from "unist-util-visit";
import type { RepoContext } from "../engine/context.js";
import { joinRepoPath } from "../engine/names.js";
import type { Position } from "../engine/types.js";

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

/** A link, image or reference definition, with its destination as written (character references decoded). */
export interface MarkdownLink {
  kind: "link" | "image" | "definition";
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

/** Parses Markdown the way GitHub renders it: CommonMark + GFM, with YAML front matter. */
export function parseMarkdown(text: string): MarkdownDocument {
  const tree = fromMarkdown(text, {
    extensions: [gfm(), frontmatter(["yaml"])],
    mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(["yaml"])],
  });
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
    for (const next of tree.children.slice(index + 1)) {
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
      // Explicit HTML anchors (`<a name="x">`, `id="x"`) are link targets on GitHub too.
      for (const match of node.value.matchAll(/\s(?:id|name)\s*=\s*["']([^"']+)["']/gi)) anchors.add(match[1]!);
    }
  });
  return { tree, frontMatter, sections, anchors, links };
}

/** The parsed Markdown of a head file, shared by every rule of the check (`undefined` when the file does not exist). */
export function markdownAt(ctx: RepoContext, path: string): Promise<MarkdownDocument | undefined> {
  return ctx.memo(`markdown:${path}`, async () => {
    const text = await ctx.read(path);
    return text === undefined ? undefined : parseMarkdown(text);
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
