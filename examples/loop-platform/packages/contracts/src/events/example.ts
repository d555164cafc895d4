import { z } from "zod";

export const ExampleCreatedV1 = z.object({ id: z.string(), brand_id: z.string() });
