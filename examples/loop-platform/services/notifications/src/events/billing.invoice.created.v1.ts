import type { EventHandler } from "@platform/events";
import { db } from "../db/client";
import { DeliveryRepository } from "../db/delivery.repository";
import { DeliveryService } from "../services/delivery.service";

const service = new DeliveryService(new DeliveryRepository(db));

async function onInvoiceCreated(event: { brand_id: string; id: string }) {
  await service.send("invoice-created", `billing+${event.id}@loop.health`, event.brand_id);
}

export { onInvoiceCreated as handler };
export type Handler = EventHandler<"billing.invoice.created.v1">;
