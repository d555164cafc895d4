import { Node, SyntaxKind, type CallExpression, type ObjectLiteralExpression, type PropertyAccessExpression, type SourceFile } from "ts-morph";
import type { RepoContext } from "../../engine/context.js";
import { joinRepoPath } from "../../engine/names.js";
import { followConst, memberKey, stringValue } from "../ts/static-objects.js";
import { nodePosition } from "../ts/location.js";
import { resolveName } from "../ts/symbols.js";
import { constructText, isFunctionLike, unwrap } from "../ts/syntax.js";
import { callsIn, descendantsOfKind } from "../ts/walk.js";

/**
 * `sst.config.ts` read as code (guide step 6): which service fragments it
 * imports, which of their exports it calls, where each call's result goes, and
 * the keys of the object `run()` returns.
 */

export const SST_CONFIG_PATH = "sst.config.ts";

export interface SstAt {
  line: number;
  column: number;
}

export interface SstUndecidable extends SstAt {
  construct: string;
}

/** Where a fragment call's result ends up. */
export type ResultHolder =
  /** `const billingLedger = …call…` */
  | { kind: "variable"; name: string }
  /** `{ billingLedgerService: …call… }` written directly in an object literal. */
  | { kind: "property"; key: string | undefined; object: ObjectLiteralExpression; at: SstAt }
  /** Not kept (the call's value is dropped, or the callback does not return it). */
  | { kind: "none" };

export interface FragmentCall {
  /** The module export called: `billingLedger` in `m.billingLedger(shared)`. */
  exportName: string;
  at: SstAt;
  holder: ResultHolder;
}

export interface ServiceInfraImport {
  /** The service folder the import names. */
  service: string;
  specifier: string;
  /** The import call (or declaration). */
  at: SstAt;
  calls: FragmentCall[];
  /** The module value goes somewhere this analysis does not follow (passed to a helper, stored in a list). */
  unfollowed?: SstUndecidable;
}

export interface ReturnedObject {
  at: SstAt;
  object: ObjectLiteralExpression;
  keys: ReadonlyMap<string, { at: SstAt; value: Node }>;
}

export interface SstConfig {
  exists: boolean;
  imports: ServiceInfraImport[];
  /** `import(\`./services/${name}/infra\`)`: imports whose target cannot be read. */
  dynamicImports: SstUndecidable[];
  /** The object literals `run()` returns. */
  returned: ReturnedObject[];
  /** Spreads and non-literal values in what `run()` returns. */
  returnUndecidable: SstUndecidable[];
  /** Where `run` is declared (for findings about something missing). */
  runAt?: SstAt;
}

const at = (node: Node): SstAt => nodePosition(node);

/** The parsed `sst.config.ts`, once per check. */
export function sstConfig(repo: RepoContext): Promise<SstConfig> {
  return repo.memo("sst-config", async () => {
    const file = await repo.sourceFile(SST_CONFIG_PATH);
    if (!file) return { exists: false, imports: [], dynamicImports: [], returned: [], returnUndecidable: [] };
    return readSstConfig(file, repo.config.services_dir);
  });
}

/** `./services/billing-ledger/infra(.ts|.js)` → `billing-ledger`; undefined for other modules. */
export function serviceOfInfraSpecifier(specifier: string, servicesDir: string): string | undefined {
  const normalised = specifier.replace(/^\.\//, "").replace(/\.(c|m)?(t|j)s$/, "").replace(/\/index$/, "");
  const prefix = `${servicesDir}/`;
  if (!normalised.startsWith(prefix)) return undefined;
  const match = /^([^/]+)\/infra$/.exec(normalised.slice(prefix.length));
  return match?.[1];
}

function readSstConfig(file: SourceFile, servicesDir: string): SstConfig {
  const result: SstConfig = { exists: true, imports: [], dynamicImports: [], returned: [], returnUndecidable: [] };

  for (const call of callsIn(file)) {
    if (call.getExpression().getKind() !== SyntaxKind.ImportKeyword) continue;
    const arg = call.getArguments()[0];
    const specifiers = arg ? specifierValues(arg) : undefined;
    if (specifiers === undefined) {
      result.dynamicImports.push({ construct: constructText(call), ...at(call) });
      continue;
    }
    for (const specifier of specifiers) {
      const service = serviceOfInfraSpecifier(specifier, servicesDir);
      if (service !== undefined) result.imports.push({ service, specifier, at: at(call), ...followDynamicImport(file, call) });
    }
  }
  // Static imports are not how SST configs load fragments, but they register a service just the same.
  for (const decl of file.getImportDeclarations()) {
    if (decl.isTypeOnly()) continue;
    const specifier = decl.getModuleSpecifierValue();
    const service = serviceOfInfraSpecifier(specifier, servicesDir);
    if (service === undefined) continue;
    const calls: FragmentCall[] = [];
    for (const spec of decl.getNamedImports()) {
      calls.push(...callsOfIdentifier(file, spec.getAliasNode()?.getText() ?? spec.getName(), spec.getName()));
    }
    const ns = decl.getNamespaceImport();
    if (ns) calls.push(...callsOnNamespace(file, ns.getText()));
    result.imports.push({ service, specifier, at: at(decl), calls });
  }

  result.imports.push(...importsThroughRepositoryModules(file, servicesDir));

  const run = findRun(file);
  if (run) result.runAt = at(run.anchor);
  const returns = run ? returnsOf(run.body) : descendantsOfKind(file, SyntaxKind.ReturnStatement);
  for (const ret of returns) {
    const expr = ret.getExpression();
    if (!expr) continue;
    const value = followConst(expr);
    if (!Node.isObjectLiteralExpression(value)) {
      if (run) result.returnUndecidable.push({ construct: constructText(expr), ...at(expr) });
      continue;
    }
    const keys = new Map<string, { at: SstAt; value: Node }>();
    for (const prop of value.getProperties()) {
      if (Node.isSpreadAssignment(prop)) {
        result.returnUndecidable.push({ construct: constructText(prop), ...at(prop) });
        continue;
      }
      const key = memberKey(prop);
      const propValue = Node.isPropertyAssignment(prop) ? prop.getInitializer() : Node.isShorthandPropertyAssignment(prop) ? prop.getNameNode() : undefined;
      if (key !== undefined && propValue) keys.set(key, { at: at(prop), value: propValue });
      else result.returnUndecidable.push({ construct: constructText(prop), ...at(prop) });
    }
    result.returned.push({ at: at(value), object: value, keys });
  }
  return result;
}

/** How a dynamic `import("./services/x/infra")` is used: `.then((m) => m.x(shared))`, `const m = await import(…)`, `(await import(…)).x(shared)`. */
function followDynamicImport(file: SourceFile, call: CallExpression): { calls: FragmentCall[]; unfollowed?: SstUndecidable } {
  const outer = climb(call);
  const parent = outer.getParent();

  // import(…).then(callback)
  if (parent && Node.isPropertyAccessExpression(parent) && parent.getName() === "then") {
    const thenCall = parent.getParent();
    const callback = thenCall && Node.isCallExpression(thenCall) ? thenCall.getArguments()[0] : undefined;
    if (thenCall && callback && (Node.isArrowFunction(callback) || Node.isFunctionExpression(callback))) {
      const param = callback.getParameters()[0];
      const nameNode = param?.getNameNode();
      if (!nameNode) return { calls: [] };
      const found = Node.isIdentifier(nameNode)
        ? callsOnNamespace(callback, nameNode.getText())
        : Node.isObjectBindingPattern(nameNode)
          ? nameNode.getElements().flatMap((el) => callsOfIdentifier(callback, el.getName(), el.getPropertyNameNode()?.getText() ?? el.getName()))
          : [];
      // A call the callback returns becomes the value of the whole `await import(…).then(…)`.
      const thenHolder = holderOf(thenCall);
      return {
        calls: found.map((c) => ({ ...c, holder: c.returned ? thenHolder : { kind: "none" as const } })).map(toFragmentCall),
      };
    }
    return { calls: [], unfollowed: { construct: constructText(parent.getParent() ?? parent), ...at(parent) } };
  }

  // (await import(…)).billingLedger(shared)
  if (parent && Node.isPropertyAccessExpression(parent)) {
    const direct = parent.getParent();
    if (direct && Node.isCallExpression(direct) && direct.getExpression() === parent) {
      return { calls: [{ exportName: parent.getName(), at: at(direct), holder: holderOf(direct) }] };
    }
  }

  // const m = await import(…) / const { billingLedger } = await import(…)
  if (parent && Node.isVariableDeclaration(parent)) {
    const nameNode = parent.getNameNode();
    const scope = parent.getFirstAncestor((a) => Node.isBlock(a) || Node.isSourceFile(a)) ?? file;
    if (Node.isIdentifier(nameNode)) {
      const calls = callsOnNamespace(scope, nameNode.getText()).map(toFragmentCall);
      const computed = calls.length === 0 ? computedAccessOn(scope, nameNode.getText()) : undefined;
      return computed ? { calls, unfollowed: { construct: constructText(computed), ...at(computed) } } : { calls };
    }
    if (Node.isObjectBindingPattern(nameNode)) {
      return {
        calls: nameNode
          .getElements()
          .flatMap((el) => callsOfIdentifier(scope, el.getName(), el.getPropertyNameNode()?.getText() ?? el.getName()))
          .map(toFragmentCall),
      };
    }
  }
  return { calls: [], unfollowed: { construct: constructText(outer.getParent() ?? outer), ...at(call) } };
}

/**
 * Fragments reached through a repository module sst.config.ts imports (a
 * barrel such as `infra/services.ts` that re-exports every fragment): each
 * call whose callee the compiler resolves to a service's `infra` module.
 */
function importsThroughRepositoryModules(file: SourceFile, servicesDir: string): ServiceInfraImport[] {
  const out: ServiceInfraImport[] = [];
  for (const call of callsIn(file)) {
    const callee = unwrap(call.getExpression());
    if (!Node.isIdentifier(callee) && !Node.isPropertyAccessExpression(callee)) continue;
    const steps = resolveName(callee).imports;
    const first = steps[0];
    if (!first || serviceOfInfraSpecifier(first.module, servicesDir) !== undefined) continue; // direct imports are read above
    for (const step of steps.slice(1)) {
      const from = step.node.getSourceFile().getFilePath().replace(/^\/+/, "");
      const target = step.module.startsWith(".") ? joinRepoPath(from.slice(0, from.lastIndexOf("/")), step.module) : undefined;
      const service = target === undefined ? undefined : serviceOfInfraSpecifier(target, servicesDir);
      if (service === undefined) continue;
      const exportName = step.name === "*" && Node.isPropertyAccessExpression(callee) ? callee.getName() : step.name;
      const declaration = first.node.getFirstAncestor(Node.isImportDeclaration) ?? first.node;
      out.push({ service, specifier: first.module, at: at(declaration), calls: [{ exportName, at: at(call), holder: holderOf(call) }] });
      break;
    }
  }
  return out;
}

/**
 * The specifiers an `import(…)` argument can be: a string or constant, or a
 * template whose substitutions range over a list known statically (`for (const
 * name of ["a", "b"]) import(`./services/${name}/infra`)`, `.map((name) => …)`).
 */
function specifierValues(arg: Node): string[] | undefined {
  const text = stringValue(arg);
  if (text !== undefined) return [text];
  const node = unwrap(arg);
  if (!Node.isTemplateExpression(node)) return undefined;
  let out = [node.getHead().getLiteralText()];
  for (const span of node.getTemplateSpans()) {
    const values = loopValues(span.getExpression());
    if (!values) return undefined;
    const tail = span.getLiteral().getLiteralText();
    out = out.flatMap((prefix) => values.map((v) => `${prefix}${v}${tail}`));
    if (out.length > 200) return undefined;
  }
  return out;
}

/** The strings a name takes: a constant, or the variable of a loop over a constant list of strings. */
function loopValues(expr: Node): string[] | undefined {
  const text = stringValue(expr);
  if (text !== undefined) return [text];
  const node = unwrap(expr);
  if (!Node.isIdentifier(node)) return undefined;
  const declaration = resolveName(node).declaration;
  let list: Node | undefined;
  if (declaration && Node.isVariableDeclaration(declaration)) {
    const loop = declaration.getParent()?.getParent();
    if (loop && Node.isForOfStatement(loop)) list = loop.getExpression();
  } else if (declaration && Node.isParameterDeclaration(declaration)) {
    // `LIST.map((name) => …)` / `forEach` / `flatMap`: the callback's first parameter.
    const fn = declaration.getParent();
    const call = fn.getParent();
    const callee = call && Node.isCallExpression(call) ? unwrap(call.getExpression()) : undefined;
    const first = isFunctionLike(fn) && fn.getParameters()[0] === declaration;
    if (first && callee && Node.isPropertyAccessExpression(callee) && ["map", "forEach", "flatMap"].includes(callee.getName())) list = callee.getExpression();
  }
  const array = list ? followConst(list) : undefined;
  if (!array || !Node.isArrayLiteralExpression(array)) return undefined;
  const values = array.getElements().map((e) => stringValue(e));
  return values.every((v): v is string => v !== undefined) ? values : undefined;
}

/** `m[key]` on a module object: an export chosen at run time. */
function computedAccessOn(scope: Node, name: string): Node | undefined {
  return descendantsOfKind(scope, SyntaxKind.ElementAccessExpression).find((e) => Node.isIdentifier(e.getExpression()) && e.getExpression().getText() === name);
}

interface FoundCall {
  exportName: string;
  at: SstAt;
  /** The call is the value its enclosing callback returns. */
  returned: boolean;
}

/** `m.x(…)` calls on a module object named `name` inside `scope`. */
function callsOnNamespace(scope: Node, name: string): (FoundCall & { holder: ResultHolder })[] {
  return descendantsOfKind(scope, SyntaxKind.CallExpression)
    .filter((c) => {
      const callee = c.getExpression();
      return Node.isPropertyAccessExpression(callee) && Node.isIdentifier(callee.getExpression()) && callee.getExpression().getText() === name;
    })
    .map((c) => found(c, (c.getExpression() as PropertyAccessExpression).getName()));
}

/** `x(…)` calls of a local binding `local` (bound to export `exported`) inside `scope`. */
function callsOfIdentifier(scope: Node, local: string, exported: string): (FoundCall & { holder: ResultHolder })[] {
  return descendantsOfKind(scope, SyntaxKind.CallExpression)
    .filter((c) => Node.isIdentifier(c.getExpression()) && c.getExpression().getText() === local)
    .map((c) => found(c, exported));
}

function found(call: CallExpression, exportName: string): FoundCall & { holder: ResultHolder } {
  return { exportName, at: at(call), returned: isReturnedByCallback(call), holder: holderOf(call) };
}

function toFragmentCall(c: FoundCall & { holder: ResultHolder }): FragmentCall {
  return { exportName: c.exportName, at: c.at, holder: c.holder };
}

/** Whether a call is what its enclosing arrow/function returns (`(m) => m.x(s)` or `return m.x(s)`). */
function isReturnedByCallback(call: CallExpression): boolean {
  const outer = climb(call);
  const parent = outer.getParent();
  if (!parent) return false;
  if (Node.isArrowFunction(parent) && parent.getBody() === outer) return true;
  return Node.isReturnStatement(parent);
}

/** Skips `await`, parentheses and type assertions around a value. */
function climb(node: Node): Node {
  let current = node;
  for (;;) {
    const parent = current.getParent();
    if (
      parent &&
      (Node.isAwaitExpression(parent) ||
        Node.isParenthesizedExpression(parent) ||
        Node.isAsExpression(parent) ||
        Node.isSatisfiesExpression(parent) ||
        Node.isNonNullExpression(parent))
    ) {
      current = parent;
    } else return current;
  }
}

function holderOf(call: Node): ResultHolder {
  const outer = climb(call);
  const parent = outer.getParent();
  if (parent && Node.isVariableDeclaration(parent) && Node.isIdentifier(parent.getNameNode())) return { kind: "variable", name: parent.getName() };
  if (parent && Node.isPropertyAssignment(parent) && parent.getInitializer() === outer) {
    const object = parent.getParent();
    if (Node.isObjectLiteralExpression(object)) return { kind: "property", key: memberKey(parent), object, at: at(parent) };
  }
  return { kind: "none" };
}

/** The `run` of `$config({ …, async run() { … } })` (or any object member named run). */
function findRun(file: SourceFile): { body: Node; anchor: Node } | undefined {
  for (const member of [...descendantsOfKind(file, SyntaxKind.MethodDeclaration), ...descendantsOfKind(file, SyntaxKind.PropertyAssignment)]) {
    if (memberKey(member) !== "run") continue;
    if (Node.isMethodDeclaration(member)) {
      const body = member.getBody();
      if (body) return { body, anchor: member.getNameNode() };
    } else if (Node.isPropertyAssignment(member)) {
      const init = member.getInitializer();
      if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) return { body: init.getBody(), anchor: member.getNameNode() };
    }
  }
  return undefined;
}

/** Return statements of a function body, not of functions nested in it. */
function returnsOf(body: Node) {
  const owner = body.getParent();
  return descendantsOfKind(body, SyntaxKind.ReturnStatement).filter((r) => r.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a)) === owner);
}
