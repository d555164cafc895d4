import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
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

export function parseYamlDocument(path: string, text: string | undefined): YamlDocument {
  if (text === undefined) return { path, text, data: undefined, pos: () => TOP, locate: () => ({ position: TOP, exact: false }) };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const error = doc.errors[0];
  if (error) {
    const at = pos(error.pos[0]);
    return { path, text, syntaxError: { message: error.message.split("\n")[0]!, ...at }, data: undefined, pos, locate: () => ({ position: at, exact: false }) };
  }
  return { path, text, doc, data: doc.toJS(), pos, locate: (keyPath, want = "key") => locate(doc, keyPath, want, pos) };
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
