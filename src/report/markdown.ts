/**
 * The one place repository text (service names, owners, paths, messages that
 * quote code) is made safe for GitHub Markdown. Whatever a pull request puts
 * in a name, the rendered comment and check-run summary show it literally:
 * no raw HTML, no live `@mention` or `#123` reference, no broken table, no
 * code span closed early, no math, and no copy of the bot's hidden markers.
 */

/** U+2060 WORD JOINER: invisible, not whitespace, and it stops GitHub's mention and reference matching. */
const WORD_JOINER = "\u2060";

/** ANSI escape sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ESC \`), and two-byte escapes. */
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;
/** C0 controls but tab and line breaks, DEL, C1 controls, and bidirectional overrides (Trojan Source). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Repository text with ANSI escapes, control characters and bidi overrides
 * removed (tabs become spaces); line breaks are kept. The base of every other
 * escape here, and what plain-text outputs (annotations, CLI text) use.
 */
export function stripControl(text: string): string {
  return text.replace(ANSI, "").replace(/\t/g, " ").replace(CONTROL, "");
}

/** One line of plain text: controls stripped and line breaks shown as spaces. */
export function plainInline(text: string): string {
  return stripControl(text).replace(/\r\n?|\n|\u2028|\u2029/g, " ");
}

/** Cuts repository text to `max` characters (never inside a surrogate pair) before it is escaped, so no escape is ever cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/**
 * Inline Markdown text that renders exactly as `text` reads, on one line.
 * HTML characters become entities (so `<img>` and `<!-- … -->` are text, and
 * the bot's markers cannot be forged); Markdown punctuation is backslash-escaped
 * (emphasis, links, tables, `$` math); `@`, `#`, `GH-`, `://` and `www.` get
 * a word joiner so GitHub links no mention, issue reference or URL.
 */
export function escapeMarkdown(text: string): string {
  return plainInline(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_{}[\]()#+!|~$^])/g, "\\$1")
    .replace(/^([-=])/, "\\$1")
    .replace(/^(\d+)\./, "$1\\.")
    .replace(/([@#])/g, `$1${WORD_JOINER}`)
    .replace(/\b(GH-)(?=\d)/gi, `$1${WORD_JOINER}`)
    // No autolinked URL either: a link in the bot's comment would lend it the bot's authority.
    .replace(/:\/\//g, `:${WORD_JOINER}//`)
    .replace(/\b(www)\./gi, `$1${WORD_JOINER}.`);
}

/**
 * A code span showing `text` literally. Its fence is one backtick longer than
 * the longest run inside (CommonMark), padded when the text starts or ends
 * with a backtick, so no content can close it. Line breaks become spaces;
 * HTML comment openers and closers get a word joiner so a quoted marker is
 * never a marker in the body. GitHub links no mention inside code.
 */
export function inlineCode(text: string): string {
  const safe = plainInline(text).replace(/<!/g, `<${WORD_JOINER}!`).replace(/--(?=>)/g, `--${WORD_JOINER}`);
  const longestRun = Math.max(0, ...(safe.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = safe.startsWith("`") || safe.endsWith("`") || (safe.startsWith(" ") && safe.endsWith(" ")) ? " " : "";
  return `${fence}${pad}${safe || " "}${pad}${fence}`;
}

/** A fenced code block showing `text` literally: its fence is longer than any backtick run inside. */
export function codeBlock(text: string): string {
  const safe = stripControl(text).replace(/\r\n?/g, "\n");
  const longestRun = Math.max(0, ...(safe.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${safe}\n${fence}`;
}

/** A code span inside a table cell: GFM splits cells at `|` even inside code, unless escaped. */
export function inlineCodeInTable(text: string): string {
  return inlineCode(text).replace(/\|/g, "\\|");
}

/** Markdown link whose label is escaped repository text and whose URL is ours. */
export function link(label: string, url: string): string {
  return `[${escapeMarkdown(label)}](${url.replace(/[()\s<>]/g, encodeURIComponent)})`;
}

/**
 * Joins blocks; if the result would exceed `maxBytes` (UTF-8), cuts whole
 * blocks off the end and appends `note`, so nothing is cut mid-escape.
 */
export function capBlocks(blocks: readonly string[], maxBytes: number, note: (omitted: number) => string): string {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const size = Buffer.byteLength(block, "utf8") + 1;
    const tail = Buffer.byteLength(note(blocks.length - i), "utf8") + 1;
    if (length + size + tail > maxBytes) {
      out.push(note(blocks.length - i));
      return out.join("\n");
    }
    out.push(block);
    length += size;
  }
  return out.join("\n");
}
