/**
 * GitHub's size limits on what the bot writes, in UTF-8 bytes. GitHub states
 * most of them in "characters" but counts bytes in practice (a summary of
 * 40,000 three-byte characters is refused), so bytes are what we measure.
 * Renderers use these as budgets so nothing important is cut (the comment's
 * state block); the writers in this folder enforce them as the last word.
 */
export const GITHUB_LIMITS = {
  /** A check run's `output.title`. */
  checkRunTitle: 255,
  /** A check run's `output.summary` (and `output.text`). */
  checkRunSummary: 65_535,
  /** An annotation's `message` ("64 KB"; kept under it). */
  annotationMessage: 64_000,
  /** An annotation's `title`. */
  annotationTitle: 255,
  /** An issue comment's body. */
  commentBody: 65_536,
} as const;

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * The longest prefix of `text` that fits in `maxBytes` UTF-8 bytes, never
 * splitting a character (a surrogate pair counts as one).
 */
export function utf8Prefix(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return "";
  if (utf8Length(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8Length(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * Fits Markdown into `maxBytes`: cuts at the last line break that fits and
 * appends `note`. Every escape and code span the renderers write stays on one
 * line, so a cut at a line break never splits one; a single line longer than
 * the budget is cut at a character boundary and dropped back to the last
 * space, so an escape such as `&lt;` is never left half-written either.
 */
export function fitMarkdown(text: string, maxBytes: number, note: string): string {
  if (utf8Length(text) <= maxBytes) return text;
  const room = Math.max(0, maxBytes - utf8Length(note));
  const prefix = utf8Prefix(text, room);
  const lineBreak = prefix.lastIndexOf("\n");
  const space = prefix.lastIndexOf(" ");
  const cut = lineBreak > 0 ? lineBreak : space > 0 ? space : 0;
  return `${prefix.slice(0, cut)}${note}`;
}

/** Fits plain text (titles, annotation messages) into `maxBytes`, ending with `…` when cut. */
export function fitPlainText(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  return `${utf8Prefix(text, maxBytes - utf8Length("…"))}…`;
}
