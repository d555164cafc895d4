import { describe, expect, it } from "vitest";
import { frontMatterAt } from "../../src/analysis/front-matter.js";
import { DEFAULT_CONFIG } from "../../src/engine/config.js";
import { RepoContext } from "../../src/engine/context.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";

const contextWith = (files: Record<string, string>) => new RepoContext(new MemorySnapshot({ files }), DEFAULT_CONFIG, [], [], []);

describe("frontMatterAt", () => {
  it("positions keys and values in the Markdown file", async () => {
    const ctx = contextWith({ "a.md": "---\ndisplay_name: A\nowner:   \"@x\"\n---\n\n# A\n" });
    const front = (await frontMatterAt(ctx, "a.md"))!;
    expect(front.data).toEqual({ display_name: "A", owner: "@x" });
    expect(front.positionOf("owner")).toEqual({ line: 3, column: 1 });
    expect(front.valuePositionOf("owner")).toEqual({ line: 3, column: 10 });
    expect(front.valuePositionOf("team")).toEqual({ line: 1, column: 1 });
  });

  it("tells a missing file (undefined) from a file without front matter (null)", async () => {
    const ctx = contextWith({ "a.md": "# A\n\n---\nnot: front matter\n---\n" });
    expect(await frontMatterAt(ctx, "a.md")).toBeNull();
    expect(await frontMatterAt(ctx, "b.md")).toBeUndefined();
  });

  it("positions a YAML error in the Markdown file", async () => {
    const ctx = contextWith({ "a.md": "---\nok: 1\nbad: [1, 2\n---\n" });
    const front = (await frontMatterAt(ctx, "a.md"))!;
    expect(front.data).toBeUndefined();
    expect(front.syntaxError?.line).toBeGreaterThanOrEqual(3);
  });
});
