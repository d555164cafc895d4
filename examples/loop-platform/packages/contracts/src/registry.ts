import type { ZodType } from "zod";
import { InvoiceCreatedV1 } from "./events/billing";
import { ExampleCreatedV1 } from "./events/example";
import { EmailSentV1 } from "./events/notifications";

export const EVENT_SCHEMAS = {
  "example.created.v1": ExampleCreatedV1,
  "billing.invoice.created.v1": InvoiceCreatedV1,
  "notifications.email.sent.v1": EmailSentV1,
} as const satisfies Record<string, ZodType>;

export type EventName = keyof typeof EVENT_SCHEMAS;
