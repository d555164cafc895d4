import { describeRoute, patternMatchesPath, serviceRoutes, type ExtractedRoute } from "../analysis/hono/routes.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "require-scope-enforcement",
    defaultSeverity: "error",
    title: "Every route is protected by requireScope(…)",
    messages: {
      unprotected:
        "{{route}} is not protected by requireScope(…). Add `middleware: [requireScope(SCOPES.…)]` to its createRoute (plain Hono routes: pass requireScope(SCOPES.…) before the handler), or register `app.use(pattern, requireScope(SCOPES.…))` with a pattern matching {{path}} before this line.",
      undecidable:
        "Cannot tell whether {{route}} is protected by requireScope(…): {{construct}} at {{where}} cannot be resolved statically. Make it a static value inside this service, or put requireScope(…) on the route itself.",
      openApiPattern:
        "{{route}} is not protected by requireScope(…): the app.use at {{where}} has the pattern `{{pattern}}`, in OpenAPI syntax, which Hono matches literally (`{…}` is no parameter to it), so its requireScope(…) never runs for this route. Pass the route's `getRoutingPath()` (or write the parameter as `:name`) instead of its `path`.",
      misplaced:
        "{{route}} passes requireScope(…) as its handler: @hono/zod-openapi's `openapi(route, handler, hook)` takes no middleware there, so the real handler becomes the validation hook and the route never answers. Move it into the route: `createRoute({ …, middleware: [requireScope(SCOPES.…)] })`.",
      opaque:
        "Cannot read {{construct}} statically, so the requireScope(…) protection of the routes it registers is not checked. Declare those routes in this service (createRoute + app.openapi on an app the entry mounts) so the checker can follow them, or review them by hand.",
    },
  },
  async check(ctx, report) {
    const { routes, opaque } = await serviceRoutes(ctx);
    const exempt = ctx.config.scope_exempt_routes;
    for (const route of routes) {
      if (route.misplacedScope) {
        report({ messageId: "misplaced", data: { route: describeRoute(route) }, ...route.misplacedScope });
        continue;
      }
      if (route.scope.covered || isExempt(route, exempt)) continue;
      const [first] = route.scope.undecidable;
      if (first) {
        report({
          messageId: "undecidable",
          severity: "warning",
          data: { route: describeRoute(route), construct: first.construct, where: `${first.path}:${first.line}` },
          ...route.at,
        });
      } else if (route.scope.openApiPattern) {
        const { pattern, at } = route.scope.openApiPattern;
        report({ messageId: "openApiPattern", data: { route: describeRoute(route), pattern, where: `${at.path}:${at.line}` }, ...route.at });
      } else {
        report({ messageId: "unprotected", data: { route: describeRoute(route), path: route.displayPath ?? "its path" }, ...route.at });
      }
    }
    for (const construct of opaque) {
      report({ messageId: "opaque", severity: "warning", data: { construct: construct.construct }, path: construct.path, line: construct.line, column: construct.column });
    }
  },
});

/** Health probes and other configured routes (`scope_exempt_routes`, Hono patterns) need no scope. */
function isExempt(route: ExtractedRoute, patterns: readonly string[]): boolean {
  return "value" in route.path && patterns.some((p) => patternMatchesPath(p, (route.path as { value: string }).value));
}
