// A pull request is hostile input (issue 8). One case per item, each run through the real engine
// worker under a short time budget: a parser that backtracks again fails fast with
// CheckBudgetExceeded instead of hanging the suite, and the test process outlives every case.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { ConfigError, DEFAULT_CONFIG, parseConfig } from "../../src/engine/config.js";
import { CheckBudgetExceeded, CheckPool } from "../../src/engine/isolation/run-isolated.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import type { CheckReport } from "../../src/engine/run.js";
import { SnapshotReadError, type RepoSnapshot } from "../../src/engine/snapshot.js";
import { WorkingTreeSnapshot } from "../../src/local/working-tree-snapshot.js";
import {
  aliasedObjectBomb,
  changesetNewlines,
  longConcatenation,
  nestedImages,
  nestedQuotes,
  serviceFiles,
  unclosedHtmlTags,
  yamlAliasBomb,
} from "./inputs.js";

/** Far above what any of these checks needs once bounded; far below what the unbounded parsers took (minutes). */
const BUDGET_MS = 15_000;
const pool = new CheckPool({ threads: 1, budgetMs: BUDGET_MS });
const temps: string[] = [];
afterAll(async () => {
  await pool.close();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Runs every rule on the snapshot in a worker; a budget overrun fails the test with its named message. */
async function check(snapshot: RepoSnapshot): Promise<CheckReport> {
  return pool.run(snapshot, DEFAULT_CONFIG);
}

const findingsOn = (report: CheckReport, path: string) => report.findings.filter((f) => f.path === path).map((f) => `${f.severity} ${f.rule}: ${f.message}`);

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "platform-checks-hostile-"));
  temps.push(dir);
  return dir;
}

function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

// Each case may start the pool's worker (loading the engine from its sources) before its own clock starts.
describe("hostile input", { timeout: 120_000 }, () => {
  describe("item 2: bounded parsing", () => {
    it("a changeset of 20,000 newlines around `---` is a changeset-valid finding, in bounded time", async () => {
      const report = await check(new MemorySnapshot({ files: { ...serviceFiles(), ".changeset/hostile.md": changesetNewlines(10_000) } }));
      expect(findingsOn(report, ".changeset/hostile.md")).toEqual([
        expect.stringMatching(/^error changeset-valid: .*front matter/),
      ]);
    });

    it("30 KB of nested images is an input-limits finding on that file, not a minute of parsing", async () => {
      const readme = "services/ledger/README.md";
      const report = await check(new MemorySnapshot({ files: { ...serviceFiles(), [readme]: nestedImages(5_000) } }));
      expect(findingsOn(report, readme)).toContainEqual(
        `error input-limits: ${readme} nests links and images more than 32 levels deep, so it was not analysed and no rule checked it. Flatten it (no hand-written file nests this deep).`,
      );
    });

    it("10,000 nested block quotes are an input-limits finding on that file, not a rule crash", async () => {
      const runbook = "services/ledger/RUNBOOK.md";
      const report = await check(new MemorySnapshot({ files: { ...serviceFiles(), [runbook]: nestedQuotes(10_000) } }));
      expect(findingsOn(report, runbook)).toContainEqual(expect.stringMatching(/^error input-limits: .* nests block quotes more than 100 levels deep/));
      expect(report.ruleRuns.filter((r) => r.crashed)).toEqual([]);
    });

    it("an 8,000-term string concatenation is an input-limits finding on that file, not a rule crash", async () => {
      const entry = "services/ledger/src/index.ts";
      const report = await check(new MemorySnapshot({ files: { ...serviceFiles(), [entry]: longConcatenation(8_000) } }));
      expect(findingsOn(report, entry)).toContainEqual(expect.stringMatching(/^error input-limits: .* nests expressions more than 500 levels deep/));
      expect(report.ruleRuns.filter((r) => r.crashed)).toEqual([]);
    });

    it("a YAML alias bomb in service.yaml is a finding on that file; the check completes", async () => {
      const path = "services/ledger/service.yaml";
      const report = await check(new MemorySnapshot({ files: { ...serviceFiles(), [path]: yamlAliasBomb() } }));
      expect(findingsOn(report, path)).toEqual([expect.stringMatching(/^error service-yaml-required: service\.yaml is not valid YAML: its aliases expand too far/)]);
    });

    it("a YAML alias bomb in .github/platform-checks.yml is a config error naming the file (CLI and bot loaders)", async () => {
      const dir = tempDir();
      writeTree(dir, { ...serviceFiles(), ".github/platform-checks.yml": yamlAliasBomb() });
      let stderr = "";
      const code = await main(["check", "--repo", dir], { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, cwd: dir });
      expect(code).toBe(2);
      expect(stderr).toMatch(/^platform-checks: \.github\/platform-checks\.yml is invalid: line 1, column 1: its aliases expand too far/);
      // The bot's loader shares aliased nodes: validation would walk 9^12 values.
      expect(() => parseConfig(aliasedObjectBomb())).toThrow(ConfigError);
      expect(() => parseConfig(aliasedObjectBomb())).toThrow(/\.github\/platform-checks\.yml is invalid: \(top level\): it expands to more than 10000 values/);
    });

    it("invalid UTF-8 in service.yaml is a finding, not silently replaced", async () => {
      const dir = tempDir();
      const files = serviceFiles();
      const yaml = Buffer.concat([Buffer.from("name: ledger\ndisplay_name: Led"), Buffer.from([0xff, 0xfe]), Buffer.from("ger\n")]);
      writeTree(dir, { ...files, "services/ledger/service.yaml": yaml });
      const report = await check(await WorkingTreeSnapshot.open(dir));
      expect(findingsOn(report, "services/ledger/service.yaml")).toEqual([
        "error service-yaml-required: service.yaml is not valid YAML: the file is not valid UTF-8 (save it as UTF-8; U+FFFD marks where a byte sequence is not)",
      ]);
    });

    it("a file over its kind's size limit is skipped with a notice naming it and the limit", async () => {
      const big = "services/ledger/src/generated.ts";
      const report = await check(new MemorySnapshot({ files: { ...serviceFiles(), [big]: `export const data = "${"x".repeat(2 * 1024 * 1024)}";\n` } }));
      expect(findingsOn(report, big)).toEqual([
        `notice input-limits: ${big} is 2 MB, over the 1 MB limit for TypeScript files, so it was not read and no rule checked it. Split the file, or move generated data out of the repository.`,
      ]);
    });

    it("100 KB of unclosed HTML tags: links still checked, in bounded time", async () => {
      const readme = "services/ledger/README.md";
      const report = await check(new MemorySnapshot({ files: { ...serviceFiles(), [readme]: unclosedHtmlTags(6_000) } }));
      expect(findingsOn(report, readme).filter((f) => f.includes("docs-dead-links")).length).toBeGreaterThan(0);
    });
  });

  describe("item 6: reads that stay inside the repository", () => {
    it("service.yaml and a migration linked to /etc/passwd and /proc/self/environ are never read or quoted", async () => {
      const dir = tempDir();
      writeTree(dir, serviceFiles());
      rmSync(join(dir, "services/ledger/service.yaml"));
      symlinkSync("/etc/passwd", join(dir, "services/ledger/service.yaml"));
      mkdirSync(join(dir, "services/ledger/migrations"), { recursive: true });
      symlinkSync("/proc/self/environ", join(dir, "services/ledger/migrations/0001_init.sql"));
      execFileSync("git", ["init", "-q"], { cwd: dir });
      execFileSync("git", ["add", "-A"], { cwd: dir });
      let out = "";
      const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) }, cwd: dir };
      await main(["check", "--repo", dir, "--format", "json"], io);
      expect(out).not.toMatch(/root:.*:0:0:/);
      expect(out).not.toContain(process.env.PATH!);
      // What is read is the link's own text, as git stores it.
      const snapshot = await WorkingTreeSnapshot.open(dir);
      expect(await snapshot.readFile("services/ledger/service.yaml")).toBe("/etc/passwd");
    });
  });

  describe("item 4: folders that cannot be checked", () => {
    it("a hidden folder and a submodule under services/ are reported, not skipped", async () => {
      const files = { ...serviceFiles(), "services/.shadow/src/index.ts": "export const app = 1;\n" };
      const report = await check(new MemorySnapshot({ files, submodules: ["services/payments"] }));
      expect(report.findings.filter((f) => f.rule === "service-folders").map((f) => [f.severity, f.path])).toEqual([
        ["error", "services/.shadow"],
        ["error", "services/payments"],
      ]);
    });
  });

  describe("engine findings in every output format", () => {
    // Markdown (the comment's renderer) leaves notices to the check run, so the skipped file's notice is not there.
    it.each(["text", "json", "sarif"])("--format %s renders input-limits and service-folders findings", async (format) => {
      const dir = tempDir();
      writeTree(dir, { ...serviceFiles(), "services/.shadow/index.ts": "export {};\n", "services/ledger/docs/huge.md": "word ".repeat(120_000) });
      let stdout = "";
      const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd: dir };
      expect(await main(["check", "--repo", dir, "--all", "--format", format], io)).toBe(1);
      expect(stdout).toContain("input-limits");
      expect(stdout).toContain("service-folders");
    });
  });

  describe("item 7: failures named for what they are", () => {
    it("a read that fails aborts the check with the snapshot's own error, not per-rule internal errors", async () => {
      const failure = new SnapshotReadError("services/ledger/README.md", "GitHub answered 502 Bad Gateway", true);
      const error = await check(new MemorySnapshot({ files: serviceFiles(), failingReads: { [failure.path]: failure } })).catch((e: unknown) => e);
      expect(error).toBe(failure);
    });
  });

  describe("item 1: the engine in a worker", () => {
    it("a check that stalls on a file ends as a named time-budget failure; the pool and this process carry on", async () => {
      const quick = new CheckPool({ threads: 1, budgetMs: 2_000 });
      try {
        const inner = new MemorySnapshot({ files: serviceFiles() });
        const stalled: RepoSnapshot = {
          changedFiles: undefined,
          listFiles: () => inner.listFiles(),
          readFile: (p) => (p === "services/ledger/README.md" ? new Promise<never>(() => {}) : inner.readFile(p)),
          readBaseFile: (p) => inner.readBaseFile(p),
          treeSha: (d) => inner.treeSha(d),
        };
        const error = await quick.run(stalled, DEFAULT_CONFIG).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CheckBudgetExceeded);
        expect((error as Error).message).toMatch(/^the check ran out of its 2-second time budget while reading services\/ledger\/README\.md/);
        expect((await quick.run(new MemorySnapshot({ files: serviceFiles() }), DEFAULT_CONFIG)).services).toEqual(["ledger"]);
      } finally {
        await quick.close();
      }
    });

    it("a check that blows its heap ends as a named memory-budget failure; the pool and this process carry on", async () => {
      const small = new CheckPool({ threads: 1, heapMb: 160, budgetMs: 120_000 });
      try {
        // Each file is under the Markdown size limit; together their syntax trees outgrow the heap.
        const links = "[a](./README.md)\n".repeat(28_000);
        const files: Record<string, string> = serviceFiles();
        for (let i = 0; i < 40; i++) files[`services/ledger/docs/page-${String(i).padStart(2, "0")}.md`] = links;
        const error = await small.run(new MemorySnapshot({ files }), DEFAULT_CONFIG).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CheckBudgetExceeded);
        expect((error as Error).message).toMatch(/^the check ran out of its 160 MB memory budget while reading services\/ledger\/docs\/page-\d\d\.md/);
        expect((await small.run(new MemorySnapshot({ files: serviceFiles() }), DEFAULT_CONFIG)).services).toEqual(["ledger"]);
      } finally {
        await small.close();
      }
    });
  });
});
