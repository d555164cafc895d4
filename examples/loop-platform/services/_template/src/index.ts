import { serve } from "@hono/node-server";
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";

const SERVICE_NAME = "<your-service>";
const SCHEMA = "<your_schema>";

const app = new OpenAPIHono();
app.openapi(createRoute({ method: "get", path: "/healthz", responses: { 200: { description: "OK" } } }), (c) =>
  c.json({ ok: true, service: SERVICE_NAME, schema: SCHEMA }, 200),
);

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8080) });
