import ts from "typescript";
import { resolveName } from "../ts/symbols.js";
import { hasModifier, isImplementation, nameOf, unwrap, type FunctionLike } from "../ts/syntax.js";
import { callsIn } from "../ts/walk.js";

/**
 * Who calls a function in the service, so a value a helper receives as a
 * parameter (the transaction, the event name) can be followed back to what
 * each caller passes.
 */

/** The calls of a function in the service's files, found by name then confirmed through the compiler's symbols. */
export class ServiceCalls {
  private byName: Map<string, ts.CallExpression[]> | undefined;

  constructor(private readonly files: readonly ts.SourceFile[]) {}

  callsOf(fn: FunctionLike): ts.CallExpression[] {
    const name = functionName(fn);
    if (name === undefined) return [];
    const target = (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) ? fn.parent : fn;
    return (this.index().get(name) ?? []).filter((call) => calleeDeclaration(call.expression) === target);
  }

  /**
   * The calls a function is handed to by name (`db.transaction(persist)`,
   * `db.transaction(this.persist.bind(this))`), with the argument naming it.
   */
  handedTo(fn: FunctionLike): { call: ts.CallExpression; argument: ts.Node }[] {
    const name = functionName(fn);
    if (name === undefined) return [];
    const target = (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) ? fn.parent : fn;
    const out: { call: ts.CallExpression; argument: ts.Node }[] = [];
    for (const file of this.files) {
      for (const call of callsIn(file)) {
        for (const argument of call.arguments) {
          const named = boundFunction(unwrap(argument));
          const last = ts.isIdentifier(named) ? named.text : ts.isPropertyAccessExpression(named) ? named.name.text : undefined;
          if (last === name && calleeDeclaration(named) === target) out.push({ call, argument });
        }
      }
    }
    return out;
  }

  private index(): Map<string, ts.CallExpression[]> {
    if (this.byName) return this.byName;
    const byName = new Map<string, ts.CallExpression[]>();
    for (const file of this.files) {
      for (const call of callsIn(file)) {
        const callee = unwrap(call.expression);
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (name === undefined) continue;
        const list = byName.get(name);
        if (list) list.push(call);
        else byName.set(name, [call]);
      }
    }
    this.byName = byName;
    return byName;
  }
}

/** `f.bind(this)` → `f`; anything else as it is. */
function boundFunction(node: ts.Node): ts.Node {
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "bind") return unwrap(node.expression.expression);
  return node;
}

/** The call a function expression is passed to as an argument (`db.transaction(async (tx) => …)`), if any. */
export function callbackOf(fn: FunctionLike): ts.CallExpression | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  let current: ts.Node = fn;
  let parent: ts.Node | undefined = current.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent))) {
    current = parent;
    parent = current.parent;
  }
  if (parent && ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) return parent;
  return undefined;
}

/** The name callers use for a function: its declared name, the const it is assigned to, or its method name. */
export function functionName(fn: FunctionLike): string | undefined {
  if (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) return declaredName(fn);
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    const holder = fn.parent;
    if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
    if (ts.isPropertyDeclaration(holder)) return declaredName(holder);
  }
  return undefined;
}

/** A declaration's name; a computed one (`['save']`) as written, so messages can still show it. */
function declaredName(decl: ts.FunctionDeclaration | ts.MethodDeclaration | ts.PropertyDeclaration): string | undefined {
  return nameOf(decl) ?? decl.name?.getText();
}

/**
 * The declaration a callee names; for `this.repo.method(…)` / `repo.method(…)`
 * whose receiver is a field or parameter typed with a repository class
 * (`constructor(private readonly repo: InvoiceRepository)`), that class's method.
 */
function calleeDeclaration(callee: ts.Node): ts.Node | undefined {
  const direct = resolveName(callee).declaration;
  if (direct) return direct;
  const node = unwrap(callee);
  if (!ts.isPropertyAccessExpression(node)) return undefined;
  const receiver = resolveName(node.expression).declaration;
  const type = receiver && (ts.isParameter(receiver) || ts.isPropertyDeclaration(receiver)) ? receiver.type : undefined;
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  const cls = resolveName(type.typeName).declaration;
  if (!cls || !ts.isClassDeclaration(cls)) return undefined;
  return instanceMethod(cls, node.name.text);
}

/** A class's instance method of that name: its implementation (overload signatures are not what a call runs). */
function instanceMethod(cls: ts.ClassDeclaration, name: string): ts.MethodDeclaration | undefined {
  return cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && nameOf(m) === name && !hasModifier(m, ts.SyntaxKind.StaticKeyword) && isImplementation(m));
}

