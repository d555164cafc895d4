import { ts, type CallExpression, type KindToNodeMappings, type Node, type SourceFile, SyntaxKind } from "ts-morph";

/**
 * ts-morph's own `getDescendantsOfKind` walks with nested generators and wraps
 * nodes as it goes; over every file of a large monorepo that walk was a tenth
 * of a check. These walk the compiler's nodes directly and wrap only the
 * matches (through the file's node cache, so a node has one wrapper, as with
 * ts-morph's own methods).
 */

interface WrappingNode {
  /** ts-morph's (runtime-public, undeclared) cached wrapper lookup. */
  _getNodeFromCompilerNode(node: ts.Node): Node;
}

/** Wraps compiler nodes of `owner`'s file. */
function wrapperOf(owner: Node): (node: ts.Node) => Node {
  const wrapping = owner as unknown as Partial<WrappingNode>;
  if (typeof wrapping._getNodeFromCompilerNode !== "function") throw new Error("ts-morph no longer exposes _getNodeFromCompilerNode: update analysis/ts/walk.ts");
  return (node) => wrapping._getNodeFromCompilerNode!(node);
}

/** The ts-morph node of a compiler node in any file of `anyNode`'s project (the one cached wrapper). */
export function wrapNode(anyNode: Node, node: ts.Node): Node {
  const sourceFile = node.getSourceFile();
  const owner = anyNode.getSourceFile().compilerNode === sourceFile ? anyNode : anyNode.getProject().getSourceFile(sourceFile.fileName);
  if (!owner) throw new Error(`analysis: ${sourceFile.fileName} is not in the check's program`);
  return wrapperOf(owner)(node);
}

/** Descendants of `root` of one kind, in document order (as `root.getDescendantsOfKind(kind)`). */
export function descendantsOfKind<K extends SyntaxKind>(root: Node, kind: K): KindToNodeMappings[K][] {
  const wrap = wrapperOf(root);
  const out: KindToNodeMappings[K][] = [];
  // Depth-first with an explicit stack: files deeper than the engine's limit never get here, but a walk must not recurse on input.
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
  pushChildren(root.compilerNode);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === kind) out.push(wrap(node) as KindToNodeMappings[K]);
    pushChildren(node);
  }
  return out;
}

const callsByFile = new WeakMap<ts.SourceFile, CallExpression[]>();

/** Every call expression in a file, walked once and shared by the analyses that scan a file's calls. */
export function callsIn(file: SourceFile): readonly CallExpression[] {
  let calls = callsByFile.get(file.compilerNode);
  if (!calls) {
    calls = descendantsOfKind(file, SyntaxKind.CallExpression);
    callsByFile.set(file.compilerNode, calls);
  }
  return calls;
}
