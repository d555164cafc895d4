/** An HTML start tag found in a Markdown file's raw HTML, with its attributes (names lower-cased, values as written). */
export interface HtmlTag {
  name: string;
  attributes: Map<string, string>;
  /** Offset of `<` in the scanned text. */
  offset: number;
  /** Offset of each attribute's value (for positions). */
  valueOffsets: Map<string, number>;
}

/**
 * The start tags of an HTML fragment, in one left-to-right pass (no regular
 * expression, no backtracking: each character is looked at a bounded number
 * of times). Follows the HTML tokenizer's rules for what a tag, an attribute
 * name and a quoted or unquoted value are; comments are skipped; character
 * references in values are decoded for the few forms links use.
 */
export function scanHtmlTags(html: string): HtmlTag[] {
  const tags: HtmlTag[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) break;
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    let j = lt + 1;
    if (!isAsciiLetter(html.charCodeAt(j))) {
      i = j;
      continue;
    }
    const nameStart = j;
    while (j < html.length && !isSpace(html[j]!) && html[j] !== "/" && html[j] !== ">") j++;
    const tag: HtmlTag = { name: html.slice(nameStart, j).toLowerCase(), attributes: new Map(), offset: lt, valueOffsets: new Map() };
    // Attributes until `>` (or the end of the fragment).
    while (j < html.length && html[j] !== ">") {
      if (isSpace(html[j]!) || html[j] === "/") {
        j++;
        continue;
      }
      const attrStart = j;
      while (j < html.length && !isSpace(html[j]!) && html[j] !== "/" && html[j] !== ">" && html[j] !== "=") j++;
      if (j === attrStart) j++; // a stray character: step over it
      const attrName = html.slice(attrStart, j).toLowerCase();
      while (j < html.length && isSpace(html[j]!)) j++;
      if (html[j] !== "=") {
        if (attrName && !tag.attributes.has(attrName)) tag.attributes.set(attrName, "");
        continue;
      }
      j++;
      while (j < html.length && isSpace(html[j]!)) j++;
      let valueStart = j;
      let value: string;
      const quote = html[j];
      if (quote === '"' || quote === "'") {
        valueStart = j + 1;
        const close = html.indexOf(quote, valueStart);
        const valueEnd = close < 0 ? html.length : close;
        value = html.slice(valueStart, valueEnd);
        j = close < 0 ? html.length : close + 1;
      } else {
        while (j < html.length && !isSpace(html[j]!) && html[j] !== ">") j++;
        value = html.slice(valueStart, j);
      }
      // The first of two same-named attributes wins, as in browsers.
      if (attrName && !tag.attributes.has(attrName)) {
        tag.attributes.set(attrName, decodeCharacterReferences(value));
        tag.valueOffsets.set(attrName, valueStart);
      }
    }
    tags.push(tag);
    i = j + 1;
  }
  return tags;
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** `&amp;`, `&#35;`, `&#x23;` and a few named references; anything else stays as written. */
function decodeCharacterReferences(value: string): string {
  if (!value.includes("&")) return value;
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const semi = value[i] === "&" ? value.indexOf(";", i + 1) : -1;
    // References are short: a `;` far away is not the end of one.
    if (semi < 0 || semi - i > 10) {
      out += value[i];
      continue;
    }
    const body = value.slice(i + 1, semi);
    const code = /^#x[0-9a-f]+$/i.test(body) ? parseInt(body.slice(2), 16) : /^#[0-9]+$/.test(body) ? parseInt(body.slice(1), 10) : undefined;
    const decoded = code !== undefined && code <= 0x10ffff ? String.fromCodePoint(code) : NAMED[body];
    if (decoded === undefined) {
      out += value[i];
      continue;
    }
    out += decoded;
    i = semi;
  }
  return out;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f";
}
