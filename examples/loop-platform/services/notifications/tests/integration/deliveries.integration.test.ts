import { describe, it } from "vitest";

describe("deliveries (integration)", () => {
  it.todo("covers the integration bucket");
});
