import type { Nodes } from "mdast";
import { describe, expect, it } from "vitest";
import { fitMarkdown, fitPlainText, utf8Length, utf8Prefix } from "../../src/github/limits.js";
import { codeBlock, escapeMarkdown, inlineCode, inlineCodeInTable, plainInline, stripControl } from "../../src/report/markdown.js";
import { codeSpans, liveMentions, parseLikeGitHub, rawHtml, tableRowWidths } from "../support/github-markdown.js";

const WORD_JOINER = /\u2060/g;

/** Repository text written to break out of wherever it is put. */
const HOSTILE = [
  "evil``name",
  "`leading and trailing`",
  "``",
  "a ``` b",
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "@org/team and @someone, cc @a-b",
  "fixes #12 and loop/platform#3 and GH-7",
  "<!-- platform-checks:sticky -->",
  "<!-- platform-checks:state H4sIAAAAAAAAA6tWSs7PS8tMAQBMH0DmCQAAAA== -->",
  "a | b | c",
  "[click](javascript:alert(1)) ![x](https://evil.test/x.png)",
  "**bold** _it_ ~~strike~~ $x^2$ \\escaped\\",
  "line one\nline two\r\n::error file=a::pwned",
  "\u001b[31mred\u001b[0m \u001b]8;;https://evil.test\u0007link\u001b]8;;\u0007",
  "tab\there\u0000nul\u007fdel\u0085nel",
  "bidi \u202eesrever\u202c",
  "# heading",
  "- list",
  "1. ordered",
  "> quote",
  "&lt; already an entity &amp;",
];

/** The text a reader sees: text and code values, outside any HTML. */
function visibleText(node: Nodes): string {
  if (node.type === "text" || node.type === "inlineCode") return node.value;
  if (node.type === "html") return `<html:${node.value}>`;
  return "children" in node ? node.children.map(visibleText).join("") : "";
}

describe("escapeMarkdown", () => {
  it.each(HOSTILE)("renders %j as literal text on one line", (text) => {
    const md = escapeMarkdown(text);
    const root = parseLikeGitHub(md);
    expect(root.children).toHaveLength(1);
    expect(root.children[0]!.type).toBe("paragraph");
    expect(visibleText(root).replace(WORD_JOINER, "")).toBe(plainInline(text));
    expect(rawHtml(md)).toEqual([]);
    expect(liveMentions(md)).toEqual([]);
    expect(md).not.toContain("<!--");
  });

  it("keeps a name in a table cell in one cell", () => {
    const table = ["| Service | Result |", "|---|---|", ...HOSTILE.map((t) => `| ${escapeMarkdown(t)} | ${inlineCodeInTable(t)} |`)].join("\n");
    expect(tableRowWidths(table)).toEqual([Array(HOSTILE.length + 1).fill(2)]);
    expect(liveMentions(table)).toEqual([]);
    expect(rawHtml(table)).toEqual([]);
  });
});

describe("inlineCode", () => {
  it.each(HOSTILE)("shows %j in one code span that nothing inside can close", (text) => {
    const md = `before ${inlineCode(text)} after`;
    expect(codeSpans(md).map((s) => s.replace(WORD_JOINER, ""))).toEqual([plainInline(text).trim() === "" ? plainInline(text) || " " : plainInline(text)]);
    expect(rawHtml(md)).toEqual([]);
    expect(liveMentions(md)).toEqual([]);
    expect(md).not.toContain("<!-- platform-checks:");
  });

  it("uses a fence longer than any backtick run inside", () => {
    expect(inlineCode("a``b")).toBe("```a``b```");
    expect(inlineCode("`x`")).toBe("`` `x` ``");
    expect(inlineCode("plain")).toBe("`plain`");
  });
});

describe("codeBlock", () => {
  it("cannot be closed by the text inside", () => {
    const md = `${codeBlock("```\n<img src=x>\n````\n@org/team")}\n\nafter`;
    const root = parseLikeGitHub(md);
    expect(root.children.map((n) => n.type)).toEqual(["code", "paragraph"]);
    expect(liveMentions(md)).toEqual([]);
  });
});

describe("control characters", () => {
  it("strips ANSI escapes, C0/C1 controls and bidi overrides, keeps line breaks", () => {
    expect(stripControl("\u001b[1;31mred\u001b[0m\u0007 \u009b2J \u202eabc\nnext")).toBe("red 2J abc\nnext");
    expect(plainInline("a\r\nb\nc\u2028d")).toBe("a b c d");
  });
});

describe("GitHub's limits, in bytes", () => {
  it("never cuts inside a character", () => {
    const text = "é€😀".repeat(10_000);
    for (const max of [1, 2, 3, 4, 5, 6, 7, 1000, 65_535]) {
      const prefix = utf8Prefix(text, max);
      expect(utf8Length(prefix)).toBeLessThanOrEqual(max);
      expect(Buffer.from(prefix, "utf8").toString("utf8")).toBe(prefix);
      expect(prefix.endsWith("\ud83d")).toBe(false);
    }
  });

  it("cuts Markdown at a line break, with the note, within the byte limit", () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => `- ${escapeMarkdown(`finding ${i} <img> @org/team`)} — é€`);
    const cut = fitMarkdown(lines.join("\n"), 65_535, "\n_…cut_");
    expect(utf8Length(cut)).toBeLessThanOrEqual(65_535);
    expect(cut.endsWith("\n_…cut_")).toBe(true);
    const kept = cut.slice(0, -"\n_…cut_".length).split("\n");
    expect(kept.every((line, i) => line === lines[i])).toBe(true);
  });

  it("ends plain text with an ellipsis inside the limit", () => {
    const title = fitPlainText("ü".repeat(300), 255);
    expect(utf8Length(title)).toBeLessThanOrEqual(255);
    expect(title.endsWith("…")).toBe(true);
    expect(fitPlainText("short", 255)).toBe("short");
  });
});
