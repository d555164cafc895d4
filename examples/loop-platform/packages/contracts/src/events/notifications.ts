import { z } from "zod";

export const EmailSentV1 = z.object({
  id: z.string().uuid(),
  brand_id: z.string(),
  template: z.string(),
});
