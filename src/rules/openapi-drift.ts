import { openApiDocument, serviceSpecPath, type OpenApiOperation } from "../analysis/openapi-document.js";
import { describeRoute, serviceRoutes, type ExtractedRoute } from "../analysis/hono/routes.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "openapi-drift",
    defaultSeverity: "error",
    title: "openapi.yaml lists exactly the routes the code declares",
    messages: {
      specMissing:
        "{{spec}} does not exist. Generate it with `pnpm --filter @services/{{service}} openapi:gen` and commit it (guide step 7), or fix `contracts.openapi` in service.yaml.",
      specUnparseable: "{{spec}} is not valid YAML ({{problem}}). Regenerate it with `pnpm --filter @services/{{service}} openapi:gen`.",
      specNoPaths: "{{spec}} has no `paths` mapping, so it lists none of the service's routes. Regenerate it with `pnpm --filter @services/{{service}} openapi:gen`.",
      routeMissingFromSpec:
        "{{route}} is declared here but missing from {{spec}}. Regenerate the spec with `pnpm --filter @services/{{service}} openapi:gen` and commit it.",
      paramNamesDiffer:
        "{{route}} names its path parameters {{codeParams}}, but {{spec}} lists this operation as `{{specPath}}` ({{specParams}}). Regenerate the spec with `pnpm --filter @services/{{service}} openapi:gen`.",
      operationWithoutRoute:
        "{{spec}} lists {{operation}}, but no route in the code declares it. Remove it by regenerating the spec (`pnpm --filter @services/{{service}} openapi:gen`), or add the route.",
      operationUndecidable:
        "{{spec}} lists {{operation}} and no route read from the code declares it, but {{construct}} cannot be read statically and may be that route. Give it a static path so the spec can be compared.",
      routeUndecidable:
        "{{route}} cannot be compared with {{spec}}: {{construct}} cannot be resolved statically. Use a static path (a string literal or a local const) so the spec can be checked.",
    },
  },
  async check(ctx, report) {
    const { path: specPath, declaredAt } = await serviceSpecPath(ctx);
    const doc = await openApiDocument(ctx.repo, specPath);
    const base = { spec: specPath, service: ctx.service.name };
    if (doc.text === undefined) {
      report({ messageId: "specMissing", data: base, ...(declaredAt ?? { path: specPath }) });
      return;
    }
    if (doc.syntaxError) {
      report({ messageId: "specUnparseable", data: { ...base, problem: doc.syntaxError.message }, path: specPath, line: doc.syntaxError.line, column: doc.syntaxError.column });
      return;
    }
    const paths = (doc.data as Record<string, unknown> | null | undefined)?.["paths"];
    if (!paths || typeof paths !== "object" || Array.isArray(paths)) {
      report({ messageId: "specNoPaths", data: base, path: specPath, ...doc.locate(["paths"]).position });
      return;
    }

    const { routes, opaque } = await serviceRoutes(ctx);
    const known = routes.filter((r): r is ExtractedRoute & { method: string; path: { value: string } } => r.method !== undefined && "value" in r.path);

    // Code → spec: every typed route must be in the spec (plain app.get routes cannot be; openapi-route-typed warns about them).
    for (const route of routes) {
      if (!route.typed || route.hidden) continue; // `hide: true` routes are left out of the generated document
      if (route.method === undefined || !("value" in route.path)) {
        const construct = route.routeUndecidable ?? ("undecidable" in route.path ? route.path.undecidable : undefined);
        report({ messageId: "routeUndecidable", severity: "warning", data: { ...base, route: describeRoute(route), construct: construct?.construct ?? "the route" }, ...route.at });
        continue;
      }
      const shape = shapeOf(route.path.value);
      const match = doc.operations.find((op) => sameMethod(route.method!, op.method) && shapeOf(op.path).key === shape.key);
      if (!match) {
        report({ messageId: "routeMissingFromSpec", data: { ...base, route: describeRoute(route) }, ...route.at });
        continue;
      }
      const specParams = shapeOf(match.path).params;
      if (specParams.join() !== shape.params.join()) {
        report({
          messageId: "paramNamesDiffer",
          data: { ...base, route: describeRoute(route), codeParams: listParams(shape.params), specPath: match.path, specParams: listParams(specParams) },
          ...route.at,
        });
      }
    }

    // Spec → code: every operation must have a route (typed or not: a hand-documented plain route is still a route).
    const uncertain = [
      ...routes.flatMap((r) => (r.routeUndecidable ? [r.routeUndecidable] : "undecidable" in r.path ? [r.path.undecidable] : [])),
      ...opaque,
    ];
    for (const op of doc.operations) {
      if (known.some((r) => sameMethod(r.method, op.method) && shapeOf(r.path.value).key === shapeOf(op.path).key)) continue;
      const operation = `${op.method.toUpperCase()} ${op.path}`;
      const maybe = uncertain[0];
      if (maybe) {
        report({ messageId: "operationUndecidable", severity: "warning", data: { ...base, operation, construct: `${maybe.construct} (${maybe.path}:${maybe.line})` }, ...at(specPath, op) });
      } else {
        report({ messageId: "operationWithoutRoute", data: { ...base, operation }, ...at(specPath, op) });
      }
    }
  },
});

function at(path: string, op: OpenApiOperation) {
  return { path, line: op.line, column: op.column };
}

function sameMethod(code: string, spec: string): boolean {
  return code === "all" || code === spec;
}

/**
 * A path's shape for comparison: literal segments as written, every parameter
 * (`:id`, `:id{[0-9]+}`, `:id?`, `{id}`) as a placeholder. Parameter names are
 * then compared positionally: `/x/:id` ≡ `/x/{id}`, and `/x/:id` vs `/x/{invoiceId}`
 * is the same route with a renamed parameter.
 */
export function shapeOf(path: string): { key: string; params: string[] } {
  const params: string[] = [];
  const key = path
    .split("/")
    .map((segment) => {
      const hono = /^:([A-Za-z0-9_]+)(?:\{.*\})?\??$/.exec(segment);
      const openapi = /^\{([^}]+)\}$/.exec(segment);
      const name = hono?.[1] ?? openapi?.[1];
      if (name === undefined) return segment;
      params.push(name);
      return "{}";
    })
    .join("/");
  return { key, params };
}

function listParams(params: readonly string[]): string {
  return params.length ? params.map((p) => `\`${p}\``).join(", ") : "none";
}
