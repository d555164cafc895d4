import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/engine/config.js";
import { CheckBudgetExceeded, CheckPool } from "../../src/engine/isolation/run-isolated.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { runChecks } from "../../src/engine/run.js";
import { SnapshotReadError, type RepoSnapshot } from "../../src/engine/snapshot.js";
import { RULES } from "../../src/rules/index.js";
import { exampleFiles } from "../helpers/example-repo.js";

const pool = new CheckPool({ threads: 1, budgetMs: 60_000 });
afterAll(() => pool.close());

/** A snapshot whose read of one path never answers: the check stalls on that file. */
function stallingOn(path: string, inner: RepoSnapshot): RepoSnapshot {
  return {
    changedFiles: inner.changedFiles,
    listFiles: () => inner.listFiles(),
    readFile: (p) => (p === path ? new Promise<never>(() => {}) : inner.readFile(p)),
    readBaseFile: (p) => inner.readBaseFile(p),
    treeSha: (d) => inner.treeSha(d),
  };
}

// Each test may start a worker, which loads the engine from its sources.
describe("runChecksIsolated", { timeout: 120_000 }, () => {
  it("gives in a worker the report the engine gives in this thread", async () => {
    const snapshot = new MemorySnapshot({ files: exampleFiles() });
    const isolated = await pool.run(snapshot, DEFAULT_CONFIG);
    const inProcess = await runChecks({ snapshot, config: DEFAULT_CONFIG, rules: RULES });
    expect(isolated).toEqual(inProcess);
    expect(isolated.services).toEqual(["billing-ledger", "notifications"]);
  });

  it("brings a failed read back as the snapshot's own SnapshotReadError, not as rule crashes", async () => {
    const failure = new SnapshotReadError("services/billing-ledger/service.yaml", "GitHub answered 502 Bad Gateway", true);
    const snapshot = new MemorySnapshot({ files: exampleFiles(), failingReads: { [failure.path]: failure } });
    const error = await pool.run(snapshot, DEFAULT_CONFIG).catch((e: unknown) => e);
    expect(error).toBe(failure);
    expect(error).toMatchObject({ path: failure.path, reason: failure.reason, retryable: true });
  });

  it("terminates a check past its time budget, names the file it was reading, and the pool keeps working", async () => {
    const quick = new CheckPool({ threads: 1, budgetMs: 3_000 });
    try {
      const stalled = stallingOn("services/notifications/README.md", new MemorySnapshot({ files: exampleFiles() }));
      const error = await quick.run(stalled, DEFAULT_CONFIG).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckBudgetExceeded);
      expect((error as Error).message).toMatch(/^the check ran out of its 3-second time budget while reading services\/notifications\/README\.md \(rule [a-z-]+, service notifications\)$/);
      const next = await quick.run(new MemorySnapshot({ files: { "README.md": "# Monorepo\n" } }), DEFAULT_CONFIG);
      expect(next).toMatchObject({ conclusion: "success", services: [] });
    } finally {
      await quick.close();
    }
  });
});
