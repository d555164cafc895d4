import { serve } from "@hono/node-server";
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { db } from "./db/client";
import { DeliveryRepository } from "./db/delivery.repository";
import { deliveryRoutes } from "./routes/deliveries.routes";
import { DeliveryService } from "./services/delivery.service";

const deliveries = new DeliveryService(new DeliveryRepository(db));

const app = new OpenAPIHono()
  .openapi(
    createRoute({ method: "get", path: "/healthz", responses: { 200: { description: "OK" } } }),
    (c) => c.json({ ok: true }, 200),
  )
  .route("/", deliveryRoutes(deliveries));

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8080) });
