import ts from "typescript";

/**
 * Bounds on what one file may ask of the engine. A pull request is hostile
 * input: a file over its kind's size is not read, and a file nested deeper
 * than any hand-written file is not analysed, so no input can exhaust the
 * parsers or the rules' recursive walks. Both are reported on the file, under
 * this pseudo-rule (an engine finding, not configurable: a rule cannot be
 * turned off to make the engine read more).
 */
export const inputLimitsMeta = {
  id: "input-limits",
  title: "Files the engine will not read or analyse (too large, too deeply nested)",
  messages: {
    tooLarge: "{{path}} is {{size}}, over the {{limit}} limit for {{kind}} files, so it was not read and no rule checked it. Split the file, or move generated data out of the repository.",
    tooDeep:
      "{{path}} nests {{what}} more than {{limit}} levels deep, so it was not analysed and no rule checked it. Flatten it (no hand-written file nests this deep).",
  },
} as const;

export type InputLimitMessageId = keyof typeof inputLimitsMeta.messages;

export type FileKind = "TypeScript" | "YAML" | "Markdown" | "SQL" | "JSON" | "text";

const KIB = 1024;

/** Bytes a file of each kind may have; well above anything hand-written, well below what a parser chokes on. */
export const SIZE_LIMITS: Readonly<Record<FileKind, number>> = {
  TypeScript: 1024 * KIB,
  YAML: 256 * KIB,
  Markdown: 512 * KIB,
  SQL: 1024 * KIB,
  JSON: 1024 * KIB,
  text: 1024 * KIB,
};

/** Deepest syntax tree (TypeScript AST, Markdown tree) the rules are asked to walk. */
export const MAX_SYNTAX_DEPTH = 500;

export function fileKind(path: string): FileKind {
  const dot = path.lastIndexOf(".");
  const ext = dot < 0 ? "" : path.slice(dot + 1).toLowerCase();
  if (["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"].includes(ext)) return "TypeScript";
  if (ext === "yaml" || ext === "yml") return "YAML";
  if (ext === "md" || ext === "markdown") return "Markdown";
  if (ext === "sql") return "SQL";
  if (ext === "json") return "JSON";
  return "text";
}

/** `1.5 MB`, `300 KB`, `12 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * KIB) return `${(bytes / (1024 * KIB)).toFixed(1).replace(/\.0$/, "")} MB`;
  if (bytes >= KIB) return `${Math.round(bytes / KIB)} KB`;
  return `${bytes} bytes`;
}

/** The size problem of a text, if it is over its kind's limit. */
export function sizeProblem(path: string, text: string): Record<string, string> | undefined {
  const kind = fileKind(path);
  const limit = SIZE_LIMITS[kind];
  // A UTF-16 unit is at most 3 UTF-8 bytes: most texts are cleared without counting bytes.
  if (text.length * 3 <= limit) return undefined;
  const size = Buffer.byteLength(text, "utf8");
  return size > limit ? { path, size: formatBytes(size), limit: formatBytes(limit), kind } : undefined;
}

/**
 * Depth of a TypeScript syntax tree, walked with an explicit stack (a recursive
 * walk would itself overflow on the input it measures). Stops counting once
 * past `cap`.
 */
export function syntaxDepth(root: ts.Node, cap = MAX_SYNTAX_DEPTH): number {
  let deepest = 0;
  // Two parallel stacks (node, depth) and one callback: this runs over every file a check parses.
  const nodes: ts.Node[] = [root];
  const depths: number[] = [1];
  let childDepth = 0;
  const push = (child: ts.Node): undefined => {
    nodes.push(child);
    depths.push(childDepth);
    return undefined;
  };
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > cap) return deepest;
    }
    childDepth = depth + 1;
    ts.forEachChild(node, push);
  }
  return deepest;
}
