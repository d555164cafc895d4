import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { Position } from "./types.js";

/** `service.yaml` read once per check and shared by every rule that needs it. */
export interface ServiceDescriptor {
  path: string;
  /** `undefined` when the file does not exist. */
  text: string | undefined;
  /** The first YAML syntax error, if any. */
  syntaxError?: { message: string } & Position;
  /** Plain data (`undefined` when missing or unparseable). */
  data: Record<string, unknown> | undefined;
  /** Position of a key (e.g. `["contracts", "openapi"]`), or of its nearest existing parent, or line 1. */
  positionOf(keyPath: readonly (string | number)[]): Position;
  /** Position of a value in a sequence or mapping (e.g. `["brand_scope", 2]`); falls back like positionOf. */
  valuePositionOf(keyPath: readonly (string | number)[]): Position;
}

export function parseServiceDescriptor(path: string, text: string | undefined): ServiceDescriptor {
  if (text === undefined) {
    return { path, text, data: undefined, positionOf: () => ({ line: 1, column: 1 }), valuePositionOf: () => ({ line: 1, column: 1 }) };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const error = doc.errors[0];
  if (error) {
    return {
      path,
      text,
      syntaxError: { message: error.message.split("\n")[0]!, ...pos(error.pos[0]) },
      data: undefined,
      positionOf: () => pos(error.pos[0]),
      valuePositionOf: () => pos(error.pos[0]),
    };
  }
  const js: unknown = doc.toJS();
  const data = js !== null && typeof js === "object" && !Array.isArray(js) ? (js as Record<string, unknown>) : undefined;
  return {
    path,
    text,
    data,
    positionOf: (keyPath) => locate(doc, keyPath, "key", pos),
    valuePositionOf: (keyPath) => locate(doc, keyPath, "value", pos),
  };
}

function locate(
  doc: Document,
  keyPath: readonly (string | number)[],
  want: "key" | "value",
  pos: (offset: number) => Position,
): Position {
  let node: unknown = doc.contents;
  let best: Position = { line: 1, column: 1 };
  for (let i = 0; i < keyPath.length; i++) {
    const key = keyPath[i]!;
    const last = i === keyPath.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) return best;
      const keyNode = pair.key as Node;
      const valueNode = pair.value as Node | null;
      const target = last && want === "value" && valueNode?.range ? valueNode : keyNode;
      if (target.range) best = pos(target.range[0]);
      node = valueNode;
    } else if (node && typeof node === "object" && "items" in node && Array.isArray((node as { items: unknown[] }).items)) {
      const item = (node as { items: Node[] }).items[Number(key)];
      if (!item) return best;
      if (item.range) best = pos(item.range[0]);
      node = item;
    } else return best;
  }
  return best;
}
