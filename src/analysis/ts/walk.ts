import ts from "typescript";

/**
 * Walks over the compiler's nodes. Every walk keeps its own stack: files
 * deeper than the engine's limit never get here, but a walk must not recurse
 * on input.
 */

/** Children of a node in source order (syntax nodes only: tokens such as modifiers' keywords are not children). */
export function childrenOf(node: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  ts.forEachChild(node, (child) => {
    out.push(child);
  });
  return out;
}

/**
 * Visits the descendants of `root` (root excluded) depth-first in document
 * order. `visit` returning `false` skips that node's descendants.
 */
export function forEachDescendant(root: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  const stack: ts.Node[] = [];
  const push = (child: ts.Node): undefined => {
    stack.push(child);
    return undefined;
  };
  const pushChildren = (node: ts.Node) => {
    const start = stack.length;
    ts.forEachChild(node, push);
    // Reverse the children just pushed so the first child is popped first.
    for (let i = start, j = stack.length - 1; i < j; i++, j--) {
      const first = stack[i]!;
      stack[i] = stack[j]!;
      stack[j] = first;
    }
  };
  pushChildren(root);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) !== false) pushChildren(node);
  }
}

/** Descendants of `root` that pass `test`, in document order (`descendants(file, ts.isCallExpression)`). */
export function descendants<T extends ts.Node>(root: ts.Node, test: (node: ts.Node) => node is T): T[] {
  const out: T[] = [];
  forEachDescendant(root, (node) => {
    if (test(node)) out.push(node);
  });
  return out;
}

/** Descendants of `root` of one kind, in document order. */
export function descendantsOfKind(root: ts.Node, kind: ts.SyntaxKind): ts.Node[] {
  const out: ts.Node[] = [];
  forEachDescendant(root, (node) => {
    if (node.kind === kind) out.push(node);
  });
  return out;
}

/** The nearest ancestor (the node itself excluded) that passes `test`. */
export function firstAncestor<T extends ts.Node>(node: ts.Node, test: (node: ts.Node) => node is T): T | undefined {
  for (let current = node.parent; current; current = current.parent) if (test(current)) return current;
  return undefined;
}

const callsByFile = new WeakMap<ts.SourceFile, ts.CallExpression[]>();

/** Every call expression in a file, walked once and shared by the analyses that scan a file's calls. */
export function callsIn(file: ts.SourceFile): readonly ts.CallExpression[] {
  let calls = callsByFile.get(file);
  if (!calls) {
    calls = descendants(file, ts.isCallExpression);
    callsByFile.set(file, calls);
  }
  return calls;
}
