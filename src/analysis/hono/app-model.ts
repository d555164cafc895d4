import ts from "typescript";
import { locationOf, repoPathOf, undecidableAt, type Location, type Undecidable } from "../ts/location.js";
import { declarationOf, isExportOf, resolveName } from "../ts/symbols.js";
import { hasModifier, isFunctionLike, shortText, skipOuterExpressions, staticPropertyName, unwrap, type FunctionLike } from "../ts/syntax.js";
import { evaluateString, functionOf, originOf, valueOf, type Substitution } from "../ts/values.js";
import { NOT_SCOPED, type ExtractedRoute, type PathValue, type ScopeVerdict, type ServiceRoutes } from "./model.js";
import { joinPaths, openApiToHonoPath, patternMatchesPath } from "./paths.js";
import { readRouteConfig, type RouteConfigReader } from "./route-config.js";
import { callsNext, combine, middlewareListVerdict, middlewareVerdict } from "./scope.js";
import { callsIn, descendants, firstAncestor } from "../ts/walk.js";

/**
 * The Hono apps of a service, followed as the code composes them, without
 * running it. The model follows Hono's own behaviour: an app is an ordered
 * list of registrations; `app.route(prefix, sub)` copies the sub-app's
 * registrations (routes AND middleware) into the parent at the moment of the
 * call, under `mergePath(base, prefix)`; a middleware covers the routes
 * registered after it whose path its pattern matches under Hono's router.
 *
 * An app is a value: made by `new Hono()` / `new OpenAPIHono()`, returned by
 * a factory, held in a variable, a class field or a parameter, an element of
 * an array mounted in `forEach` / `for…of`. Functions and methods that receive
 * an app are followed with their arguments; files and functions the entry
 * does not reach are still read (as if mounted at `/`).
 */

const HTTP_METHODS = ["get", "post", "put", "delete", "patch", "options", "head", "all"] as const;
const CHAINABLE = new Set<string>([...HTTP_METHODS, "openapi", "use", "route", "on", "basePath", "mount", "onError", "notFound", "doc", "doc31"]);
const isHonoModule = (m: string) => m === "hono" || m.startsWith("hono/") || m.startsWith("@hono/");
/** `Hono` or `OpenAPIHono` from hono's packages, however imported. */
const isHonoApp = (expr: ts.Node) => isExportOf(expr, isHonoModule, "OpenAPIHono") || isExportOf(expr, isHonoModule, "Hono");
const MAX_CALL_DEPTH = 25;

interface AppModel {
  entries: Entry[];
  createdAt: Location;
  mounted: boolean;
}

/** An app as a variable holds it: `basePath()` gives another view of the same app. */
interface AppRef {
  kind: "app";
  app: AppModel;
  base: PathValue;
  displayBase: PathValue;
  /** Hono's `app.get(handler)` without a path reuses the last path the instance saw. */
  lastPath?: PathValue;
}

/** An array literal: its elements' values and expressions (`[tasks, index]`, `[{ path, router }]`). */
interface ListValue {
  kind: "list";
  items: { value: Value; node: ts.Node }[];
}

type Value = AppRef | ListValue | undefined;

type Entry =
  | { kind: "use"; pattern: PathValue; method?: string; middleware: ScopeVerdict; at: Location }
  | { kind: "route"; route: ExtractedRoute; own: ScopeVerdict }
  | { kind: "opaque"; construct: Undecidable };

interface Frame {
  returned?: Value;
}

export interface AppModelOptions {
  entryPath: string;
  /** The service's source files (parsed in the check's program), by repository path. */
  files: ReadonlyMap<string, ts.SourceFile>;
  /** The module whose `requireScope` protects a route (config `scopes_module`). */
  scopesModule: string;
  /** The workspace package of that name, when the repository holds it. */
  scopesPackageDir?: string | undefined;
}

/**
 * A package name must lead to that package: outside the repository, or its
 * workspace folder. A tsconfig `paths` entry (part of the pull request) that
 * points `@platform/scopes` at a local no-op does not make it the real one.
 * A relative `scopes_module` comes from the base branch's config and is taken as it is.
 */
function isFromScopesPackage(callee: ts.Node, options: AppModelOptions): boolean {
  if (options.scopesModule.startsWith(".")) return true;
  const declaration = declarationOf(callee);
  if (!declaration) return true;
  return options.scopesPackageDir !== undefined && repoPathOf(declaration).startsWith(`${options.scopesPackageDir}/`);
}

export function interpretServiceApps(options: AppModelOptions): ServiceRoutes {
  return new AppInterpreter(options).run();
}

class AppInterpreter {
  /** App values by declaration: variables, parameters, class fields, loop variables, default exports. */
  private readonly values = new Map<ts.Node, Value>();
  /** The expression a parameter received in the call being followed (see bindArguments). */
  private readonly bound = new Map<ts.Node, ts.Node>();
  private readonly apps: AppModel[] = [];
  private readonly executedFiles = new Set<ts.SourceFile>();
  private readonly calledFunctions = new Set<ts.Node>();
  private readonly activeFunctions = new Set<ts.Node>();
  private readonly instantiated = new Set<ts.Node>();
  private readonly instantiatedClasses: (ts.ClassDeclaration | ts.ClassExpression)[] = [];
  /** Classes that extend a Hono app: `this` in them is their (one modelled) instance. */
  private readonly appClasses = new Map<ts.Node, AppRef>();
  private readonly visited = new Set<ts.CallExpression>();
  private readonly frames: Frame[] = [];
  private readonly subst: Substitution = (decl) => this.bound.get(decl);
  private readonly reader: RouteConfigReader;

  constructor(private readonly options: AppModelOptions) {
    this.reader = {
      isRequireScope: (callee) => isExportOf(callee, options.scopesModule, "requireScope") && isFromScopesPackage(callee, options),
      isCreateRoute: (callee) => isExportOf(callee, isHonoModule, "createRoute"),
      subst: this.subst,
    };
  }

  run(): ServiceRoutes {
    const { entryPath, files } = this.options;
    const entry = files.get(entryPath);
    if (entry) this.executeFile(entry);
    this.runUncalledMethods();
    const entryApps = this.apps.length;

    // Code the entry does not reach (an exported createApp, a router nothing mounts yet): read as if mounted at "/".
    for (const [path, file] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      if (path === entryPath || !this.hasUnvisitedRegistration(file)) continue;
      this.executeFile(file);
      for (const cls of descendants(file, ts.isClassDeclaration)) {
        if (this.hasUnvisitedRegistration(cls)) this.instantiate(cls, []);
      }
      for (const fn of topLevelFunctions(file)) {
        if (this.calledFunctions.has(fn) || !this.hasUnvisitedRegistration(fn)) continue;
        this.callFunction(fn, [], this.freshAppsFor(fn));
      }
      this.runUncalledMethods();
    }

    const opaque: Undecidable[] = [];
    for (const file of files.values()) {
      for (const call of callsIn(file)) {
        if (this.visited.has(call) || !this.isRegistrationOnKnownApp(call)) continue;
        const callee = unwrap(call.expression) as ts.PropertyAccessExpression;
        opaque.push(undecidableAt(call, `the route registration \`${shortText(callee.getText(), 60)}(…)\` inside a callback the checker does not follow`));
      }
    }

    const routes: ExtractedRoute[] = [];
    for (const app of this.apps) {
      if (app.mounted) continue;
      const uses: Extract<Entry, { kind: "use" }>[] = [];
      for (const item of app.entries) {
        if (item.kind === "use") uses.push(item);
        else if (item.kind === "opaque") opaque.push(item.construct);
        else routes.push({ ...item.route, scope: coverage(item.route, item.own, uses) });
      }
    }
    const entryApp = this.apps.slice(0, entryApps).find((a) => a.createdAt.path === entryPath)?.createdAt;
    opaque.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column);
    return { entryPath, entryExists: entry !== undefined, ...(entryApp ? { entryApp } : {}), routes: dedupeRoutes(routes), opaque: dedupe(opaque) };
  }

  // --- statements -----------------------------------------------------------

  private executeFile(file: ts.SourceFile): void {
    if (this.executedFiles.has(file) || !this.options.files.has(repoPathOf(file))) return;
    this.executedFiles.add(file);
    this.frames.push({});
    this.execStatements(file.statements);
    this.frames.pop();
  }

  private execStatements(statements: readonly ts.Statement[]): void {
    for (const statement of statements) this.execStatement(statement);
  }

  private execStatement(s: ts.Statement): void {
    if (ts.isVariableStatement(s)) {
      for (const decl of s.declarationList.declarations) {
        const init = decl.initializer;
        if (init) this.assign(decl, this.evaluate(init), init);
      }
    } else if (ts.isExpressionStatement(s)) {
      this.evaluate(s.expression);
    } else if (ts.isReturnStatement(s)) {
      const expr = s.expression;
      const value = expr ? this.evaluate(expr) : undefined;
      const frame = this.frames[this.frames.length - 1];
      if (frame && value && !frame.returned) frame.returned = value;
    } else if (ts.isExportAssignment(s)) {
      this.values.set(s, this.evaluate(s.expression));
    } else if (ts.isBlock(s)) {
      this.execStatements(s.statements);
    } else if (ts.isIfStatement(s)) {
      // Both branches (a route registered under a condition exists in some deployment), except a constant condition.
      const condition = unwrap(s.expression).kind;
      if (condition !== ts.SyntaxKind.FalseKeyword) this.execStatement(s.thenStatement);
      const otherwise = s.elseStatement;
      if (otherwise && condition !== ts.SyntaxKind.TrueKeyword) this.execStatement(otherwise);
    } else if (ts.isTryStatement(s)) {
      this.execStatements(s.tryBlock.statements);
      const finallyBlock = s.finallyBlock;
      if (finallyBlock) this.execStatements(finallyBlock.statements);
    } else if (ts.isForOfStatement(s)) {
      const list = this.evaluate(s.expression);
      const init = s.initializer;
      const decl = ts.isVariableDeclarationList(init) ? init.declarations[0] : undefined;
      if (list?.kind === "list" && decl) {
        for (const item of list.items) {
          this.assign(decl, item.value, item.node);
          this.execStatement(s.statement);
        }
      } else this.execStatement(s.statement);
    } else if (ts.isForInStatement(s) || ts.isForStatement(s) || ts.isWhileStatement(s) || ts.isDoStatement(s)) {
      this.execStatement(s.statement);
    }
  }

  /** Binds a declaration (plain or destructured) to a value and the expression it came from. */
  private assign(decl: ts.Node, value: Value, node: ts.Node | undefined): void {
    this.values.set(decl, value);
    if (node) this.bound.set(decl, node);
    const name = ts.isVariableDeclaration(decl) || ts.isParameter(decl) ? decl.name : undefined;
    if (name && ts.isObjectBindingPattern(name) && node) {
      // `for (const { path, router } of routes)`: each name stands for the member of the element.
      const fake = bindDestructured(name, node, this.subst);
      for (const [element, member] of fake) {
        this.bound.set(element, member);
        this.values.set(element, this.evaluate(member));
      }
    }
  }

  // --- expressions ----------------------------------------------------------

  private evaluate(expr: ts.Node, depth = 0): Value {
    const node = unwrap(expr);
    if (depth > 12) return undefined;
    if (ts.isNewExpression(node)) return this.evaluateNew(node);
    if (ts.isCallExpression(node)) return this.evaluateCall(node);
    if (node.kind === ts.SyntaxKind.ThisKeyword) {
      // Inside `class Api extends OpenAPIHono`, `this` is the app.
      const cls = firstAncestor(node, ts.isClassLike);
      return cls ? this.appClasses.get(cls) : undefined;
    }
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) return this.valueOfName(node, depth);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      // `this.app = new Hono()` in a constructor, `app = createApp()` after `let app`: the name now holds the app.
      const value = this.evaluate(node.right, depth + 1);
      const target = unwrap(node.left);
      const decl = ts.isIdentifier(target) || ts.isPropertyAccessExpression(target) ? declarationOf(target) : undefined;
      if (decl) this.assign(decl, value, node.right);
      return value;
    }
    if (ts.isArrayLiteralExpression(node)) {
      return { kind: "list", items: node.elements.map((e) => ({ value: this.evaluate(e, depth + 1), node: e })) };
    }
    if (ts.isObjectLiteralExpression(node)) {
      // `export default { fetch: app.fetch }`, `serve({ fetch: app.fetch })`: reading the app is what mounts it.
      for (const prop of node.properties) {
        if (ts.isPropertyAssignment(prop)) this.evaluate(prop.initializer, depth + 1);
        else if (ts.isShorthandPropertyAssignment(prop)) this.evaluate(prop.name, depth + 1);
      }
      return undefined;
    }
    if (ts.isConditionalExpression(node)) {
      const a = this.evaluate(node.whenTrue, depth + 1);
      const b = this.evaluate(node.whenFalse, depth + 1);
      return a ?? b;
    }
    return undefined;
  }

  private valueOfName(node: ts.Identifier | ts.PropertyAccessExpression, depth: number): Value {
    if (ts.isPropertyAccessExpression(node)) {
      const receiver = this.evaluate(node.expression, depth + 1);
      if (receiver?.kind === "app") return undefined; // `app.fetch`, `app.request`: not an app
    }
    const decl = declarationOf(node);
    if (!decl) return undefined;
    if (this.values.has(decl)) return this.values.get(decl);
    const bound = this.bound.get(decl);
    if (bound) return this.evaluate(bound, depth + 1);
    if (ts.isPropertyDeclaration(decl) && decl.initializer && hasModifier(decl, ts.SyntaxKind.StaticKeyword)) {
      // `static shared = new Hono()`, read as `Server.shared`: initialised once, when first read.
      this.values.set(decl, undefined);
      const value = this.evaluate(decl.initializer, depth + 1);
      this.values.set(decl, value);
      return value;
    }
    // A top-level declaration of a file not run yet (imported, or declared in another file of the service).
    const file = decl.getSourceFile();
    if (!this.executedFiles.has(file)) {
      this.executeFile(file);
      if (this.values.has(decl)) return this.values.get(decl);
    }
    // A member of an object literal (`{ router: tasks, path: "/tasks" }`), e.g. through a loop variable.
    if (ts.isPropertyAccessExpression(node)) {
      const member = this.memberExpression(node);
      if (member) return this.evaluate(member, depth + 1);
    }
    return undefined;
  }

  private memberExpression(node: ts.PropertyAccessExpression): ts.Node | undefined {
    const receiver = unwrap(node.expression);
    const decl = ts.isIdentifier(receiver) ? declarationOf(receiver) : undefined;
    const source = decl ? this.bound.get(decl) : undefined;
    const obj = source ? unwrap(source) : undefined;
    if (!obj || !ts.isObjectLiteralExpression(obj)) return undefined;
    const prop = propertyNamed(obj, node.name.text);
    if (prop && ts.isPropertyAssignment(prop)) return prop.initializer;
    if (prop && ts.isShorthandPropertyAssignment(prop)) return prop.name;
    return undefined;
  }

  private evaluateNew(node: ts.NewExpression): Value {
    const callee = node.expression;
    if (isHonoApp(callee)) return this.newApp(node);
    const args = node.arguments ?? [];
    const cls = declarationOf(callee);
    if (cls && (ts.isClassDeclaration(cls) || ts.isClassExpression(cls))) {
      // `class Api extends OpenAPIHono { constructor() { super(); this.get(…) } }`: an instance is an app.
      const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      let app = this.appClasses.get(cls);
      if (!app && base && isHonoApp(base)) {
        app = this.newApp(node);
        this.appClasses.set(cls, app);
      }
      this.instantiate(cls, args);
      return app;
    }
    for (const arg of args) this.evaluate(arg);
    return undefined;
  }

  /** A class instance: fields initialised, then the constructor (one instance per class is modelled). */
  private instantiate(cls: ts.ClassDeclaration | ts.ClassExpression, args: readonly ts.Node[]): void {
    if (this.instantiated.has(cls)) return;
    this.instantiated.add(cls);
    for (const member of cls.members) {
      if (ts.isPropertyDeclaration(member) && member.initializer && !hasModifier(member, ts.SyntaxKind.StaticKeyword)) this.values.set(member, this.evaluate(member.initializer));
    }
    const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && m.body !== undefined);
    if (ctor) this.callFunction(ctor, args, this.freshAppsFor(ctor, args.length));
    this.instantiatedClasses.push(cls);
  }

  /**
   * Methods nothing in the service called may still register routes on their
   * class's apps. They run once the code that could call them has run, so a
   * method the entry calls later (`users.register(app)`) gets its real arguments.
   */
  private runUncalledMethods(): void {
    for (let i = 0; i < this.instantiatedClasses.length; i++) {
      for (const method of this.instantiatedClasses[i]!.members) {
        if (ts.isMethodDeclaration(method) && method.body && !this.calledFunctions.has(method) && this.hasUnvisitedRegistration(method)) this.callFunction(method, [], this.freshAppsFor(method));
      }
    }
  }

  private newApp(at: ts.Node): AppRef {
    const app: AppModel = { entries: [], createdAt: locationOf(at), mounted: false };
    this.apps.push(app);
    return { kind: "app", app, base: { value: "/" }, displayBase: { value: "/" } };
  }

  private evaluateCall(call: ts.CallExpression): Value {
    const callee = unwrap(call.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (CHAINABLE.has(method)) {
        const receiver = this.evaluate(callee.expression);
        if (receiver?.kind === "app") {
          this.visited.add(call);
          return this.register(call, method, receiver);
        }
      }
      if (method === "forEach" || method === "map") {
        const list = this.evaluate(callee.expression);
        const callback = call.arguments[0];
        const fn = callback ? functionOf(callback) : undefined;
        if (list?.kind === "list" && fn) {
          for (const item of list.items) this.callFunction(fn, [item.node], [item.value]);
          return undefined;
        }
      }
    }
    const args = call.arguments;
    const method = ts.isPropertyAccessExpression(callee) ? this.methodOfNewInstance(callee) : undefined;
    if (method) return this.callFunction(method, args);
    const fn = functionOf(callee);
    if (fn) return this.callFunction(fn, args);
    const values = args.map((a) => (isFunctionLike(unwrap(a)) ? undefined : this.evaluate(a)));
    // A function from another package receives an app: it may register routes the checker cannot see.
    const external = resolveName(ts.isPropertyAccessExpression(callee) ? rootOf(callee) : callee).external;
    if (external && !isHonoModule(external.module)) {
      values.forEach((value) => {
        if (value?.kind === "app") {
          value.app.entries.push({ kind: "opaque", construct: undecidableAt(call, `the call \`${shortText(callee.getText(), 60)}(…)\` (imported from "${external.module}"), which receives the app`) });
        }
      });
    }
    return undefined;
  }

  /** `new UsersController(svc).register(app)`: the instance is made, and the method is the class's. */
  private methodOfNewInstance(callee: ts.PropertyAccessExpression): ts.MethodDeclaration | undefined {
    const created = unwrap(callee.expression);
    if (!ts.isNewExpression(created)) return undefined;
    this.evaluate(created);
    const cls = declarationOf(created.expression);
    if (!cls || !(ts.isClassDeclaration(cls) || ts.isClassExpression(cls))) return undefined;
    return cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.body !== undefined && staticPropertyName(m.name) === callee.name.text);
  }

  /**
   * Runs a function's body with its parameters bound to the call's arguments
   * (`preset` values win: fresh apps for a function nothing calls).
   */
  private callFunction(fn: FunctionLike, args: readonly ts.Node[], preset: readonly Value[] = []): Value {
    if (this.activeFunctions.has(fn) || this.activeFunctions.size > MAX_CALL_DEPTH) return undefined;
    // A parameter the call leaves out holds its default (`middlewares: MiddlewareHandler[] = []`).
    const given = fn.parameters.map((param, i) => args[i] ?? param.initializer);
    const values = given.map((arg, i) => preset[i] ?? (arg && !isFunctionLike(unwrap(arg)) ? this.evaluate(arg) : undefined));
    this.calledFunctions.add(fn);
    this.activeFunctions.add(fn);
    fn.parameters.forEach((param, i) => {
      this.values.delete(param);
      this.bound.delete(param);
      this.assign(param, values[i], given[i]);
    });
    const frame: Frame = {};
    this.frames.push(frame);
    const body = fn.body;
    if (body && ts.isBlock(body)) this.execStatements(body.statements);
    else if (body) frame.returned = this.evaluate(body);
    this.frames.pop();
    this.activeFunctions.delete(fn);
    return frame.returned;
  }

  /** Fresh apps for the app-typed parameters of a function called without arguments. */
  private freshAppsFor(fn: FunctionLike, given = 0): Value[] {
    return fn.parameters.map((p, i) => (i >= given && isAppTyped(p) ? this.newApp(p) : undefined));
  }

  // --- Hono registrations ---------------------------------------------------

  private register(call: ts.CallExpression, method: string, ref: AppRef): Value {
    const args = call.arguments;
    switch (method) {
      case "openapi":
        this.registerOpenApi(call, ref, args);
        return ref;
      case "use":
        this.registerUse(call, ref, args);
        return ref;
      case "route":
        this.mount(call, ref, args);
        return ref;
      case "on":
        this.registerOn(call, ref, args);
        return ref;
      case "mount":
        ref.app.entries.push({ kind: "opaque", construct: undecidableAt(call, `the non-Hono application mounted by \`${shortText(call.getText(), 60)}\``) });
        return ref;
      case "basePath": {
        const prefix = args[0] ? evaluateString(args[0], this.subst) : { value: "/" };
        return { ...ref, base: joinPaths(ref.base, prefix), displayBase: joinPaths(ref.displayBase, prefix) };
      }
      case "onError":
      case "notFound":
      case "doc": // the spec document endpoints are not part of the spec they serve
      case "doc31":
        return ref;
      default:
        this.registerPlain(call, ref, method, args);
        return ref;
    }
  }

  private registerOpenApi(call: ts.CallExpression, ref: AppRef, args: readonly ts.Node[]): void {
    // `.openapi(route, handler, hook?)`: there is no handler chain, only one handler.
    const [routeArg, handler, hook] = args;
    const config = routeArg ? readRouteConfig(routeArg, this.reader) : undefined;
    const handlerScope = handler ? middlewareVerdict(handler, this.reader) : NOT_SCOPED;
    const misplaced = handler && hook && handlerScope.covered && !isFunctionLike(unwrap(handler)) ? locationOf(handler) : undefined;
    const own = combine(config?.middleware ?? NOT_SCOPED, { covered: handlerScope.covered && !misplaced, undecidable: [] });
    const declared: PathValue = config?.path ?? (config?.undecidable ? { undecidable: config.undecidable } : { undecidable: undecidableAt(call, "a route without a path") });
    const hono: PathValue = "value" in declared ? { value: openApiToHonoPath(declared.value) } : declared;
    this.addRoute(ref, call, {
      method: config?.method,
      hono,
      display: declared,
      typed: true,
      ...(config?.hidden ? { hidden: true } : {}),
      own,
      ...(config?.undecidable ? { routeUndecidable: config.undecidable } : {}),
      ...(misplaced ? { misplacedScope: misplaced } : {}),
    });
  }

  private registerPlain(call: ts.CallExpression, ref: AppRef, method: string, args: readonly ts.Node[]): void {
    const [first, ...rest] = args;
    let path: PathValue;
    let handlers: readonly ts.Node[];
    const given = first ? this.pathArgument(first) : undefined;
    if (!first || isFunctionLike(unwrap(first)) || (ref.lastPath && !given)) {
      // `app.get(handler)`: Hono reuses the instance's last path.
      path = ref.lastPath ?? { undecidable: undecidableAt(call, "a route registered without a path") };
      handlers = args;
    } else {
      path = given ?? evaluateString(first, this.subst);
      handlers = rest;
    }
    const last = handlers[handlers.length - 1];
    if (last && isApiReferencePage(last)) {
      // `app.get("/reference", Scalar({ url: "/doc" }))`: the spec's reference page, like `app.doc`, is not an API route.
      ref.lastPath = path;
      return;
    }
    if (last && (callsNext(last) || middlewareVerdict(last, this.reader).covered)) {
      // The chain hands over to what comes next: middleware for this method and path, not an endpoint.
      ref.lastPath = path;
      ref.app.entries.push({ kind: "use", pattern: joinPaths(ref.base, path), method, middleware: middlewareListVerdict(handlers, this.reader), at: locationOf(call) });
      return;
    }
    // hono-openapi's `describeRoute({ … })` in the chain documents the route: it reaches the generated spec.
    const described = handlers.some((h) => {
      const n = unwrap(h);
      return ts.isCallExpression(n) && isExportOf(n.expression, "hono-openapi", "describeRoute");
    });
    this.addRoute(ref, call, { method, hono: path, display: path, typed: described, own: this.handlerChain(handlers) });
  }

  private registerOn(call: ts.CallExpression, ref: AppRef, args: readonly ts.Node[]): void {
    const [methodsArg, pathsArg, ...handlers] = args;
    const own = this.handlerChain(handlers);
    const methods = methodsArg ? this.stringList(methodsArg) : [];
    const paths = pathsArg ? this.stringList(pathsArg) : [];
    const last = handlers[handlers.length - 1];
    if (last && (callsNext(last) || middlewareVerdict(last, this.reader).covered)) {
      // `app.on(["GET", "POST"], "/x/*", requireScope(…))`: middleware for those methods (an unknown method covers nothing).
      const middleware = middlewareListVerdict(handlers, this.reader);
      for (const m of methods) {
        if (!("value" in m)) continue;
        for (const p of paths) ref.app.entries.push({ kind: "use", pattern: joinPaths(ref.base, p), method: m.value.toLowerCase(), middleware, at: locationOf(call) });
      }
      return;
    }
    for (const m of methods) {
      for (const p of paths) {
        const method = "value" in m ? m.value.toLowerCase() : undefined;
        this.addRoute(ref, call, { method, hono: p, display: p, typed: false, own, ...("undecidable" in m ? { routeUndecidable: m.undecidable } : {}) });
      }
    }
  }

  private stringList(expr: ts.Node): PathValue[] {
    const node = unwrap(expr);
    if (ts.isArrayLiteralExpression(node)) return node.elements.map((e) => evaluateString(e, this.subst));
    return [evaluateString(node, this.subst)];
  }

  /** A plain route's handler chain: every handler but the last is middleware; the last is the endpoint, and counts only if it runs requireScope itself. */
  private handlerChain(args: readonly ts.Node[]): ScopeVerdict {
    if (args.length === 0) return NOT_SCOPED;
    const middleware = middlewareListVerdict(args.slice(0, -1), this.reader);
    const handler = middlewareVerdict(args[args.length - 1]!, this.reader);
    return combine(middleware, { covered: handler.covered, undecidable: [] });
  }

  private addRoute(
    ref: AppRef,
    call: ts.CallExpression,
    r: { method: string | undefined; hono: PathValue; display: PathValue; typed: boolean; hidden?: boolean; own: ScopeVerdict; routeUndecidable?: Undecidable; misplacedScope?: Location },
  ): void {
    ref.lastPath = r.hono;
    const callee = unwrap(call.expression) as ts.PropertyAccessExpression;
    const receiver = unwrap(callee.expression);
    const chained = !(ts.isIdentifier(receiver) || receiver.kind === ts.SyntaxKind.ThisKeyword || ts.isPropertyAccessExpression(receiver));
    const at = chained ? dotLocation(callee) : locationOf(call);
    const display = joinPaths(ref.displayBase, r.display);
    ref.app.entries.push({
      kind: "route",
      own: r.own,
      route: {
        method: r.method,
        path: joinPaths(ref.base, r.hono),
        displayPath: "value" in display ? display.value : undefined,
        ...(r.routeUndecidable ? { routeUndecidable: r.routeUndecidable } : {}),
        typed: r.typed,
        ...(r.hidden ? { hidden: true } : {}),
        registrar: chained ? `.${callee.name.text}` : `${shortText(receiver.getText(), 60)}.${callee.name.text}`,
        at,
        scope: NOT_SCOPED,
        ...(r.misplacedScope ? { misplacedScope: r.misplacedScope } : {}),
      },
    });
  }

  private registerUse(call: ts.CallExpression, ref: AppRef, args: readonly ts.Node[]): void {
    const [first, ...rest] = args;
    if (!first) return;
    const given = this.pathArgument(first);
    // `app.use(mw, …)`: Hono applies it to "*".
    const pattern: PathValue = given ?? { value: "*" };
    const middleware = given ? rest : args;
    ref.lastPath = pattern;
    ref.app.entries.push({ kind: "use", pattern: joinPaths(ref.base, pattern), middleware: middlewareListVerdict(middleware, this.reader), at: locationOf(call) });
  }

  /**
   * The path an argument spells, or undefined when it is no path (a handler).
   * A route definition's `routes.one.path` is its OpenAPI path, which Hono
   * reads literally (`{id}` is no parameter to it); `routes.one.getRoutingPath()`
   * is the Hono form.
   */
  private pathArgument(node: ts.Node): PathValue | undefined {
    const n = unwrap(node);
    if (isPathLike(n, this.subst)) return evaluateString(n, this.subst);
    const routing = ts.isCallExpression(n) && n.arguments.length === 0 ? unwrap(n.expression) : undefined;
    const access =
      routing && ts.isPropertyAccessExpression(routing) && routing.name.text === "getRoutingPath" ? routing : ts.isPropertyAccessExpression(n) && n.name.text === "path" ? n : undefined;
    if (!access) return undefined;
    const config = readRouteConfig(access.expression, this.reader);
    const path = config.path ?? { undecidable: config.undecidable ?? undecidableAt(n, `the path \`${shortText(n.getText(), 60)}\``) };
    return access === routing && "value" in path ? { value: openApiToHonoPath(path.value) } : path;
  }

  private mount(call: ts.CallExpression, ref: AppRef, args: readonly ts.Node[]): void {
    const [prefixArg, subArg] = args;
    if (!prefixArg || !subArg) return;
    const prefix = evaluateString(prefixArg, this.subst);
    const sub = this.evaluate(subArg);
    if (sub?.kind !== "app") {
      const origin = originOf(subArg, this.subst);
      // A parameter of a function nothing in the service calls holds no app at all.
      if (origin !== " (a function parameter)") {
        ref.app.entries.push({ kind: "opaque", construct: undecidableAt(subArg, `the app \`${shortText(subArg.getText(), 60)}\`${origin} mounted by \`${callName(call)}(…)\``) });
      }
      return;
    }
    if (sub.app === ref.app) return; // mounting an app into itself adds nothing Hono would serve
    sub.app.mounted = true;
    const base = joinPaths(ref.base, prefix);
    const displayBase = joinPaths(ref.displayBase, prefix);
    for (const item of [...sub.app.entries]) {
      if (item.kind === "use") ref.app.entries.push({ ...item, pattern: joinPaths(base, item.pattern) });
      else if (item.kind === "opaque") ref.app.entries.push(item);
      else {
        const display = item.route.displayPath !== undefined ? joinPaths(displayBase, { value: item.route.displayPath }) : undefined;
        ref.app.entries.push({
          ...item,
          route: { ...item.route, path: joinPaths(base, item.route.path), displayPath: display && "value" in display ? display.value : undefined },
        });
      }
    }
  }

  // --- helpers ----------------------------------------------------------------

  /** A registration on something the interpreter knows to be an app (so `z.object().openapi()` never is). */
  private isRegistrationOnKnownApp(call: ts.CallExpression): boolean {
    const callee = unwrap(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || !CHAINABLE.has(callee.name.text)) return false;
    const receiver = unwrap(callee.expression);
    const decl = ts.isIdentifier(receiver) || ts.isPropertyAccessExpression(receiver) ? declarationOf(receiver) : undefined;
    return decl !== undefined && this.values.get(decl)?.kind === "app";
  }

  /** Whether a scope may hold a registration the interpreter has not followed yet. */
  private hasUnvisitedRegistration(scope: ts.Node): boolean {
    // The file's shared call list, narrowed to the scope's range (asked for every file, class and function).
    const start = scope.pos;
    const end = scope.end;
    return callsIn(scope.getSourceFile()).some((c) => {
      if (c.pos < start || c.end > end || this.visited.has(c)) return false;
      const callee = skipOuterExpressions(c.expression);
      return ts.isPropertyAccessExpression(callee) && CHAINABLE.has(callee.name.text) && callee.name.text !== "basePath";
    });
  }
}

// --- pure helpers -------------------------------------------------------------

function coverage(route: ExtractedRoute, own: ScopeVerdict, usesBefore: readonly Extract<Entry, { kind: "use" }>[]): ScopeVerdict {
  const undecidable: Undecidable[] = [];
  let openApiPattern: ScopeVerdict["openApiPattern"];
  if (own.covered && !skips(own, route, undecidable)) return { covered: true, undecidable: [] };
  undecidable.push(...own.undecidable);
  for (const use of usesBefore) {
    if (!use.middleware.covered && use.middleware.undecidable.length === 0) continue; // no requireScope in it, certainly
    if (use.method && use.method !== "all" && route.method !== undefined && use.method !== route.method) continue;
    if ("undecidable" in use.pattern) {
      undecidable.push(use.pattern.undecidable);
      continue;
    }
    const pattern = use.pattern.value;
    let matches: boolean | Undecidable;
    if (pattern === "*" || pattern === "/*") matches = true;
    else if ("undecidable" in route.path) matches = route.path.undecidable;
    else if (patternMatchesPath(pattern, route.path.value)) matches = true;
    else if (use.middleware.covered && pattern.includes("{") && patternMatchesPath(openApiToHonoPath(pattern), route.path.value)) {
      // `app.use("/x/{id}", requireScope(…))`: Hono matches `{id}` literally, so the scope never runs for this route.
      openApiPattern ??= { pattern, at: use.at };
      matches = false;
    }
    else if (/:[A-Za-z0-9_]+\{/.test(pattern)) matches = { ...use.at, construct: `the pattern \`${pattern}\` (a regular-expression constraint the route's path cannot be tested against)` };
    else matches = false;
    if (matches === false) continue;
    if (matches !== true) undecidable.push(matches);
    else if (use.middleware.covered) {
      if (!skips(use.middleware, route, undecidable)) return { covered: true, undecidable: [] };
    } else undecidable.push(...use.middleware.undecidable);
  }
  if (route.routeUndecidable) undecidable.push(route.routeUndecidable);
  if ("undecidable" in route.path) undecidable.push(route.path.undecidable);
  return { covered: false, undecidable: dedupe(undecidable), ...(openApiPattern ? { openApiPattern } : {}) };
}

/**
 * Whether a covering middleware skips the route (`except(paths, …)`): a skip
 * pattern matching the route's path, or one the route's path could meet but
 * cannot be compared with (recorded in `undecidable`).
 */
function skips(verdict: ScopeVerdict, route: ExtractedRoute, undecidable: Undecidable[]): boolean {
  for (const pattern of verdict.unless ?? []) {
    if ("undecidable" in route.path) {
      undecidable.push(route.path.undecidable);
      return true;
    }
    if ("undecidable" in pattern) {
      undecidable.push(pattern.undecidable);
      return true;
    }
    if (patternMatchesPath(pattern.value, route.path.value)) return true;
  }
  return false;
}

function dedupe(items: Undecidable[]): Undecidable[] {
  const seen = new Set<string>();
  return items.filter((u) => {
    const key = `${u.path}:${u.line}:${u.column}:${u.construct}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The same registration reached twice on the same path (a router mounted by two code paths) is one route. */
function dedupeRoutes(routes: ExtractedRoute[]): ExtractedRoute[] {
  const seen = new Map<string, ExtractedRoute>();
  for (const route of routes) {
    const key = `${route.at.path}:${route.at.line}:${route.at.column}:${route.method}:${"value" in route.path ? route.path.value : "?"}`;
    const before = seen.get(key);
    // Reached twice with different coverage: the unprotected reading is the one that can be served.
    if (!before || (before.scope.covered && !route.scope.covered)) seen.set(key, route);
  }
  return [...seen.values()];
}

/** Packages whose handlers serve a page rendering the spec (Scalar, Swagger UI). */
const API_REFERENCE_MODULES = new Set(["@scalar/hono-api-reference", "@hono/swagger-ui"]);

/** A handler made by an API reference package: `Scalar({ url })`, `apiReference({ spec })`, `swaggerUI({ url })`. */
function isApiReferencePage(handler: ts.Node): boolean {
  const node = unwrap(handler);
  if (!ts.isCallExpression(node)) return false;
  const external = resolveName(node.expression).external;
  return external !== undefined && API_REFERENCE_MODULES.has(external.module);
}

/** A string-ish first argument: a path, not a handler. */
function isPathLike(node: ts.Node, subst: Substitution, depth = 0): boolean {
  const n = unwrap(node);
  if (ts.isTemplateExpression(n) || ts.isBinaryExpression(n) || ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return true;
  if ("value" in evaluateString(n, subst)) return true;
  // An environment variable, or a constant holding a string-ish expression (`const API = process.env.API_PREFIX ?? "/api"`):
  // a path read at run time, not middleware that would cover every route.
  if (ts.isPropertyAccessExpression(n) && /^process\.env\b/.test(n.getText())) return true;
  const held = depth < 5 && (ts.isIdentifier(n) || ts.isPropertyAccessExpression(n)) ? valueOf(n, subst) : undefined;
  return held !== undefined && held !== n && isPathLike(held, subst, depth + 1);
}

function rootOf(expr: ts.PropertyAccessExpression): ts.Node {
  let root: ts.Node = expr;
  while (ts.isPropertyAccessExpression(root)) root = unwrap(root.expression);
  return root;
}

function callName(call: ts.CallExpression): string {
  const callee = unwrap(call.expression);
  return ts.isPropertyAccessExpression(callee) && !ts.isIdentifier(unwrap(callee.expression)) ? `.${callee.name.text}` : shortText(callee.getText(), 60);
}

/**
 * Where the `.` (or `?.`) of a chained registration starts. A plain dot is a
 * token the compiler keeps no node for: it is the one character before the
 * name's full start (trivia after the dot belongs to the name).
 */
function dotLocation(callee: ts.PropertyAccessExpression): Location {
  const file = callee.getSourceFile();
  const start = callee.questionDotToken ? callee.questionDotToken.getStart(file) : callee.name.pos - 1;
  const { line, character } = file.getLineAndCharacterOfPosition(start);
  return { path: repoPathOf(file), line: line + 1, column: character + 1 };
}

/** An object literal's member by its static name: `path`, `"path"` and `["path"]` are the same key. */
function propertyNamed(obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return obj.properties.find((p) => p.name !== undefined && staticPropertyName(p.name) === name);
}

function topLevelFunctions(file: ts.SourceFile): FunctionLike[] {
  const out: FunctionLike[] = [];
  for (const s of file.statements) {
    if (ts.isFunctionDeclaration(s)) out.push(s);
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const init = d.initializer;
        const fn = init ? unwrap(init) : undefined;
        if (fn && isFunctionLike(fn)) out.push(fn);
      }
    }
  }
  return out;
}

/** A parameter typed as a Hono app: `app: OpenAPIHono`, `app: Hono<Env>`, or a local alias of one (`app: AppOpenAPI`). */
function isAppTyped(param: ts.ParameterDeclaration, depth = 0): boolean {
  const type = param.type;
  return type !== undefined && typeMentionsApp(type, depth);
}

function typeMentionsApp(type: ts.TypeNode, depth: number): boolean {
  if (/\b(OpenAPIHono|Hono)\b/.test(type.getText())) return true;
  if (depth > 3 || !ts.isTypeReferenceNode(type)) return false;
  const decl = declarationOf(type.typeName);
  if (decl && ts.isTypeAliasDeclaration(decl)) return typeMentionsApp(decl.type, depth + 1);
  return false;
}

/** `{ path, router }` destructured from an object literal: each binding → the member's expression. */
function bindDestructured(pattern: ts.ObjectBindingPattern, source: ts.Node, subst: Substitution): Map<ts.Node, ts.Node> {
  const out = new Map<ts.Node, ts.Node>();
  let obj = unwrap(source);
  if (!ts.isObjectLiteralExpression(obj)) {
    const decl = ts.isIdentifier(obj) ? declarationOf(obj) : undefined;
    const bound = decl ? subst(decl) : undefined;
    obj = bound ? unwrap(bound) : obj;
  }
  if (!ts.isObjectLiteralExpression(obj)) return out;
  for (const element of pattern.elements) {
    const key = staticPropertyName(element.propertyName ?? element.name);
    const prop = key === undefined ? undefined : propertyNamed(obj, key);
    if (prop && ts.isPropertyAssignment(prop)) out.set(element, prop.initializer);
    else if (prop && ts.isShorthandPropertyAssignment(prop)) out.set(element, prop.name);
  }
  return out;
}
