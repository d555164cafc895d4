import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/engine/config.js";
import { CheckPool } from "../../src/engine/isolation/run-isolated.js";
import type { PrefetchedTexts, TextPrefetching } from "../../src/engine/isolation/snapshot-channel.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { runChecks } from "../../src/engine/run.js";
import { SnapshotReadError, type ChangedFile, type RepoSnapshot, type SnapshotPrefetch } from "../../src/engine/snapshot.js";
import { RULE_IDS, RULES } from "../../src/rules/index.js";
import { exampleFiles } from "../helpers/example-repo.js";

const pool = new CheckPool({ threads: 1, budgetMs: 60_000 });
afterAll(() => pool.close());

/**
 * A snapshot that hands over its prefetched texts, as the working tree does:
 * all of them but `withheld`, which the worker must then ask for one by one.
 * It records what the main thread was asked.
 */
class ShippingSnapshot implements RepoSnapshot, TextPrefetching {
  readonly reads: string[] = [];
  readonly baseReads: string[] = [];
  readonly prefetches: SnapshotPrefetch[] = [];

  constructor(
    private readonly inner: RepoSnapshot,
    private readonly withheld: ReadonlySet<string> = new Set(),
    private readonly failPrefetch?: Error,
  ) {}

  get changedFiles(): readonly ChangedFile[] | undefined {
    return this.inner.changedFiles;
  }
  listFiles(): readonly string[] {
    return this.inner.listFiles();
  }
  readFile(path: string): Promise<string | undefined> {
    this.reads.push(path);
    return this.inner.readFile(path);
  }
  readBaseFile(path: string): Promise<string | undefined> {
    this.baseReads.push(path);
    return this.inner.readBaseFile(path);
  }
  treeSha(dir: string): Promise<string | undefined> {
    return this.inner.treeSha(dir);
  }
  async prefetchTexts(files: SnapshotPrefetch): Promise<PrefetchedTexts> {
    this.prefetches.push(files);
    if (this.failPrefetch) throw this.failPrefetch;
    const head = new Map<string, string | undefined>();
    for (const path of files.head) if (!this.withheld.has(path)) head.set(path, await this.inner.readFile(path));
    // No base: every base file is known absent.
    return { head, base: new Map(files.base.map((path) => [path, undefined])) };
  }
}

// Each test may start a worker, which loads the engine from its sources.
describe("prefetched texts shipped to the worker", { timeout: 120_000 }, () => {
  it("gives the engine's report, asking the main thread only for what the prefetch left out", async () => {
    const withheld = "services/notifications/README.md";
    const snapshot = new ShippingSnapshot(new MemorySnapshot({ files: exampleFiles() }), new Set([withheld]));
    const report = await pool.run(snapshot, DEFAULT_CONFIG);
    expect(report).toEqual(await runChecks({ snapshot: new MemorySnapshot({ files: exampleFiles() }), config: DEFAULT_CONFIG, rules: RULES }));

    expect(snapshot.prefetches).toHaveLength(1);
    const shipped = new Set(snapshot.prefetches[0]!.head.filter((path) => path !== withheld));
    expect(shipped.size).toBeGreaterThan(20);
    expect(snapshot.reads).toContain(withheld);
    expect(snapshot.reads.filter((path) => shipped.has(path))).toEqual([]);
    // Base files shipped as absent are not asked for either.
    expect(snapshot.baseReads).toEqual([]);
  });

  it("brings back the snapshot's own error when a read the prefetch left out fails", async () => {
    const path = "services/billing-ledger/service.yaml";
    const failure = new SnapshotReadError(path, "GitHub answered 502 Bad Gateway", true);
    const inner = new MemorySnapshot({ files: exampleFiles(), failingReads: { [path]: failure } });
    const error = await pool.run(new ShippingSnapshot(inner, new Set([path])), DEFAULT_CONFIG).catch((e: unknown) => e);
    expect(error).toBe(failure);
  });

  it("brings back the snapshot's own error when the prefetch itself fails", async () => {
    const failure = new SnapshotReadError("(the files the rules read, fetched together)", "GitHub answered 502 Bad Gateway", true);
    const snapshot = new ShippingSnapshot(new MemorySnapshot({ files: exampleFiles() }), new Set(), failure);
    const error = await pool.run(snapshot, DEFAULT_CONFIG).catch((e: unknown) => e);
    expect(error).toBe(failure);
  });

  it("tells the rule ids from the worker, so a caller need not load the rules", async () => {
    expect(await pool.ruleIds()).toEqual(RULE_IDS);
  });
});
