import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/engine/config.js";
import { serviceInfo } from "../../src/engine/context.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { filesToPrefetch } from "../../src/engine/prefetch.js";
import { computeScope } from "../../src/engine/scope.js";

const files = Object.fromEntries(
  [
    "services/a.b/service.yaml",
    "services/a.b/src/index.ts",
    "services/aXb/service.yaml",
    "services/x+y/service.yaml",
    "services/x+y/src/deep/er.ts",
    "packages/sdk-a.b/src/index.ts",
    "packages/sdk-aXb/src/index.ts",
    "packages/sdk-x+y/package.json",
    "packages/other/src/index.ts",
    "docs/services/a.b.md",
    "docs/services/aXb.md",
    "docs/ai-overview/x+y.md",
    "docs/ai-overview/aXb.md",
    "services/a.b/logo.png",
  ].map((path) => [path, ""]),
);

describe("filesToPrefetch", () => {
  it("takes each in-scope service's own files, SDK package and pages, names matched literally, no other service's", async () => {
    const snapshot = new MemorySnapshot({ files });
    const scope = await computeScope(snapshot, DEFAULT_CONFIG);
    const inScope = { ...scope, services: [serviceInfo("services", "a.b"), serviceInfo("services", "x+y")] };
    const { head, base } = filesToPrefetch(snapshot, DEFAULT_CONFIG, inScope);
    expect(head).toEqual([
      "docs/ai-overview/aXb.md", // every doc page when checking everything: docs-dead-links reads them all
      "docs/ai-overview/x+y.md",
      "docs/services/a.b.md",
      "docs/services/aXb.md",
      "packages/sdk-a.b/src/index.ts",
      "packages/sdk-x+y/package.json",
      "services/a.b/service.yaml",
      "services/a.b/src/index.ts",
      "services/aXb/service.yaml", // every service.yaml: schemas-owned-match compares them all
      "services/x+y/service.yaml",
      "services/x+y/src/deep/er.ts",
    ]);
    expect(base).toEqual(["services/a.b/service.yaml", "services/x+y/service.yaml"]);
  });
});
