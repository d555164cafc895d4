import { describe, expect, it } from "vitest";
import { WhereaboutsBoard } from "../../src/engine/isolation/whereabouts.js";

describe("WhereaboutsBoard", () => {
  it("starts empty, then tells the last file, rule and service noted", () => {
    const board = WhereaboutsBoard.create();
    expect(board.read()).toEqual({});
    board.path = "services/billing/src/a.ts";
    board.rule("sdk-drift", "billing");
    board.path = "services/billing/src/b.ts";
    expect(board.read()).toEqual({ path: "services/billing/src/b.ts", rule: "sdk-drift", service: "billing" });
    board.rule("changeset-valid", null);
    expect(board.read()).toEqual({ path: "services/billing/src/b.ts", rule: "changeset-valid", service: null });
  });

  it("is shared through its buffer, as the worker and the main thread share it", () => {
    const main = WhereaboutsBoard.create();
    const worker = new WhereaboutsBoard(main.buffer);
    worker.path = "docs/ünïcödé.md";
    worker.rule("docs-dead-links", null);
    expect(main.read()).toEqual({ path: "docs/ünïcödé.md", rule: "docs-dead-links", service: null });
  });

  it("cuts an overlong path at a character boundary instead of overflowing", () => {
    const board = WhereaboutsBoard.create();
    board.path = `${"a".repeat(2047)}é-and-more`;
    expect(board.read().path).toBe("a".repeat(2047));
    board.path = "short.ts";
    expect(board.read().path).toBe("short.ts");
  });
});
