import type { Location, Undecidable } from "../ts/location.js";
import type { StaticString } from "../ts/values.js";

/** A route or middleware path: known, or undecidable with the construct named. */
export type PathValue = StaticString;

export interface ScopeVerdict {
  /** Covered by requireScope through app.use, `middleware: [...]` or the handler chain. */
  covered: boolean;
  /** Why coverage cannot be decided (only meaningful when not covered). */
  undecidable: Undecidable[];
  /**
   * Covered except for request paths matching these Hono patterns (hono/combine's
   * `except("/v1/public/*", requireScope(…))`), matched on the full request path.
   */
  unless?: PathValue[];
  /**
   * A requireScope `app.use` that would cover the route but for its pattern written
   * in OpenAPI syntax (`/x/{id}`, e.g. `routes.one.path`), which Hono matches literally.
   */
  openApiPattern?: { pattern: string; at: Location };
}

export const NOT_SCOPED: ScopeVerdict = { covered: false, undecidable: [] };
export const SCOPED: ScopeVerdict = { covered: true, undecidable: [] };

export interface ExtractedRoute {
  /** Lower-case HTTP method (`get`, `post`, …), `all`, or undefined when not static. */
  method: string | undefined;
  /** Full path after basePath and mount prefixes, in Hono syntax (`/v1/invoices/:id`). */
  path: PathValue;
  /** The same path as declared (`/v1/invoices/{id}` for createRoute), for messages. */
  displayPath: string | undefined;
  /** Why the method (and path) is unknown: a route config the analysis cannot read. */
  routeUndecidable?: Undecidable;
  /** Declared with createRoute + `.openapi()` (or documented with hono-openapi's `describeRoute`), so it reaches the generated spec. */
  typed: boolean;
  /** Declared with `hide: true`: a typed route @hono/zod-openapi leaves out of the document. */
  hidden?: boolean;
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
  /** Places where routes may be registered that the analysis cannot follow (a sub-app from another package, a callback). */
  opaque: Undecidable[];
}

/** `METHOD /path` as an engineer reads it, e.g. `GET /v1/invoices/{id}`. */
export function describeRoute(route: ExtractedRoute): string {
  const method = route.method ? route.method.toUpperCase() : "(unknown method)";
  return `${method} ${route.displayPath ?? "(path not static)"}`;
}

/** The construct that makes a route's method or path unknown, if any. */
export function routeUncertainty(route: ExtractedRoute): Undecidable | undefined {
  return route.routeUndecidable ?? ("undecidable" in route.path ? route.path.undecidable : undefined);
}
