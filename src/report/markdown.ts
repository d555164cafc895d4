/**
 * Escaping for text that comes from the repository (names, owners, paths,
 * messages quoting code) before it goes into GitHub Markdown: it must not
 * mention people, inject HTML, or break the surrounding Markdown.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_{}[\]()#+!|~])/g, "\\$1")
    .replace(/^([-=])/g, "\\$1")
    .replace(/@/g, "@&#8203;");
}

/**
 * A code span that shows `text` literally. Mentions are not linked inside code
 * spans; backticks and newlines are replaced so the span cannot be closed early.
 */
export function inlineCode(text: string): string {
  const safe = text.replace(/[\r\n]+/g, " ").replace(/`/g, "'");
  return `\`${safe}\``;
}

/** Markdown link whose label is escaped repository text and whose URL is ours. */
export function link(label: string, url: string): string {
  return `[${escapeMarkdown(label)}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
}

/** Joins blocks, and if the result is longer than `limit`, cuts whole blocks off the end and appends `note`. */
export function capBlocks(blocks: readonly string[], limit: number, note: (omitted: number) => string): string {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const tail = note(blocks.length - i);
    if (length + block.length + 1 + tail.length + 1 > limit) {
      out.push(tail);
      return out.join("\n");
    }
    out.push(block);
    length += block.length + 1;
  }
  return out.join("\n");
}
