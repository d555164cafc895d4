import ts from "typescript";
import type { RepoContext } from "../../engine/context.js";
import { joinRepoPath } from "../../engine/names.js";
import { followConst, memberKey, stringValue } from "../ts/static-objects.js";
import { nodePosition } from "../ts/location.js";
import { resolveName } from "../ts/symbols.js";
import { constructText, isFunctionLike, moduleSpecifierText, unwrap } from "../ts/syntax.js";
import { callsIn, descendants, firstAncestor, forEachDescendant } from "../ts/walk.js";

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
  /** `const billingLedger = …call…`; `names` also holds every name of `const { service, url } = …call…` (`name` is the first). */
  | { kind: "variable"; name: string; names: readonly string[] }
  /** `{ billingLedgerService: …call… }` written directly in an object literal. */
  | { kind: "property"; key: string | undefined; object: ts.ObjectLiteralExpression; at: SstAt }
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
  object: ts.ObjectLiteralExpression;
  keys: ReadonlyMap<string, ReturnedEntry>;
}

export interface ReturnedEntry {
  at: SstAt;
  value: ts.Node;
  /**
   * The variable the value reads: `billingLedger`, or an output of it
   * (`billingLedger.url`, `billingLedger.nodes.service?.arn`), as SST outputs
   * are usually written.
   */
  reads?: string;
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

const at = (node: ts.Node): SstAt => nodePosition(node);

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

function readSstConfig(file: ts.SourceFile, servicesDir: string): SstConfig {
  const result: SstConfig = { exists: true, imports: [], dynamicImports: [], returned: [], returnUndecidable: [] };

  for (const call of callsIn(file)) {
    if (call.expression.kind !== ts.SyntaxKind.ImportKeyword) continue;
    const arg = call.arguments[0];
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
  for (const decl of file.statements) {
    if (!ts.isImportDeclaration(decl) || decl.importClause?.isTypeOnly) continue;
    const specifier = moduleSpecifierText(decl);
    const service = specifier === undefined ? undefined : serviceOfInfraSpecifier(specifier, servicesDir);
    if (specifier === undefined || service === undefined) continue;
    const calls: FragmentCall[] = [];
    const bindings = decl.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const spec of bindings.elements) calls.push(...callsOfIdentifier(file, spec.name.text, nameText(spec.propertyName ?? spec.name)));
    }
    if (bindings && ts.isNamespaceImport(bindings)) calls.push(...callsOnNamespace(file, bindings.name.text));
    result.imports.push({ service, specifier, at: at(decl), calls });
  }

  result.imports.push(...importsThroughRepositoryModules(file, servicesDir));

  const run = findRun(file);
  if (run) result.runAt = at(run.anchor);
  const returns = run ? returnsOf(run.body) : descendants(file, ts.isReturnStatement);
  for (const ret of returns) {
    const expr = ret.expression;
    if (!expr) continue;
    const value = followConst(expr);
    if (!ts.isObjectLiteralExpression(value)) {
      if (run) result.returnUndecidable.push({ construct: constructText(expr), ...at(expr) });
      continue;
    }
    const keys = new Map<string, ReturnedEntry>();
    for (const prop of value.properties) {
      if (ts.isSpreadAssignment(prop)) {
        result.returnUndecidable.push({ construct: constructText(prop), ...at(prop) });
        continue;
      }
      const key = memberKey(prop);
      const propValue = ts.isPropertyAssignment(prop) ? prop.initializer : ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
      if (key !== undefined && propValue) keys.set(key, { at: at(prop), value: propValue, ...readsOf(propValue) });
      else result.returnUndecidable.push({ construct: constructText(prop), ...at(prop) });
    }
    // `const outputs = {}; outputs.billingLedgerService = billingLedger; return outputs;`
    for (const assignment of assignmentsTo(expr, run?.body ?? file)) {
      const key = ts.isPropertyAccessExpression(assignment.left) ? assignment.left.name.text : stringValue((assignment.left as ts.ElementAccessExpression).argumentExpression);
      if (key === undefined) result.returnUndecidable.push({ construct: constructText(assignment), ...at(assignment) });
      else keys.set(key, { at: at(assignment), value: assignment.right, ...readsOf(assignment.right) });
    }
    result.returned.push({ at: at(value), object: value, keys });
  }
  return result;
}

/** `name.key = value` / `name[key] = value` in scope, where `name` is the variable a returned expression names. */
function assignmentsTo(returned: ts.Node, scope: ts.Node): (ts.BinaryExpression & { left: ts.PropertyAccessExpression | ts.ElementAccessExpression })[] {
  const variable = ts.isIdentifier(unwrap(returned)) ? resolveName(unwrap(returned)).declaration : undefined;
  if (!variable) return [];
  return descendants(scope, ts.isBinaryExpression).filter(
    (b): b is ts.BinaryExpression & { left: ts.PropertyAccessExpression | ts.ElementAccessExpression } =>
      b.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      (ts.isPropertyAccessExpression(b.left) || ts.isElementAccessExpression(b.left)) &&
      ts.isIdentifier(b.left.expression) &&
      resolveName(b.left.expression).declaration === variable,
  );
}

function readsOf(value: ts.Node): { reads?: string } {
  let node = value;
  while (ts.isPropertyAccessExpression(node) || ts.isNonNullExpression(node) || ts.isParenthesizedExpression(node)) node = node.expression;
  return ts.isIdentifier(node) ? { reads: node.text } : {};
}

/** How a dynamic `import("./services/x/infra")` is used: `.then((m) => m.x(shared))`, `const m = await import(…)`, `(await import(…)).x(shared)`. */
function followDynamicImport(file: ts.SourceFile, call: ts.CallExpression): { calls: FragmentCall[]; unfollowed?: SstUndecidable } {
  const outer = climb(call);
  const parent = outer.parent;

  // import(…).then(callback)
  if (ts.isPropertyAccessExpression(parent) && parent.name.text === "then") {
    const thenCall = parent.parent;
    const callback = ts.isCallExpression(thenCall) ? thenCall.arguments[0] : undefined;
    if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) {
      const nameNode = callback.parameters[0]?.name;
      if (!nameNode) return { calls: [] };
      const found = ts.isIdentifier(nameNode)
        ? callsOnNamespace(callback, nameNode.text)
        : ts.isObjectBindingPattern(nameNode)
          ? nameNode.elements.flatMap((el) => callsOfIdentifier(callback, nameText(el.name), nameText(el.propertyName ?? el.name)))
          : [];
      // A call the callback returns becomes the value of the whole `await import(…).then(…)`.
      const thenHolder = holderOf(thenCall);
      return {
        calls: found.map((c) => ({ ...c, holder: c.returned ? thenHolder : { kind: "none" as const } })).map(toFragmentCall),
      };
    }
    return { calls: [], unfollowed: { construct: constructText(parent.parent), ...at(parent) } };
  }

  // (await import(…)).billingLedger(shared)
  if (ts.isPropertyAccessExpression(parent)) {
    const direct = parent.parent;
    if (ts.isCallExpression(direct) && direct.expression === parent) {
      return { calls: [{ exportName: parent.name.text, at: at(direct), holder: holderOf(direct) }] };
    }
  }

  // const [m, n] = await Promise.all([import(…), import(…)])
  const loadedTogether = ts.isArrayLiteralExpression(parent) ? promiseAllBinding(parent, parent.elements.indexOf(outer as ts.Expression)) : undefined;
  if (loadedTogether) return followModuleBinding(file, loadedTogether.declaration, loadedTogether.name);

  // const m = await import(…) / const { billingLedger } = await import(…)
  if (ts.isVariableDeclaration(parent)) return followModuleBinding(file, parent, parent.name, call);
  return { calls: [], unfollowed: { construct: constructText(parent), ...at(call) } };
}

/** The name an element of `const [a, b] = await Promise.all([…])` is bound to, with its declaration. */
function promiseAllBinding(list: ts.ArrayLiteralExpression, index: number): { declaration: ts.VariableDeclaration; name: ts.BindingName } | undefined {
  const all = list.parent;
  if (!ts.isCallExpression(all) || all.arguments[0] !== list || all.expression.getText() !== "Promise.all") return undefined;
  const declaration = climb(all).parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isArrayBindingPattern(declaration.name)) return undefined;
  const element = declaration.name.elements[index];
  return element && ts.isBindingElement(element) && !element.dotDotDotToken ? { declaration, name: element.name } : undefined;
}

/** The calls on a module bound by a declaration: `m.x(…)` for a name, `x(…)` for `{ x }`. */
function followModuleBinding(file: ts.SourceFile, declaration: ts.VariableDeclaration, nameNode: ts.BindingName, call?: ts.CallExpression): { calls: FragmentCall[]; unfollowed?: SstUndecidable } {
  const scope = firstAncestor(declaration, isBlockOrFile) ?? file;
  if (ts.isIdentifier(nameNode)) {
    const calls = callsOnNamespace(scope, nameNode.text).map(toFragmentCall);
    const computed = calls.length === 0 ? computedAccessOn(scope, nameNode.text) : undefined;
    return computed ? { calls, unfollowed: { construct: constructText(computed), ...at(computed) } } : { calls };
  }
  if (ts.isObjectBindingPattern(nameNode)) {
    return {
      calls: nameNode.elements.flatMap((el) => callsOfIdentifier(scope, nameText(el.name), nameText(el.propertyName ?? el.name))).map(toFragmentCall),
    };
  }
  return { calls: [], unfollowed: { construct: constructText(declaration), ...at(call ?? declaration) } };
}

function isBlockOrFile(node: ts.Node): node is ts.Block | ts.SourceFile {
  return ts.isBlock(node) || ts.isSourceFile(node);
}

/** A binding or property name as written: an identifier's name, else the source text (`"a-b"`, `{ a }`). */
function nameText(name: ts.Node): string {
  return ts.isIdentifier(name) ? name.text : name.getText();
}

/**
 * Fragments reached through a repository module sst.config.ts imports (a
 * barrel such as `infra/services.ts` that re-exports every fragment): each
 * call whose callee the compiler resolves to a service's `infra` module.
 */
function importsThroughRepositoryModules(file: ts.SourceFile, servicesDir: string): ServiceInfraImport[] {
  const out: ServiceInfraImport[] = [];
  for (const call of callsIn(file)) {
    const callee = unwrap(call.expression);
    if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) continue;
    const steps = resolveName(callee).imports;
    const first = steps[0];
    if (!first || serviceOfInfraSpecifier(first.module, servicesDir) !== undefined) continue; // direct imports are read above
    for (const step of steps.slice(1)) {
      const from = step.node.getSourceFile().fileName.replace(/^\/+/, "");
      const target = step.module.startsWith(".") ? joinRepoPath(from.slice(0, from.lastIndexOf("/")), step.module) : undefined;
      const service = target === undefined ? undefined : serviceOfInfraSpecifier(target, servicesDir);
      if (service === undefined) continue;
      const exportName = step.name === "*" && ts.isPropertyAccessExpression(callee) ? callee.name.text : step.name;
      const declaration = firstAncestor(first.node, ts.isImportDeclaration) ?? first.node;
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
function specifierValues(arg: ts.Node): string[] | undefined {
  const text = stringValue(arg);
  if (text !== undefined) return [text];
  const node = unwrap(arg);
  if (!ts.isTemplateExpression(node)) return undefined;
  let out = [node.head.text];
  for (const span of node.templateSpans) {
    const values = loopValues(span.expression);
    if (!values) return undefined;
    const tail = span.literal.text;
    out = out.flatMap((prefix) => values.map((v) => `${prefix}${v}${tail}`));
    if (out.length > 200) return undefined;
  }
  return out;
}

/** The strings a name takes: a constant, or the variable of a loop over a constant list of strings. */
function loopValues(expr: ts.Node): string[] | undefined {
  const text = stringValue(expr);
  if (text !== undefined) return [text];
  const node = unwrap(expr);
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = resolveName(node).declaration;
  let list: ts.Node | undefined;
  if (declaration && ts.isVariableDeclaration(declaration)) {
    const loop = declaration.parent.parent;
    if (ts.isForOfStatement(loop)) list = loop.expression;
  } else if (declaration && ts.isParameter(declaration)) {
    // `LIST.map((name) => …)` / `forEach` / `flatMap`: the callback's first parameter.
    const fn = declaration.parent;
    const call = fn.parent;
    const callee = ts.isCallExpression(call) ? unwrap(call.expression) : undefined;
    const first = isFunctionLike(fn) && fn.parameters[0] === declaration;
    if (first && callee && ts.isPropertyAccessExpression(callee) && ["map", "forEach", "flatMap"].includes(callee.name.text)) list = callee.expression;
  }
  const array = list ? followConst(list) : undefined;
  if (!array || !ts.isArrayLiteralExpression(array)) return undefined;
  const values = array.elements.map((e) => stringValue(e));
  return values.every((v): v is string => v !== undefined) ? values : undefined;
}

/** `m[key]` on a module object: an export chosen at run time. */
function computedAccessOn(scope: ts.Node, name: string): ts.Node | undefined {
  return descendants(scope, ts.isElementAccessExpression).find((e) => ts.isIdentifier(e.expression) && e.expression.text === name);
}

interface FoundCall {
  exportName: string;
  at: SstAt;
  /** The call is the value its enclosing callback returns. */
  returned: boolean;
}

/** `m.x(…)` calls on a module object named `name` inside `scope`. */
function callsOnNamespace(scope: ts.Node, name: string): (FoundCall & { holder: ResultHolder })[] {
  const out: (FoundCall & { holder: ResultHolder })[] = [];
  for (const c of callsUnder(scope)) {
    const callee = c.expression;
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === name) out.push(found(c, callee.name.text));
  }
  return out;
}

/** `x(…)` calls of a local binding `local` (bound to export `exported`) inside `scope`. */
function callsOfIdentifier(scope: ts.Node, local: string, exported: string): (FoundCall & { holder: ResultHolder })[] {
  return callsUnder(scope)
    .filter((c) => ts.isIdentifier(c.expression) && c.expression.text === local)
    .map((c) => found(c, exported));
}

/** The calls inside `scope` in document order (the file's shared list when the scope is the file). */
function callsUnder(scope: ts.Node): readonly ts.CallExpression[] {
  return ts.isSourceFile(scope) ? callsIn(scope) : descendants(scope, ts.isCallExpression);
}

function found(call: ts.CallExpression, exportName: string): FoundCall & { holder: ResultHolder } {
  return { exportName, at: at(call), returned: isReturnedByCallback(call), holder: holderOf(call) };
}

function toFragmentCall(c: FoundCall & { holder: ResultHolder }): FragmentCall {
  return { exportName: c.exportName, at: c.at, holder: c.holder };
}

/** Whether a call is what its enclosing arrow/function returns (`(m) => m.x(s)` or `return m.x(s)`). */
function isReturnedByCallback(call: ts.CallExpression): boolean {
  const outer = climb(call);
  const parent = outer.parent;
  if (ts.isArrowFunction(parent) && parent.body === outer) return true;
  return ts.isReturnStatement(parent);
}

/** Skips `await`, parentheses and type assertions around a value. */
function climb(node: ts.Node): ts.Node {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (
      ts.isAwaitExpression(parent) ||
      ts.isParenthesizedExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isSatisfiesExpression(parent) ||
      ts.isNonNullExpression(parent)
    ) {
      current = parent;
    } else return current;
  }
}

function holderOf(call: ts.Node): ResultHolder {
  let outer = climb(call);
  // `production ? m.x(shared) : undefined`: the conditional's holder keeps it.
  while (ts.isConditionalExpression(outer.parent) && outer !== outer.parent.condition) outer = climb(outer.parent);
  const parent = outer.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return { kind: "variable", name: parent.name.text, names: [parent.name.text] };
  if (ts.isVariableDeclaration(parent) && ts.isObjectBindingPattern(parent.name)) {
    const names = parent.name.elements.map((el) => el.name).filter(ts.isIdentifier).map((n) => n.text);
    if (names.length > 0) return { kind: "variable", name: names[0]!, names };
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === outer) {
    const object = parent.parent;
    if (ts.isObjectLiteralExpression(object)) return { kind: "property", key: memberKey(parent), object, at: at(parent) };
  }
  return { kind: "none" };
}

/** The `run` of `$config({ …, async run() { … } })` (or any object member named run). */
function findRun(file: ts.SourceFile): { body: ts.Node; anchor: ts.Node } | undefined {
  // Methods are looked at before properties, each in document order.
  const methods: ts.MethodDeclaration[] = [];
  const properties: ts.PropertyAssignment[] = [];
  forEachDescendant(file, (node) => {
    if (ts.isMethodDeclaration(node)) methods.push(node);
    else if (ts.isPropertyAssignment(node)) properties.push(node);
  });
  for (const method of methods) {
    if (method.body && memberKey(method) === "run") return { body: method.body, anchor: method.name };
  }
  for (const property of properties) {
    if (memberKey(property) !== "run") continue;
    const init = property.initializer;
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return { body: init.body, anchor: property.name };
  }
  return undefined;
}

/** Return statements of a function body, not of functions nested in it. */
function returnsOf(body: ts.Node): ts.ReturnStatement[] {
  const owner = body.parent;
  return descendants(body, ts.isReturnStatement).filter((r) => firstAncestor(r, isFunctionLikeDeclaration) === owner);
}

/** The function kinds a `return` belongs to. */
function isFunctionLikeDeclaration(node: ts.Node): node is ts.SignatureDeclaration {
  switch (node.kind) {
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.SetAccessor:
      return true;
    default:
      return false;
  }
}
