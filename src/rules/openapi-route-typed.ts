import { describeRoute, serviceRoutes, type ExtractedRoute } from "../analysis/hono/routes.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "openapi-route-typed",
    defaultSeverity: "warning",
    title: "Routes are declared with createRoute + app.openapi, so they reach the spec",
    messages: {
      untyped:
        "{{route}} is registered with `{{registrar}}(…)`, so it never reaches openapi.yaml or the generated SDK. Declare it with `createRoute({ method, path, request, responses })` from @hono/zod-openapi and register it with `.openapi(route, handler)`.",
    },
  },
  async check(ctx, report) {
    const { routes } = await serviceRoutes(ctx);
    for (const route of routes) {
      if (route.typed || isCatchAll(route)) continue;
      report({ messageId: "untyped", data: { route: describeRoute(route), registrar: route.registrar }, ...route.at });
    }
  },
});

/**
 * A wildcard route (`app.on(["GET", "POST"], "/auth/*", (c) => auth.handler(c.req.raw))`,
 * `app.get("/assets/*", serveStatic(…))`) hands whole subtrees to a library:
 * OpenAPI has no wildcard paths, so createRoute cannot declare it.
 */
function isCatchAll(route: ExtractedRoute): boolean {
  return "value" in route.path && route.path.value.includes("*");
}
