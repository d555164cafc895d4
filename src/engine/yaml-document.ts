import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { positionAt } from "./positions.js";
import type { Position } from "./types.js";

/**
 * A YAML (or JSON) file parsed with positions: service.yaml, openapi.yaml,
 * package.json, Markdown front matter. Findings point at the key or value.
 */
export interface YamlDocument {
  path: string;
  /** `undefined` when the file does not exist. */
  text: string | undefined;
  /** The first syntax error (duplicate keys included), if any. */
  syntaxError?: { message: string } & Position;
  /** The parsed document, when the file exists and parses. */
  doc?: Document;
  /** Plain data, when the file exists and parses. */
  data: unknown;
  /** 1-based position of a character offset. */
  pos(offset: number): Position;
  /**
   * Position of a key (`["contracts", "openapi"]`) or of a sequence item
   * (`["brand_scope", 2]`); with `want: "value"`, of the value after the last key.
   * When the path does not exist: its nearest existing ancestor, `exact: false`.
   */
  locate(keyPath: readonly (string | number)[], want?: "key" | "value"): { position: Position; exact: boolean };
}

const TOP: Position = { line: 1, column: 1 };

/** Aliases one document may expand (an alias bomb multiplies a few lines into millions of nodes). */
export const MAX_YAML_ALIAS_COUNT = 100;
/** Collections nested deeper than this are no hand-written YAML, and would overflow recursive consumers. */
export const MAX_YAML_DEPTH = 100;

/** YAML parsed under bounds: the document and its data, or the first problem and where. */
export type BoundedYaml = { doc: Document; data: unknown; error?: undefined } | { error: { message: string; offset: number }; doc?: undefined; data?: undefined };

/**
 * Parses YAML from a repository (hostile input) with bounds: no alias
 * expansion past MAX_YAML_ALIAS_COUNT, no nesting past MAX_YAML_DEPTH, no
 * stack overflow escaping as a crash, and text that was not valid UTF-8
 * refused rather than read with replacement characters. The snapshots
 * return strings: a file that was not UTF-8 arrives with U+FFFD where its
 * bad bytes were (Buffer and TextDecoder both decode that way), and no
 * hand-written YAML needs that character, so its presence is the signal.
 */
export function parseBoundedYaml(text: string, lineCounter?: LineCounter): BoundedYaml {
  const replaced = text.indexOf("\uFFFD");
  if (replaced >= 0) return { error: { message: "the file is not valid UTF-8 (save it as UTF-8; U+FFFD marks where a byte sequence is not)", offset: replaced } };
  let doc: Document;
  try {
    doc = parseDocument(text, { ...(lineCounter ? { lineCounter } : {}), prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    if (error instanceof RangeError) return { error: { message: `collections nest too deeply to read (more than ${MAX_YAML_DEPTH} levels)`, offset: 0 } };
    throw error;
  }
  const syntax = doc.errors[0];
  if (syntax) return { error: { message: syntax.message.split("\n")[0]!, offset: syntax.pos[0] } };
  const deep = firstNodeDeeperThan(doc, MAX_YAML_DEPTH);
  if (deep !== undefined) return { error: { message: `collections nest more than ${MAX_YAML_DEPTH} levels deep`, offset: deep } };
  try {
    return { doc, data: doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT }) };
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError) {
      return { error: { message: `its aliases expand too far (over ${MAX_YAML_ALIAS_COUNT} alias expansions; a YAML alias bomb?)`, offset: 0 } };
    }
    throw error;
  }
}

/** Offset of the first collection nested deeper than `limit`, walking with an explicit stack (aliases are not followed). */
function firstNodeDeeperThan(doc: Document, limit: number): number | undefined {
  const stack: [unknown, number][] = [[doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > limit) return node.range?.[0] ?? 0;
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        stack.push([item.key, depth + 1], [item.value, depth + 1]);
      } else stack.push([item, depth + 1]);
    }
  }
  return undefined;
}

export function parseYamlDocument(path: string, text: string | undefined): YamlDocument {
  if (text === undefined) return { path, text, data: undefined, pos: () => TOP, locate: () => ({ position: TOP, exact: false }) };
  const lineCounter = new LineCounter();
  const parsed = parseBoundedYaml(text, lineCounter);
  const pos = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (parsed.error) {
    // Counted over the text: the line counter is empty when parsing never started.
    const at = positionAt(text, parsed.error.offset);
    return { path, text, syntaxError: { message: parsed.error.message, ...at }, data: undefined, pos, locate: () => ({ position: at, exact: false }) };
  }
  const doc = parsed.doc;
  return { path, text, doc, data: parsed.data, pos, locate: (keyPath, want = "key") => locate(doc, keyPath, want, pos) };
}

function locate(
  doc: Document,
  keyPath: readonly (string | number)[],
  want: "key" | "value",
  pos: (offset: number) => Position,
): { position: Position; exact: boolean } {
  let node: unknown = doc.contents;
  let best: Position = TOP;
  for (let i = 0; i < keyPath.length; i++) {
    const key = keyPath[i]!;
    const last = i === keyPath.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) return { position: best, exact: false };
      const keyNode = pair.key as Node;
      const valueNode = pair.value as Node | null;
      const target = last && want === "value" && valueNode?.range ? valueNode : keyNode;
      if (target.range) best = pos(target.range[0]);
      node = valueNode;
    } else if (isSeq(node)) {
      const item = node.items[Number(key)] as Node | undefined;
      if (!item) return { position: best, exact: false };
      if (item.range) best = pos(item.range[0]);
      node = item;
    } else return { position: best, exact: false };
  }
  return { position: best, exact: true };
}
