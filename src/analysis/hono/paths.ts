import { TrieRouter } from "hono/router/trie-router";
import { mergePath } from "hono/utils/url";
import type { PathValue } from "./model.js";

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

/** A mount prefix or basePath joined with a path, as Hono's `mergePath` does. */
export function joinPaths(base: PathValue, path: PathValue): PathValue {
  if ("undecidable" in base) return base;
  if ("undecidable" in path) return path;
  return { value: mergePath(base.value, path.value) };
}
