import { describe, expect, it } from "vitest";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { exampleFiles } from "../helpers/example-repo.js";

describe("gitTreeSha", () => {
  it("matches the tree sha git computed for the example's services/*/src (recorded in the AI overviews)", async () => {
    const files = exampleFiles();
    const snapshot = new MemorySnapshot({ files });
    for (const service of ["billing-ledger", "notifications"]) {
      const recorded = /source_tree: ([0-9a-f]{40})/.exec(files[`docs/ai-overview/${service}.md`]!)![1];
      expect(await snapshot.treeSha(`services/${service}/src`)).toBe(recorded);
    }
  });

  it("changes when a file under the folder changes", async () => {
    const files = exampleFiles();
    const before = await new MemorySnapshot({ files }).treeSha("services/billing-ledger/src");
    files["services/billing-ledger/src/index.ts"] += "\n";
    expect(await new MemorySnapshot({ files }).treeSha("services/billing-ledger/src")).not.toBe(before);
  });
});
