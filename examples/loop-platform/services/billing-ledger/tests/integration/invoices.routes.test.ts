import { describe, it } from "vitest";

describe("invoice routes", () => {
  it.todo("creates an invoice and publishes billing.invoice.created.v1");
});
