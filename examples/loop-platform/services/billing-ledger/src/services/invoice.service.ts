import { EVENT_NAMES } from "@platform/contracts";
import { publishEvent as publish } from "@platform/events";
import type { InvoiceRepository } from "../db/invoice.repository";

export interface CreateInvoiceInput {
  amount_cents: number;
}

export class InvoiceService {
  constructor(private readonly repo: InvoiceRepository) {}

  list(brandId: string) {
    return this.repo.listByBrand(brandId);
  }

  findById(id: string, brandId: string) {
    return this.repo.findById(id, brandId);
  }

  async create(input: CreateInvoiceInput, brandId: string) {
    return this.repo.db().transaction(async (tx) => {
      const row = await this.repo.create({ amountCents: input.amount_cents, brandId }, tx);
      await publish(
        EVENT_NAMES.BILLING_INVOICE_CREATED_V1,
        { id: row.id, brand_id: brandId, amount_cents: row.amountCents },
        { tx },
      );
      return row;
    });
  }
}
