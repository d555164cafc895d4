import { z } from "zod";

export const InvoiceCreatedV1 = z.object({
  id: z.string().uuid(),
  brand_id: z.string(),
  amount_cents: z.number().int(),
});
