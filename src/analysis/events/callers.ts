import { Node, SyntaxKind, type CallExpression, type SourceFile } from "ts-morph";
import { resolveName } from "../ts/symbols.js";
import { unwrap, type FunctionLike } from "../ts/syntax.js";
import { callsIn } from "../ts/walk.js";

/**
 * Who calls a function in the service, so a value a helper receives as a
 * parameter (the transaction, the event name) can be followed back to what
 * each caller passes.
 */

/** The calls of a function in the service's files, found by name then confirmed through the compiler's symbols. */
export class ServiceCalls {
  private byName: Map<string, CallExpression[]> | undefined;

  constructor(private readonly files: readonly SourceFile[]) {}

  callsOf(fn: FunctionLike): CallExpression[] {
    const name = functionName(fn);
    if (name === undefined) return [];
    const target = Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) ? fn.getParentIfKind(SyntaxKind.VariableDeclaration) ?? fn : fn;
    return (this.index().get(name) ?? []).filter((call) => calleeDeclaration(call.getExpression()) === target);
  }

  private index(): Map<string, CallExpression[]> {
    if (this.byName) return this.byName;
    const byName = new Map<string, CallExpression[]>();
    for (const file of this.files) {
      for (const call of callsIn(file)) {
        const callee = unwrap(call.getExpression());
        const name = Node.isIdentifier(callee) ? callee.getText() : Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
        if (name === undefined) continue;
        const list = byName.get(name) ?? [];
        list.push(call);
        byName.set(name, list);
      }
    }
    this.byName = byName;
    return byName;
  }
}

/** The call a function expression is passed to as an argument (`db.transaction(async (tx) => …)`), if any. */
export function callbackOf(fn: FunctionLike): CallExpression | undefined {
  if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return undefined;
  let current: Node = fn;
  let parent = current.getParent();
  while (parent && (Node.isParenthesizedExpression(parent) || Node.isAsExpression(parent) || Node.isSatisfiesExpression(parent))) {
    current = parent;
    parent = current.getParent();
  }
  if (parent && Node.isCallExpression(parent) && parent.getArguments().includes(current as never)) return parent;
  return undefined;
}

/** The name callers use for a function: its declared name, the const it is assigned to, or its method name. */
export function functionName(fn: FunctionLike): string | undefined {
  if (Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn)) return fn.getName();
  if (Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) {
    const holder = fn.getParent();
    if (holder && Node.isVariableDeclaration(holder) && Node.isIdentifier(holder.getNameNode())) return holder.getName();
    if (holder && Node.isPropertyDeclaration(holder)) return holder.getName();
  }
  return undefined;
}


/**
 * The declaration a callee names; for `this.repo.method(…)` / `repo.method(…)`
 * whose receiver is a field or parameter typed with a repository class
 * (`constructor(private readonly repo: InvoiceRepository)`), that class's method.
 */
function calleeDeclaration(callee: Node): Node | undefined {
  const direct = resolveName(callee).declaration;
  if (direct) return direct;
  const node = unwrap(callee);
  if (!Node.isPropertyAccessExpression(node)) return undefined;
  const receiver = resolveName(node.getExpression()).declaration;
  const type = receiver && (Node.isParameterDeclaration(receiver) || Node.isPropertyDeclaration(receiver)) ? receiver.getTypeNode() : undefined;
  if (!type || !Node.isTypeReference(type)) return undefined;
  const cls = resolveName(type.getTypeName()).declaration;
  if (!cls || !Node.isClassDeclaration(cls)) return undefined;
  return cls.getInstanceMethod(node.getName());
}
