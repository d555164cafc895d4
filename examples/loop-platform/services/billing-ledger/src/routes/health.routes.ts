import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";

export function createHealthRoutes(): OpenAPIHono {
  const app = new OpenAPIHono();
  app.openapi(
    createRoute({
      method: "get",
      path: "/healthz",
      responses: { 200: { description: "OK", content: { "application/json": { schema: z.object({ ok: z.boolean() }) } } } },
    }),
    (c) => c.json({ ok: true }, 200),
  );
  return app;
}
