import { TrieRouter } from "hono/router/trie-router";
import { mergePath } from "hono/utils/url";
import { Node, SyntaxKind, type CallExpression, type Identifier, type SourceFile } from "ts-morph";
import type { ServiceContext } from "../engine/context.js";
import { normalizeRepoPath } from "../engine/names.js";
import { importBindings, nodePosition, refersToImport } from "./imports.js";

/**
 * The HTTP routes a service declares, read from its TypeScript without running
 * it: Hono / @hono/zod-openapi apps followed from `src/index.ts` through
 * `app.route()` mounts, `basePath()`, factory functions and relative imports
 * inside the service, plus whether `requireScope(…)` covers each route.
 *
 * The model follows Hono's own behaviour: an app is an ordered list of
 * registrations; `app.route(prefix, sub)` copies the sub-app's registrations
 * (routes AND middleware) into the parent at the moment of the call, under
 * `mergePath(base, prefix)`; a middleware covers the routes registered after it
 * whose path its pattern matches under Hono's router.
 */

/** A repository-relative file position (1-based). */
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

export type PathValue = { value: string } | { undecidable: Undecidable };

export interface ScopeVerdict {
  /** Covered by requireScope through app.use, `middleware: [...]` or the handler chain. */
  covered: boolean;
  /** Why coverage cannot be decided (only meaningful when not covered). */
  undecidable: Undecidable[];
}

export interface ExtractedRoute {
  /** Lower-case HTTP method (`get`, `post`, …), `all`, or undefined when not static. */
  method: string | undefined;
  /** Full path after basePath and mount prefixes, in Hono syntax (`/v1/invoices/:id`). */
  path: PathValue;
  /** The same path as declared (`/v1/invoices/{id}` for createRoute), for messages. */
  displayPath: string | undefined;
  /** Why the method (and path) is unknown: a route config the analysis cannot read. */
  routeUndecidable?: Undecidable;
  /** Declared with createRoute + `.openapi()`, so it reaches the generated spec. */
  typed: boolean;
  /** How it was registered, for messages: `app.openapi`, `.openapi`, `app.get`. */
  registrar: string;
  /** The registration call: `app.openapi(`, the `.openapi(` of a chain, `app.get(`. */
  at: Location;
  scope: ScopeVerdict;
  /**
   * `app.openapi(route, requireScope(…), handler)`: @hono/zod-openapi's signature is
   * `(route, handler, hook)`, so the middleware takes the handler's place and the
   * real handler becomes the validation hook. Where that requireScope(…) sits.
   */
  misplacedScope?: Location;
}

export interface ServiceRoutes {
  /** `services/<name>/src/index.ts`. */
  entryPath: string;
  entryExists: boolean;
  /** Where the entry file creates its app (`new OpenAPIHono()`), if it does. */
  entryApp?: Location;
  routes: ExtractedRoute[];
  /** Places where routes may be registered that the analysis cannot follow (unresolved mounts, callbacks). */
  opaque: Undecidable[];
}

/** The routes of a service, extracted once per check and shared by every rule that needs them. */
export function serviceRoutes(ctx: ServiceContext): Promise<ServiceRoutes> {
  return ctx.memo("routes", async () => {
    const files = new Map<string, SourceFile>();
    const srcDir = ctx.path("src/");
    const sources = ctx.files.filter((p) => p.startsWith(srcDir) && /\.(c|m)?[jt]sx?$/.test(p) && !/\.d\.ts$|\.(test|spec)\.[jt]sx?$/.test(p));
    await Promise.all(
      sources.map(async (p) => {
        const file = await ctx.sourceFile(p);
        if (file) files.set(p, file);
      }),
    );
    return new RouteInterpreter(ctx.service.dir, ctx.path("src/index.ts"), files).run();
  });
}

/** `{id}` (OpenAPI) → `:id` (Hono), as @hono/zod-openapi does when it registers a route. */
export function openApiToHonoPath(path: string): string {
  return path.replace(/\{([^}/]+)\}/g, ":$1");
}

const routerCache = new Map<string, TrieRouter<true>>();

/**
 * Whether a Hono pattern (`app.use` pattern, exempt route) matches a route
 * path under Hono's own router: the route path is matched as if it were a
 * request path, so `/v1/x/*` matches `/v1/x` and `/v1/x/:id`, and `:id` in the
 * pattern matches the route's `:id` segment.
 */
export function patternMatchesPath(pattern: string, routePath: string): boolean {
  let router = routerCache.get(pattern);
  if (!router) {
    router = new TrieRouter<true>();
    try {
      router.add("ALL", pattern, true);
    } catch {
      return false; // a pattern Hono itself rejects matches nothing
    }
    routerCache.set(pattern, router);
  }
  // Regular-expression constraints on the route's own params (`:id{[0-9]+}`) are not part of a request path.
  const asRequest = routePath.replace(/(:[A-Za-z0-9_]+)\{[^}]*\}/g, "$1");
  return router.match("GET", asRequest)[0].length > 0;
}

/** `METHOD /path` as an engineer reads it, e.g. `GET /v1/invoices/{id}`. */
export function describeRoute(route: ExtractedRoute): string {
  const method = route.method ? route.method.toUpperCase() : "(unknown method)";
  return `${method} ${route.displayPath ?? "(path not static)"}`;
}

// ---------------------------------------------------------------------------

const HTTP_METHODS = ["get", "post", "put", "delete", "patch", "options", "head", "all"] as const;
const CHAINABLE = new Set<string>([...HTTP_METHODS, "openapi", "use", "route", "on", "basePath", "mount", "onError", "notFound", "doc", "doc31"]);
const REGISTERING = new Set<string>([...HTTP_METHODS, "openapi", "use", "route", "on", "mount"]);
const isHonoModule = (m: string) => m === "hono" || m.startsWith("hono/") || m === "@hono/zod-openapi";

interface AppModel {
  entries: Entry[];
  createdAt: Location;
  mounted: boolean;
}

/** An app as a variable holds it: `basePath()` gives another view of the same app. */
interface AppRef {
  app: AppModel;
  base: PathValue;
  displayBase: PathValue;
  /** Hono's `app.get(handler)` without a path reuses the last path the instance saw. */
  lastPath?: { hono: PathValue; display: PathValue };
}

type Entry =
  | { kind: "use"; pattern: PathValue; middleware: ScopeVerdict; at: Location }
  | { kind: "route"; route: ExtractedRoute; own: ScopeVerdict }
  | { kind: "opaque"; construct: Undecidable };

type Declaration =
  | { kind: "variable"; node: Node; initializer: Node | undefined }
  | { kind: "function"; node: Node }
  | { kind: "parameter"; node: Node }
  | { kind: "import"; module: string; imported: string; file: SourceFile; node: Node }
  | { kind: "namespace"; module: string; file: SourceFile; node: Node }
  | { kind: "other"; node: Node };

type FunctionLike = Node & { getParameters(): Node[]; getBody(): Node | undefined };

interface Frame {
  returned?: AppRef;
}

const NOT_SCOPED: ScopeVerdict = { covered: false, undecidable: [] };

class RouteInterpreter {
  private readonly values = new Map<Node, AppRef>();
  private readonly apps: AppModel[] = [];
  private readonly executedFiles = new Set<SourceFile>();
  private readonly calledFunctions = new Set<Node>();
  private readonly activeFunctions = new Set<Node>();
  private readonly visited = new Set<CallExpression>();
  private readonly frames: Frame[] = [];

  constructor(
    private readonly serviceDir: string,
    private readonly entryPath: string,
    private readonly files: ReadonlyMap<string, SourceFile>,
  ) {}

  run(): ServiceRoutes {
    const entry = this.files.get(this.entryPath);
    if (entry) this.executeFile(entry);
    const entryApps = this.apps.length;

    // Files the entry does not reach (dead code, or an entry we cannot follow): still analysed, as if mounted at "/".
    for (const [path, file] of [...this.files].sort(([a], [b]) => a.localeCompare(b))) {
      if (path === this.entryPath || !this.hasUnvisitedRegistration(file)) continue;
      this.executeFile(file);
      for (const fn of topLevelFunctions(file)) {
        if (this.calledFunctions.has(fn) || !this.hasUnvisitedRegistration(fn)) continue;
        // A parameter typed as an app (`registerRoutes(app: OpenAPIHono)`) gets a fresh app to register on.
        const args = fn.getParameters().map((p) => (isAppTyped(p) ? this.newApp(p) : undefined));
        this.callFunction(fn, args);
      }
    }

    const opaque: Undecidable[] = [];
    for (const file of this.files.values()) {
      for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
        if (this.visited.has(call) || !this.isRegistrationCall(call)) continue;
        const callee = call.getExpression() as import("ts-morph").PropertyAccessExpression;
        opaque.push(this.undecidable(call, `the route registration \`${short(callee.getText())}(…)\` inside code the checker does not follow (a callback, or a function nothing calls)`));
      }
    }

    const routes: ExtractedRoute[] = [];
    for (const app of this.apps) {
      if (app.mounted) continue;
      const uses: Extract<Entry, { kind: "use" }>[] = [];
      for (const entry of app.entries) {
        if (entry.kind === "use") uses.push(entry);
        else if (entry.kind === "opaque") opaque.push(entry.construct);
        else routes.push({ ...entry.route, scope: coverage(entry.route, entry.own, uses) });
      }
    }
    const entryApp = this.apps.slice(0, entryApps).find((a) => a.createdAt.path === this.entryPath)?.createdAt;
    opaque.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column);
    return { entryPath: this.entryPath, entryExists: entry !== undefined, ...(entryApp ? { entryApp } : {}), routes, opaque: dedupe(opaque) };
  }

  // --- statements -----------------------------------------------------------

  private executeFile(file: SourceFile): void {
    if (this.executedFiles.has(file)) return;
    this.executedFiles.add(file);
    this.frames.push({});
    this.execStatements(file.getStatements());
    this.frames.pop();
  }

  private execStatements(statements: readonly Node[]): void {
    for (const statement of statements) this.execStatement(statement);
  }

  private execStatement(s: Node): void {
    if (Node.isVariableStatement(s)) {
      for (const decl of s.getDeclarations()) {
        const init = decl.getInitializer();
        if (!init) continue;
        const value = this.evaluate(init);
        if (value) this.values.set(decl, value);
      }
    } else if (Node.isExpressionStatement(s)) {
      this.evaluate(s.getExpression());
    } else if (Node.isReturnStatement(s)) {
      const expr = s.getExpression();
      const value = expr ? this.evaluate(expr) : undefined;
      const frame = this.frames[this.frames.length - 1];
      if (frame && value && !frame.returned) frame.returned = value;
    } else if (Node.isExportAssignment(s)) {
      this.evaluate(s.getExpression());
    } else if (Node.isBlock(s)) {
      this.execStatements(s.getStatements());
    } else if (Node.isIfStatement(s)) {
      // Both branches: a route registered under a condition still exists in some deployment.
      this.execStatement(s.getThenStatement());
      const otherwise = s.getElseStatement();
      if (otherwise) this.execStatement(otherwise);
    } else if (Node.isTryStatement(s)) {
      this.execStatements(s.getTryBlock().getStatements());
      const finallyBlock = s.getFinallyBlock();
      if (finallyBlock) this.execStatements(finallyBlock.getStatements());
    } else if (Node.isForOfStatement(s) || Node.isForInStatement(s) || Node.isForStatement(s) || Node.isWhileStatement(s) || Node.isDoStatement(s)) {
      this.execStatement(s.getStatement());
    }
  }

  // --- expressions ----------------------------------------------------------

  private evaluate(expr: Node): AppRef | undefined {
    const node = unwrap(expr);
    if (Node.isNewExpression(node)) {
      const callee = node.getExpression();
      const file = node.getSourceFile();
      if (refersToImport(callee, file, isHonoModule, "OpenAPIHono") || refersToImport(callee, file, isHonoModule, "Hono")) {
        return this.newApp(node);
      }
      return undefined;
    }
    if (Node.isIdentifier(node)) return this.valueOf(node);
    if (Node.isCallExpression(node)) return this.evaluateCall(node);
    return undefined;
  }

  private newApp(at: Node): AppRef {
    const app: AppModel = { entries: [], createdAt: this.location(at), mounted: false };
    this.apps.push(app);
    return { app, base: { value: "/" }, displayBase: { value: "/" } };
  }

  private valueOf(id: Identifier): AppRef | undefined {
    const decl = findDeclaration(id);
    if (!decl) return undefined;
    if (decl.kind === "import") {
      const target = this.resolveImport(decl.file, decl.module, decl.imported);
      if (!target) return undefined;
      this.executeFile(target.getSourceFile());
      return this.values.get(target);
    }
    return this.values.get(decl.node);
  }

  private evaluateCall(call: CallExpression): AppRef | undefined {
    const callee = unwrap(call.getExpression());
    if (Node.isPropertyAccessExpression(callee) && CHAINABLE.has(callee.getName())) {
      const receiver = this.evaluate(callee.getExpression());
      if (receiver) {
        this.visited.add(call);
        return this.register(call, callee.getName(), receiver);
      }
    }
    const fn = this.resolveFunction(callee);
    const args = call.getArguments().map((a) => (isFunctionLike(a) ? undefined : this.evaluate(a)));
    if (fn) return this.callFunction(fn, args);
    // A function from another package receives an app: it may register routes the checker cannot see.
    // (Hono's own helpers — serve, handle, showRoutes — and globals like console.log do not.)
    const module = this.importedFrom(callee);
    if (module !== undefined && !isHonoModule(module) && !module.startsWith("@hono/")) {
      const calleeText = short(callee.getText());
      for (const arg of args) {
        if (arg) arg.app.entries.push({ kind: "opaque", construct: this.undecidable(call, `the call \`${calleeText}(…)\` (imported from "${module}"), which receives the app`) });
      }
    }
    return undefined;
  }

  private callFunction(fn: FunctionLike, args: readonly (AppRef | undefined)[]): AppRef | undefined {
    if (this.activeFunctions.has(fn) || this.activeFunctions.size > 25) return undefined;
    this.calledFunctions.add(fn);
    this.activeFunctions.add(fn);
    fn.getParameters().forEach((param, i) => {
      const arg = args[i];
      if (arg) this.values.set(param, arg);
      else this.values.delete(param);
    });
    const frame: Frame = {};
    this.frames.push(frame);
    const body = fn.getBody();
    if (body && Node.isBlock(body)) this.execStatements(body.getStatements());
    else if (body) frame.returned = this.evaluate(body);
    this.frames.pop();
    this.activeFunctions.delete(fn);
    return frame.returned;
  }

  private resolveFunction(callee: Node): FunctionLike | undefined {
    const node = unwrap(callee);
    let target: Node | undefined;
    if (Node.isIdentifier(node)) {
      const decl = findDeclaration(node);
      if (decl?.kind === "import") target = this.resolveImport(decl.file, decl.module, decl.imported);
      else target = decl?.node;
    } else if (Node.isPropertyAccessExpression(node) && Node.isIdentifier(node.getExpression())) {
      // `routes.createInvoiceRoutes()` with `import * as routes from "./routes"`.
      const decl = findDeclaration(node.getExpression() as Identifier);
      if (decl?.kind === "namespace") target = this.resolveImport(decl.file, decl.module, node.getName());
    }
    if (target && Node.isVariableDeclaration(target)) target = target.getInitializer() && unwrap(target.getInitializer()!);
    return target && isFunctionLike(target) ? (target as FunctionLike) : undefined;
  }

  // --- Hono registrations ---------------------------------------------------

  private register(call: CallExpression, method: string, ref: AppRef): AppRef {
    const args = call.getArguments();
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
        ref.app.entries.push({ kind: "opaque", construct: this.undecidable(call, `the non-Hono application mounted by \`${short(call.getText())}\``) });
        return ref;
      case "basePath": {
        const prefix = args[0] ? this.staticString(args[0]) : { value: "/" };
        return { app: ref.app, base: joinPaths(ref.base, prefix), displayBase: joinPaths(ref.displayBase, prefix) };
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

  private registerOpenApi(call: CallExpression, ref: AppRef, args: readonly Node[]): void {
    // `.openapi(route, handler, hook?)`: there is no handler chain, only one handler.
    const [routeArg, handler, hook] = args;
    const config = routeArg ? this.routeConfig(routeArg) : undefined;
    const handlerScope = handler ? this.middleware(handler, 0) : NOT_SCOPED;
    const misplaced = handler && hook && handlerScope.covered && !isFunctionLike(unwrap(handler)) ? this.location(handler) : undefined;
    const own = combine(config?.middleware ?? NOT_SCOPED, { covered: handlerScope.covered && !misplaced, undecidable: [] });
    const declared = config?.path ?? (config?.undecidable ? { undecidable: config.undecidable } : { undecidable: this.undecidable(call, "a route without a path") });
    const hono: PathValue = "value" in declared ? { value: openApiToHonoPath(declared.value) } : declared;
    this.addRoute(ref, call, {
      method: config?.method,
      hono,
      display: declared,
      typed: true,
      own,
      ...(config?.undecidable ? { routeUndecidable: config.undecidable } : {}),
      ...(misplaced ? { misplacedScope: misplaced } : {}),
    });
  }

  private registerPlain(call: CallExpression, ref: AppRef, method: string, args: readonly Node[]): void {
    const [first, ...rest] = args;
    let path: { hono: PathValue; display: PathValue };
    let handlers: readonly Node[];
    if (!first || isFunctionLike(unwrap(first))) {
      // `app.get(handler)`: Hono reuses the instance's last path.
      path = ref.lastPath ?? { hono: { undecidable: this.undecidable(call, "a route registered without a path") }, display: { undecidable: this.undecidable(call, "a route registered without a path") } };
      handlers = args;
    } else {
      const value = this.staticString(first);
      path = { hono: value, display: value };
      handlers = rest;
    }
    this.addRoute(ref, call, { method, hono: path.hono, display: path.display, typed: false, own: this.handlerChain(handlers) });
  }

  private registerOn(call: CallExpression, ref: AppRef, args: readonly Node[]): void {
    const [methodsArg, pathsArg, ...handlers] = args;
    const own = this.handlerChain(handlers);
    const methods = methodsArg ? this.stringList(methodsArg) : [];
    const paths = pathsArg ? this.stringList(pathsArg) : [];
    for (const m of methods) {
      for (const p of paths) {
        const method = "value" in m ? m.value.toLowerCase() : undefined;
        this.addRoute(ref, call, { method, hono: p, display: p, typed: false, own, ...("undecidable" in m ? { routeUndecidable: m.undecidable } : {}) });
      }
    }
  }

  private addRoute(
    ref: AppRef,
    call: CallExpression,
    r: { method: string | undefined; hono: PathValue; display: PathValue; typed: boolean; own: ScopeVerdict; routeUndecidable?: Undecidable; misplacedScope?: Location },
  ): void {
    ref.lastPath = { hono: r.hono, display: r.display };
    const callee = call.getExpression() as import("ts-morph").PropertyAccessExpression;
    const receiver = unwrap(callee.getExpression());
    const chained = !(Node.isIdentifier(receiver) || Node.isThisExpression(receiver) || Node.isPropertyAccessExpression(receiver));
    const dot = callee.getFirstChildByKind(SyntaxKind.DotToken) ?? callee.getFirstChildByKind(SyntaxKind.QuestionDotToken);
    const at = chained && dot ? this.location(dot) : this.location(call);
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
        registrar: chained ? `.${callee.getName()}` : `${short(receiver.getText())}.${callee.getName()}`,
        at,
        scope: NOT_SCOPED,
        ...(r.misplacedScope ? { misplacedScope: r.misplacedScope } : {}),
      },
    });
  }

  private registerUse(call: CallExpression, ref: AppRef, args: readonly Node[]): void {
    const [first, ...rest] = args;
    if (!first) return;
    let pattern: PathValue;
    let middleware: readonly Node[];
    const candidate = this.staticString(first);
    if ("value" in candidate) {
      pattern = candidate;
      middleware = rest;
    } else if (isPatternLike(first)) {
      pattern = candidate;
      middleware = rest;
    } else {
      // `app.use(mw, …)`: Hono applies it to "*".
      pattern = { value: "*" };
      middleware = args;
    }
    ref.lastPath = { hono: pattern, display: pattern };
    ref.app.entries.push({ kind: "use", pattern: joinPaths(ref.base, pattern), middleware: this.middlewareList(middleware), at: this.location(call) });
  }

  private mount(call: CallExpression, ref: AppRef, args: readonly Node[]): void {
    const [prefixArg, subArg] = args;
    if (!prefixArg || !subArg) return;
    const prefix = this.staticString(prefixArg);
    const sub = this.evaluate(subArg);
    if (!sub) {
      ref.app.entries.push({ kind: "opaque", construct: this.undecidable(subArg, `the app \`${short(subArg.getText())}\`${this.originOf(subArg)} mounted by \`${short(callName(call))}(…)\``) });
      return;
    }
    if (sub.app === ref.app) return; // mounting an app into itself adds nothing Hono would serve
    sub.app.mounted = true;
    const base = joinPaths(ref.base, prefix);
    const displayBase = joinPaths(ref.displayBase, prefix);
    for (const entry of [...sub.app.entries]) {
      if (entry.kind === "use") ref.app.entries.push({ ...entry, pattern: joinPaths(base, entry.pattern) });
      else if (entry.kind === "opaque") ref.app.entries.push(entry);
      else {
        const display = entry.route.displayPath !== undefined ? joinPaths(displayBase, { value: entry.route.displayPath }) : undefined;
        ref.app.entries.push({
          ...entry,
          route: { ...entry.route, path: joinPaths(base, entry.route.path), displayPath: display && "value" in display ? display.value : undefined },
        });
      }
    }
  }

  // --- route configs and middleware -------------------------------------------

  /** What `createRoute({...})` declares: method, path and `middleware`. */
  private routeConfig(expr: Node, depth = 0): { method?: string; path?: PathValue; middleware: ScopeVerdict; undecidable?: Undecidable } {
    const node = unwrap(expr);
    const file = node.getSourceFile();
    if (depth < 8 && Node.isCallExpression(node) && refersToImport(node.getExpression(), file, "*", "createRoute")) {
      const arg = node.getArguments()[0];
      return arg ? this.routeConfig(arg, depth + 1) : { middleware: NOT_SCOPED, undecidable: this.undecidable(node, "`createRoute()` without options") };
    }
    if (Node.isObjectLiteralExpression(node)) {
      const props = this.objectProperties(node);
      const method = props.get("method");
      const path = props.get("path");
      const mw = props.get("middleware");
      const methodValue = method ? ("node" in method ? this.staticString(method.node) : { undecidable: method.undecidable }) : undefined;
      return {
        ...(methodValue && "value" in methodValue ? { method: methodValue.value.toLowerCase() } : {}),
        ...(path ? { path: "node" in path ? this.staticString(path.node) : { undecidable: path.undecidable } } : {}),
        middleware: !mw ? NOT_SCOPED : "node" in mw ? this.middlewareList([mw.node]) : { covered: false, undecidable: [mw.undecidable] },
        ...(methodValue && "undecidable" in methodValue ? { undecidable: methodValue.undecidable } : !method ? { undecidable: this.undecidable(node, "a route config without `method`") } : {}),
      };
    }
    if (depth < 8 && Node.isIdentifier(node)) {
      const decl = findDeclaration(node);
      if (decl?.kind === "variable" && decl.initializer) return this.routeConfig(decl.initializer, depth + 1);
      if (decl?.kind === "import") {
        const target = this.resolveImport(decl.file, decl.module, decl.imported);
        const init = target && Node.isVariableDeclaration(target) ? target.getInitializer() : undefined;
        if (init) return this.routeConfig(init, depth + 1);
      }
    }
    return { middleware: NOT_SCOPED, undecidable: this.undecidable(node, `the route \`${short(node.getText())}\`${this.originOf(node)}`) };
  }

  /** Properties of an object literal, following spreads of local object literals. */
  private objectProperties(obj: Node, depth = 0): Map<string, { node: Node } | { undecidable: Undecidable }> {
    const out = new Map<string, { node: Node } | { undecidable: Undecidable }>();
    const unresolved: Undecidable[] = [];
    if (!Node.isObjectLiteralExpression(obj)) return out;
    for (const prop of obj.getProperties()) {
      if (Node.isPropertyAssignment(prop)) {
        const init = prop.getInitializer();
        if (init) out.set(propertyKey(prop), { node: init });
      } else if (Node.isShorthandPropertyAssignment(prop)) {
        out.set(prop.getName(), { node: prop.getNameNode() });
      } else if (Node.isSpreadAssignment(prop)) {
        const source = this.objectLiteralOf(prop.getExpression());
        if (source && depth < 8) for (const [k, v] of this.objectProperties(source, depth + 1)) out.set(k, v);
        else unresolved.push(this.undecidable(prop, `the spread \`${short(prop.getText())}\`${this.originOf(prop.getExpression())}`));
      }
    }
    // A key the object does not set itself may come from a spread the checker cannot read.
    if (unresolved[0]) for (const key of ["method", "path", "middleware"]) if (!out.has(key)) out.set(key, { undecidable: unresolved[0] });
    return out;
  }

  private objectLiteralOf(expr: Node): Node | undefined {
    const node = unwrap(expr);
    if (Node.isObjectLiteralExpression(node)) return node;
    if (Node.isIdentifier(node)) {
      const decl = findDeclaration(node);
      if (decl?.kind === "variable" && decl.initializer) return this.objectLiteralOf(decl.initializer);
      if (decl?.kind === "import") {
        const target = this.resolveImport(decl.file, decl.module, decl.imported);
        const init = target && Node.isVariableDeclaration(target) ? target.getInitializer() : undefined;
        if (init) return this.objectLiteralOf(init);
      }
    }
    return undefined;
  }

  /** A route's handler chain: every argument but the last is middleware; the last is the handler. */
  private handlerChain(args: readonly Node[]): ScopeVerdict {
    if (args.length === 0) return NOT_SCOPED;
    const middleware = this.middlewareList(args.slice(0, -1));
    const handler = this.middlewareList(args.slice(-1));
    // An unreadable handler is just a handler: only its requireScope call counts.
    return combine(middleware, { covered: handler.covered, undecidable: [] });
  }

  private middlewareList(items: readonly Node[]): ScopeVerdict {
    return items.reduce<ScopeVerdict>((acc, item) => combine(acc, this.middleware(item, 0)), NOT_SCOPED);
  }

  /** Whether a middleware expression is (or certainly contains) a requireScope(…) call. */
  private middleware(expr: Node, depth: number): ScopeVerdict {
    const node = unwrap(expr);
    const file = node.getSourceFile();
    if (depth > 8) return { covered: false, undecidable: [this.undecidable(node, `\`${short(node.getText())}\``)] };
    if (Node.isCallExpression(node)) {
      if (refersToImport(node.getExpression(), file, "*", "requireScope")) return { covered: true, undecidable: [] };
      // A local helper that wraps requireScope (`const scoped = (s) => requireScope(s)`).
      const fn = this.resolveFunction(node.getExpression());
      return { covered: fn !== undefined && callsRequireScope(fn), undecidable: [] };
    }
    if (isFunctionLike(node)) return { covered: callsRequireScope(node), undecidable: [] };
    if (Node.isArrayLiteralExpression(node)) return this.middlewareList(node.getElements());
    if (Node.isSpreadElement(node)) return this.middleware(node.getExpression(), depth + 1);
    if (Node.isConditionalExpression(node)) {
      const a = this.middleware(node.getWhenTrue(), depth + 1);
      const b = this.middleware(node.getWhenFalse(), depth + 1);
      if (a.covered && b.covered) return { covered: true, undecidable: [] };
      if (a.covered || b.covered) return { covered: false, undecidable: [this.undecidable(node, `the conditional middleware \`${short(node.getText())}\``)] };
      return { covered: false, undecidable: [...a.undecidable, ...b.undecidable] };
    }
    if (Node.isIdentifier(node)) {
      const decl = findDeclaration(node);
      if (!decl) return { covered: false, undecidable: [this.undecidable(node, `\`${node.getText()}\` (not declared in this file)`)] };
      switch (decl.kind) {
        case "variable":
          return decl.initializer ? this.middleware(decl.initializer, depth + 1) : NOT_SCOPED;
        case "function":
          return { covered: callsRequireScope(decl.node), undecidable: [] };
        case "import": {
          if (decl.imported === "requireScope") return NOT_SCOPED; // the factory itself, not called: no scope
          const target = this.resolveImport(decl.file, decl.module, decl.imported);
          if (target && Node.isVariableDeclaration(target)) return target.getInitializer() ? this.middleware(target.getInitializer()!, depth + 1) : NOT_SCOPED;
          if (target && isFunctionLike(target)) return { covered: callsRequireScope(target), undecidable: [] };
          return { covered: false, undecidable: [this.undecidable(node, `\`${node.getText()}\`${this.originOf(node)}`)] };
        }
        case "parameter":
          return { covered: false, undecidable: [this.undecidable(node, `\`${node.getText()}\` (a function parameter)`)] };
        default:
          return NOT_SCOPED;
      }
    }
    if (Node.isPropertyAccessExpression(node)) {
      return { covered: false, undecidable: [this.undecidable(node, `\`${short(node.getText())}\`${this.originOf(node)}`)] };
    }
    return NOT_SCOPED;
  }

  // --- static values ----------------------------------------------------------

  /** A string known without running the code: literals, templates and `+` of local constants. */
  private staticString(expr: Node, depth = 0): PathValue {
    const node = unwrap(expr);
    // Name the whole construct, and where its unreadable part comes from.
    const fail = (cause: Node = node): PathValue => ({ undecidable: this.undecidable(node, describeValue(node) + this.originOf(cause)) });
    if (depth > 8) return fail();
    if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return { value: node.getLiteralText() };
    if (Node.isTemplateExpression(node)) {
      let out = node.getHead().getLiteralText();
      for (const span of node.getTemplateSpans()) {
        const part = this.staticString(span.getExpression(), depth + 1);
        if (!("value" in part)) return fail(span.getExpression());
        out += part.value + span.getLiteral().getLiteralText();
      }
      return { value: out };
    }
    if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.PlusToken) {
      const left = this.staticString(node.getLeft(), depth + 1);
      const right = this.staticString(node.getRight(), depth + 1);
      return "value" in left && "value" in right ? { value: left.value + right.value } : fail("value" in left ? node.getRight() : node.getLeft());
    }
    if (Node.isIdentifier(node)) {
      const decl = findDeclaration(node);
      if (decl?.kind === "variable" && decl.initializer && isConst(decl.node)) {
        const inner = this.staticString(decl.initializer, depth + 1);
        return "value" in inner ? inner : fail();
      }
      if (decl?.kind === "import") {
        const target = this.resolveImport(decl.file, decl.module, decl.imported);
        const init = target && Node.isVariableDeclaration(target) && isConst(target) ? target.getInitializer() : undefined;
        const inner = init ? this.staticString(init, depth + 1) : undefined;
        if (inner && "value" in inner) return inner;
      }
      return fail();
    }
    if (Node.isPropertyAccessExpression(node)) {
      // `PATHS.invoices` with a local `const PATHS = { invoices: "/v1/invoices" }`.
      const obj = this.objectLiteralOf(node.getExpression());
      const prop = obj ? this.objectProperties(obj).get(node.getName()) : undefined;
      if (prop && "node" in prop) return this.staticString(prop.node, depth + 1);
      return fail();
    }
    return fail();
  }

  private stringList(expr: Node): PathValue[] {
    const node = unwrap(expr);
    if (Node.isArrayLiteralExpression(node)) return node.getElements().map((e) => this.staticString(e));
    return [this.staticString(node)];
  }

  // --- modules ----------------------------------------------------------------

  /** The declaration an import names, for relative imports inside the service only. */
  private resolveImport(from: SourceFile, module: string, name: string, depth = 0): Node | undefined {
    if (!module.startsWith(".") || depth > 8) return undefined;
    const file = this.resolveModule(from, module);
    if (!file) return undefined;
    for (const s of file.getStatements()) {
      if (name === "default" && Node.isExportAssignment(s)) return s.getExpression();
      if ((Node.isFunctionDeclaration(s) || Node.isClassDeclaration(s)) && s.hasExportKeyword()) {
        if (name === "default" ? s.hasDefaultKeyword() : s.getName() === name && !s.hasDefaultKeyword()) return s;
      }
      if (Node.isVariableStatement(s) && s.hasExportKeyword()) {
        const decl = s.getDeclarations().find((d) => d.getName() === name);
        if (decl) return decl;
      }
      if (Node.isExportDeclaration(s)) {
        const reexportFrom = s.getModuleSpecifierValue();
        if (s.isNamespaceExport() && reexportFrom && name !== "default") {
          const found = this.resolveImport(file, reexportFrom, name, depth + 1);
          if (found) return found;
          continue;
        }
        for (const spec of s.getNamedExports()) {
          const exported = spec.getAliasNode()?.getText() ?? spec.getName();
          if (exported !== name) continue;
          if (reexportFrom) return this.resolveImport(file, reexportFrom, spec.getName(), depth + 1);
          const local = findDeclarationInFile(file, spec.getName());
          if (local?.kind === "import") return this.resolveImport(file, local.module, local.imported, depth + 1);
          return local?.node;
        }
      }
    }
    return undefined;
  }

  private resolveModule(from: SourceFile, module: string): SourceFile | undefined {
    const fromPath = from.getFilePath().replace(/^\//, "");
    const joined = normalizeRepoPath(`${fromPath.slice(0, fromPath.lastIndexOf("/"))}/${module}`);
    if (!joined || !joined.startsWith(`${this.serviceDir}/`)) return undefined;
    const stem = joined.replace(/\.(c|m)?js$/, "");
    for (const candidate of [joined, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}/index.ts`, `${stem}/index.tsx`]) {
      const file = this.files.get(candidate);
      if (file) return file;
    }
    return undefined;
  }

  /** The module an identifier or `ns.member` callee is imported from, if it is imported. */
  private importedFrom(callee: Node): string | undefined {
    let root = unwrap(callee);
    if (Node.isPropertyAccessExpression(root)) root = unwrap(root.getExpression());
    if (!Node.isIdentifier(root)) return undefined;
    const decl = findDeclaration(root);
    return decl?.kind === "import" || decl?.kind === "namespace" ? decl.module : undefined;
  }

  /** " (imported from "pkg")" when an expression's root name comes from an import the checker cannot read. */
  private originOf(expr: Node): string {
    let root = unwrap(expr);
    while (Node.isPropertyAccessExpression(root) || Node.isCallExpression(root)) root = unwrap(root.getExpression());
    if (!Node.isIdentifier(root)) return "";
    const decl = findDeclaration(root);
    if (decl?.kind === "import" || decl?.kind === "namespace") return ` (imported from "${decl.module}")`;
    if (decl?.kind === "parameter") return " (a function parameter)";
    return "";
  }

  // --- helpers ----------------------------------------------------------------

  private isRegistrationCall(call: CallExpression): boolean {
    const callee = unwrap(call.getExpression());
    if (!Node.isPropertyAccessExpression(callee) || !REGISTERING.has(callee.getName())) return false;
    return callee.getName() === "openapi" || looksLikeApp(callee.getExpression(), 0);
  }

  private hasUnvisitedRegistration(scope: Node): boolean {
    return scope.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => !this.visited.has(c) && this.isRegistrationCall(c));
  }

  private location(node: Node): Location {
    return { path: node.getSourceFile().getFilePath().replace(/^\//, ""), ...nodePosition(node) };
  }

  private undecidable(node: Node, construct: string): Undecidable {
    return { construct, ...this.location(node) };
  }
}

// --- pure helpers -------------------------------------------------------------

function coverage(route: ExtractedRoute, own: ScopeVerdict, usesBefore: readonly Extract<Entry, { kind: "use" }>[]): ScopeVerdict {
  if (own.covered) return { covered: true, undecidable: [] };
  const undecidable = [...own.undecidable];
  for (const use of usesBefore) {
    if (!use.middleware.covered && use.middleware.undecidable.length === 0) continue; // no requireScope in it, certainly
    if ("undecidable" in use.pattern) {
      undecidable.push(use.pattern.undecidable);
      continue;
    }
    const pattern = use.pattern.value;
    let matches: boolean | Undecidable;
    if (pattern === "*" || pattern === "/*") matches = true;
    else if ("undecidable" in route.path) matches = route.path.undecidable;
    else if (patternMatchesPath(pattern, route.path.value)) matches = true;
    else if (/:[A-Za-z0-9_]+\{/.test(pattern)) matches = { ...use.at, construct: `the pattern \`${pattern}\` (a regular-expression constraint the route's path cannot be tested against)` };
    else matches = false;
    if (matches === false) continue;
    if (matches !== true) undecidable.push(matches);
    else if (use.middleware.covered) return { covered: true, undecidable: [] };
    else undecidable.push(...use.middleware.undecidable);
  }
  if (route.routeUndecidable) undecidable.push(route.routeUndecidable);
  if ("undecidable" in route.path) undecidable.push(route.path.undecidable);
  return { covered: false, undecidable: dedupe(undecidable) };
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

function combine(a: ScopeVerdict, b: ScopeVerdict): ScopeVerdict {
  if (a.covered || b.covered) return { covered: true, undecidable: [] };
  return { covered: false, undecidable: [...a.undecidable, ...b.undecidable] };
}

function joinPaths(base: PathValue, path: PathValue): PathValue {
  if ("undecidable" in base) return base;
  if ("undecidable" in path) return path;
  return { value: mergePath(base.value, path.value) };
}

function unwrap(node: Node): Node {
  let n = node;
  for (;;) {
    if (Node.isParenthesizedExpression(n) || Node.isAsExpression(n) || Node.isSatisfiesExpression(n) || Node.isNonNullExpression(n) || Node.isAwaitExpression(n) || Node.isTypeAssertion(n)) {
      n = n.getExpression();
    } else return n;
  }
}

function isFunctionLike(node: Node): boolean {
  return Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node);
}

function callsRequireScope(scope: Node): boolean {
  const file = scope.getSourceFile();
  return scope.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => refersToImport(c.getExpression(), file, "*", "requireScope"));
}

function isConst(decl: Node): boolean {
  const list = decl.getParent();
  return list !== undefined && Node.isVariableDeclarationList(list) && list.getText().startsWith("const");
}

function isPatternLike(node: Node): boolean {
  const n = unwrap(node);
  return Node.isTemplateExpression(n) || Node.isBinaryExpression(n) || Node.isStringLiteral(n) || Node.isNoSubstitutionTemplateLiteral(n);
}

/** Whether an expression plausibly holds a Hono app, for spotting registrations the interpreter did not reach. */
function looksLikeApp(expr: Node, depth: number): boolean {
  const node = unwrap(expr);
  if (depth > 8) return false;
  if (Node.isNewExpression(node)) return /^(OpenAPIHono|Hono)$/.test(node.getExpression().getText().split(".").pop() ?? "");
  if (Node.isCallExpression(node)) {
    const callee = unwrap(node.getExpression());
    return Node.isPropertyAccessExpression(callee) && CHAINABLE.has(callee.getName()) && looksLikeApp(callee.getExpression(), depth + 1);
  }
  if (Node.isIdentifier(node)) {
    const decl = findDeclaration(node);
    if (decl?.kind === "variable") return decl.initializer !== undefined && looksLikeApp(decl.initializer, depth + 1);
    if (decl?.kind === "parameter") return isAppTyped(decl.node);
  }
  return false;
}

function topLevelFunctions(file: SourceFile): FunctionLike[] {
  const out: FunctionLike[] = [];
  for (const s of file.getStatements()) {
    if (Node.isFunctionDeclaration(s)) out.push(s as unknown as FunctionLike);
    if (Node.isVariableStatement(s)) {
      for (const d of s.getDeclarations()) {
        const init = d.getInitializer();
        if (init && isFunctionLike(unwrap(init))) out.push(unwrap(init) as unknown as FunctionLike);
      }
    }
  }
  return out;
}

/** The binding a name refers to at a place in the code, found lexically (no type checker). */
function findDeclaration(id: Identifier): Declaration | undefined {
  const name = id.getText();
  for (let node: Node | undefined = id.getParent(); node; node = node.getParent()) {
    if (isFunctionLike(node) || Node.isConstructorDeclaration(node)) {
      const param = (node as unknown as FunctionLike).getParameters().find((p) => nameOf(p) === name);
      if (param) return { kind: "parameter", node: param };
    }
    if (Node.isForOfStatement(node) || Node.isForInStatement(node) || Node.isForStatement(node)) {
      const init = node.getInitializer();
      if (init && Node.isVariableDeclarationList(init) && init.getDeclarations().some((d) => d.getName() === name)) {
        return { kind: "parameter", node: init };
      }
    }
    if (Node.isSourceFile(node) || Node.isBlock(node) || Node.isModuleBlock(node) || Node.isCaseClause(node) || Node.isDefaultClause(node)) {
      const found = findInStatements(node.getStatements(), name);
      if (found) return found;
      if (Node.isSourceFile(node)) return importDeclaration(node, name);
    }
  }
  return undefined;
}

function findDeclarationInFile(file: SourceFile, name: string): Declaration | undefined {
  return findInStatements(file.getStatements(), name) ?? importDeclaration(file, name);
}

function findInStatements(statements: readonly Node[], name: string): Declaration | undefined {
  for (const s of statements) {
    if (Node.isVariableStatement(s)) {
      const decl = s.getDeclarations().find((d) => Node.isIdentifier(d.getNameNode()) && d.getName() === name);
      if (decl) return { kind: "variable", node: decl, initializer: decl.getInitializer() };
    } else if (Node.isFunctionDeclaration(s) && s.getName() === name) {
      return { kind: "function", node: s };
    } else if ((Node.isClassDeclaration(s) || Node.isEnumDeclaration(s)) && s.getName() === name) {
      return { kind: "other", node: s };
    }
  }
  return undefined;
}

function importDeclaration(file: SourceFile, name: string): Declaration | undefined {
  const bindings = importBindings(file);
  const named = bindings.named.get(name);
  const node = file.getImportDeclarations()[0] ?? file;
  if (named) return { kind: "import", module: named.module, imported: named.imported, file, node };
  const ns = bindings.namespaces.get(name);
  if (ns !== undefined) return { kind: "namespace", module: ns, file, node };
  return undefined;
}

function isAppTyped(param: Node): boolean {
  return Node.isParameterDeclaration(param) && /\b(OpenAPIHono|Hono)\b/.test(param.getTypeNode()?.getText() ?? "");
}

function nameOf(param: Node): string | undefined {
  return Node.isParameterDeclaration(param) ? param.getName() : undefined;
}

function propertyKey(prop: Node): string {
  const nameNode = (prop as unknown as { getNameNode(): Node }).getNameNode();
  if (Node.isStringLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode)) return nameNode.getLiteralText();
  return nameNode.getText();
}

function callName(call: CallExpression): string {
  const callee = unwrap(call.getExpression());
  return Node.isPropertyAccessExpression(callee) && !Node.isIdentifier(unwrap(callee.getExpression())) ? `.${callee.getName()}` : callee.getText();
}

function describeValue(node: Node): string {
  if (Node.isTemplateExpression(node)) return `the template literal ${short(node.getText())}`;
  if (Node.isIdentifier(node)) return `\`${node.getText()}\``;
  return `\`${short(node.getText())}\``;
}

function short(text: string): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

