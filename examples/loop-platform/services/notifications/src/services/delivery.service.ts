import * as contracts from "@platform/contracts";
import * as events from "@platform/events";
import type { DeliveryRepository } from "../db/delivery.repository";

export class DeliveryService {
  constructor(private readonly repo: DeliveryRepository) {}

  list(brandId: string) {
    return this.repo.list(brandId);
  }

  async retry(deliveryId: string, brandId: string) {
    await this.repo.markPending(deliveryId, brandId);
  }

  async send(template: string, recipient: string, brandId: string) {
    await this.repo.db().transaction(async (tx) => {
      const delivery = await this.repo.insert({ template, recipient, brandId }, tx);
      await events.publishEvent(
        contracts.EVENT_NAMES.NOTIFICATIONS_EMAIL_SENT_V1,
        { id: delivery.id, brand_id: brandId, template },
        { tx },
      );
    });
  }
}
