/** One statement's span in a SQL text: `start` is its first significant character, `end` its terminating `;` (or the end). */
export interface StatementSpan {
  start: number;
  end: number;
}

/**
 * Splits SQL text into statements at top-level semicolons in one linear pass,
 * skipping quoted strings (with `E'…'` backslash escapes), quoted identifiers,
 * dollar-quoted bodies and nested comments (drizzle-kit's
 * `--> statement-breakpoint` lines are comments). Only used when PostgreSQL's
 * parser rejects a whole file, so the statements around the bad one are still
 * read and the bad one is reported at its own line.
 */
export function splitStatements(text: string, from = 0, to = text.length): StatementSpan[] {
  const spans: StatementSpan[] = [];
  let start: number | undefined;
  let i = from;
  const close = (end: number) => {
    if (start !== undefined) spans.push({ start, end });
    start = undefined;
  };
  while (i < to) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === "-" && next === "-") {
      const eol = text.indexOf("\n", i);
      i = eol < 0 || eol > to ? to : eol + 1;
      continue;
    }
    if (ch === "/" && next === "*") {
      i = skipBlockComment(text, i, to);
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\f") {
      i++;
      continue;
    }
    if (ch === ";") {
      close(i);
      i++;
      continue;
    }
    start ??= i;
    if (ch === "'" || ch === '"') {
      const escapes = ch === "'" && (text[i - 1] === "E" || text[i - 1] === "e") && !isWordChar(text[i - 2]);
      i = skipQuoted(text, i, to, ch, escapes);
      continue;
    }
    if (ch === "$" && !isWordChar(text[i - 1])) {
      const tagEnd = dollarTagEnd(text, i, to);
      if (tagEnd !== undefined) {
        const tag = text.slice(i, tagEnd);
        const closing = text.indexOf(tag, tagEnd);
        i = closing < 0 || closing > to ? to : closing + tag.length;
        continue;
      }
    }
    i++;
  }
  close(to);
  return spans;
}

function skipBlockComment(text: string, at: number, to: number): number {
  let depth = 1;
  let i = at + 2;
  while (i < to && depth > 0) {
    if (text[i] === "/" && text[i + 1] === "*") (depth++, (i += 2));
    else if (text[i] === "*" && text[i + 1] === "/") (depth--, (i += 2));
    else i++;
  }
  return i;
}

function skipQuoted(text: string, at: number, to: number, quote: string, backslashEscapes: boolean): number {
  let i = at + 1;
  while (i < to) {
    const ch = text[i];
    if (backslashEscapes && ch === "\\") i += 2;
    else if (ch === quote) {
      if (text[i + 1] === quote) i += 2; // a doubled quote escapes itself
      else return i + 1;
    } else i++;
  }
  return to;
}

/** The end of a `$tag$` opening at `at`, if one is there (`$1` parameters are not tags). */
function dollarTagEnd(text: string, at: number, to: number): number | undefined {
  let i = at + 1;
  if (i < to && /[0-9]/.test(text[i]!)) return undefined;
  while (i < to && i - at < 64 && isWordChar(text[i])) i++;
  return text[i] === "$" ? i + 1 : undefined;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_\u0080-\uffff]/.test(ch);
}
