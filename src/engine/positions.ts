import type { Position } from "./types.js";

/** 1-based line and column of a character offset in a text. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** 1-based position of the first match of `needle` (a string or regular expression), if any. */
export function positionOf(text: string, needle: string | RegExp): Position | undefined {
  const offset = typeof needle === "string" ? text.indexOf(needle) : text.search(needle);
  return offset < 0 ? undefined : positionAt(text, offset);
}
