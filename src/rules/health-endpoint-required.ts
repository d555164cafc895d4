import { infraPath, infraSourceFile, topLevelFunction } from "../analysis/infra/fragment.js";
import { infraHealthChecks } from "../analysis/infra/settings.js";
import { nodePosition } from "../analysis/ts/location.js";
import { describeRoute, serviceRoutes } from "../analysis/hono/routes.js";
import { defineServiceRule } from "../engine/rule.js";

const HEALTH_PATH = "/healthz";

export default defineServiceRule({
  meta: {
    id: "health-endpoint-required",
    defaultSeverity: "error",
    title: "The service has a GET /healthz route and infra.ts declares it as the health path",
    messages: {
      noEntry: "src/index.ts does not exist, so the service has no app and no GET /healthz route. Create it from services/_template/src/index.ts.",
      noRoute:
        "The app has no GET /healthz route (after mount prefixes and basePath). Register one, e.g. `app.openapi(createRoute({ method: \"get\", path: \"/healthz\", responses: { 200: { description: \"OK\" } } }), (c) => c.json({ ok: true }, 200))`.",
      prefixedRoute:
        "{{route}} is the health route, but it is served under a prefix; the load balancer probes GET /healthz. Register the health route on the root app, outside the prefix.",
      routeUndecidable:
        "No GET /healthz route was found, but {{construct}} cannot be read statically, so it may be the health route. Declare the health route with a static path.",
      infraMissing: "infra.ts does not exist, so the load balancer has no health path. Copy services/_template/infra.ts and keep `health: { \"8080/http\": { path: \"/healthz\" } }`.",
      infraNoHealth:
        "infra.ts declares no health path. Add `health: { \"8080/http\": { path: \"/healthz\" } }` to the service's loadBalancer (guide step 6: health endpoint paths).",
      infraWrongPath: "infra.ts sets the health path to `{{value}}`, but the service's health route is GET /healthz. Set it to \"/healthz\".",
      loadBalancerNoHealth:
        "The load balancer declares no health check, so it probes `/` (the AWS default), not GET /healthz. Add `health: { \"8080/http\": { path: \"/healthz\" } }` under `loadBalancer`.",
    },
  },
  async check(ctx, report) {
    const extracted = await serviceRoutes(ctx);
    const gets = extracted.routes.filter((r) => r.method === "get" || r.method === "all");
    const health = gets.find((r) => "value" in r.path && r.path.value === HEALTH_PATH);
    if (!health) {
      const prefixed = gets.find((r) => "value" in r.path && r.path.value.endsWith(HEALTH_PATH));
      const unknown = [
        ...extracted.routes.filter((r) => (r.method === undefined || r.method === "get" || r.method === "all") && (r.routeUndecidable || "undecidable" in r.path)),
      ].map((r) => r.routeUndecidable ?? ("undecidable" in r.path ? r.path.undecidable : undefined)).filter((u) => u !== undefined);
      const maybe = unknown[0] ?? extracted.opaque[0];
      if (prefixed) {
        report({ messageId: "prefixedRoute", data: { route: describeRoute(prefixed) }, ...prefixed.at });
      } else if (maybe) {
        report({ messageId: "routeUndecidable", severity: "warning", data: { construct: maybe.construct }, path: maybe.path, line: maybe.line, column: maybe.column });
      } else if (!extracted.entryExists) {
        report({ messageId: "noEntry", path: extracted.entryPath });
      } else {
        report({ messageId: "noRoute", path: extracted.entryPath, ...(extracted.entryApp ? { line: extracted.entryApp.line, column: extracted.entryApp.column } : { line: 1, column: 1 }) });
      }
    }

    const checks = await infraHealthChecks(ctx);
    const declared = checks?.paths;
    const infra = infraPath(ctx);
    if (declared === undefined) {
      report({ messageId: "infraMissing", path: infra });
    } else if (declared.length === 0) {
      const file = await infraSourceFile(ctx);
      const fn = file && topLevelFunction(file, ctx.service.camelName);
      report({ messageId: "infraNoHealth", path: infra, ...(fn ? nodePosition(fn) : { line: 1, column: 1 }) });
    } else if (!declared.some((d) => d.value.replace(/[?#].*$/, "") === HEALTH_PATH)) {
      // A query string (`/healthz?probe=alb`) still reaches the route.
      for (const d of declared) report({ messageId: "infraWrongPath", data: { value: d.value }, path: d.path, line: d.line, column: d.column });
    }
    if (declared && declared.length > 0) {
      for (const lb of checks.loadBalancersWithoutHealth) report({ messageId: "loadBalancerNoHealth", path: lb.path, line: lb.line, column: lb.column });
    }
  },
});
