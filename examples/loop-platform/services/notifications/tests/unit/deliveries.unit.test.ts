import { describe, it } from "vitest";

describe("deliveries (unit)", () => {
  it.todo("covers the unit bucket");
});
