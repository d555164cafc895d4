import type { Node } from "ts-morph";

/** A repository-relative file position (1-based line and column). */
export interface Location {
  path: string;
  line: number;
  column: number;
}

/** Something the analysis cannot decide statically, named for the engineer. */
export interface Undecidable extends Location {
  /** E.g. "the template literal `${BASE}/x`" or "`authz` (imported from \"@platform/auth\")". */
  construct: string;
}

/** 1-based line and column where a node starts (after leading trivia). */
export function nodePosition(node: Node): { line: number; column: number } {
  const { line, column } = node.getSourceFile().getLineAndColumnAtPos(node.getStart());
  return { line, column };
}

/** The repository-relative path of a file of the program (`/services/x/a.ts` → `services/x/a.ts`). */
export function repoPathOf(node: Node): string {
  return node.getSourceFile().getFilePath().replace(/^\//, "");
}

export function locationOf(node: Node): Location {
  return { path: repoPathOf(node), ...nodePosition(node) };
}

export function undecidableAt(node: Node, construct: string): Undecidable {
  return { construct, ...locationOf(node) };
}
