import { describe, it } from "vitest";

describe("deliveries (conformance)", () => {
  it.todo("covers the conformance bucket");
});
