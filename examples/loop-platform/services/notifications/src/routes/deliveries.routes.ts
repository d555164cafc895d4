import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import * as scopes from "@platform/scopes";
import { requireScope as scope } from "@platform/scopes";
import type { DeliveryService } from "../services/delivery.service";

const listDeliveries = createRoute({
  method: "get",
  path: "/deliveries",
  middleware: [scope(scopes.SCOPES.READ_NOTIFICATIONS)] as const,
  responses: { 200: { description: "OK" } },
});

const retryDelivery = createRoute({
  method: "post",
  path: "/deliveries/{deliveryId}/retry",
  middleware: [scopes.requireScope(scopes.SCOPES.WRITE_NOTIFICATIONS)] as const,
  request: { params: z.object({ deliveryId: z.string() }) },
  responses: { 202: { description: "Accepted" } },
});

export function deliveryRoutes(svc: DeliveryService) {
  // basePath: every route below is served under /v1/notifications.
  return new OpenAPIHono()
    .basePath("/v1/notifications")
    .openapi(listDeliveries, async (c) => c.json(await svc.list(c.get("auth")!.brand_id), 200))
    .openapi(retryDelivery, async (c) => {
      await svc.retry(c.req.valid("param").deliveryId, c.get("auth")!.brand_id);
      return c.body(null, 202);
    });
}
