import type ts from "typescript";

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
export function nodePosition(node: ts.Node): { line: number; column: number } {
  const file = node.getSourceFile();
  const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
  return { line: line + 1, column: character + 1 };
}

/** The repository-relative path of a file of the program (`/services/x/a.ts` → `services/x/a.ts`). */
export function repoPathOf(node: ts.Node): string {
  return node.getSourceFile().fileName.replace(/^\//, "");
}

export function locationOf(node: ts.Node): Location {
  return { path: repoPathOf(node), ...nodePosition(node) };
}

export function undecidableAt(node: ts.Node, construct: string): Undecidable {
  return { construct, ...locationOf(node) };
}
