// Engine versus floor: `check --all` on synthetic monorepos against parsing the same files once.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_CONFIG } from "../engine/config.js";
import { MemorySnapshot } from "../engine/memory-snapshot.js";
import { runChecks } from "../engine/run.js";
import type { ChangedFile, RepoSnapshot } from "../engine/snapshot.js";
import { RULES } from "../rules/index.js";
import { runNode } from "./child.js";
import { loadFloorParsers, parseAll } from "./floor.js";
import { median } from "./figures.js";
import { projectRoot, syntheticMonorepo, writeFiles } from "./synthetic.js";

/** Counts the distinct files the rules read. */
export class CountingSnapshot implements RepoSnapshot {
  readonly read = new Set<string>();
  constructor(private readonly inner: RepoSnapshot) {}
  get changedFiles(): readonly ChangedFile[] | undefined {
    return this.inner.changedFiles;
  }
  listFiles(): readonly string[] {
    return this.inner.listFiles();
  }
  readFile(path: string): Promise<string | undefined> {
    this.read.add(path);
    return this.inner.readFile(path);
  }
  readBaseFile(path: string): Promise<string | undefined> {
    return this.inner.readBaseFile(path);
  }
  treeSha(dir: string): Promise<string | undefined> {
    return this.inner.treeSha(dir);
  }
}

export interface EngineFloorRow {
  services: number;
  files: number;
  filesRead: number;
  filesParsed: number;
  findings: number;
  /** `node dist/cli/main.js check --all` as a process (start-up and module loading included). */
  cliMs: number[];
  /** The floor as a process: load the parsers, parse every file the rules read once. */
  floorMs: number[];
  /** CPU time (user + system, every thread) of the same processes: steadier than wall time on a shared machine. */
  cliCpuMs: number[];
  floorCpuMs: number[];
  /** In-process, after a warm-up: runChecks versus parsing the same files. */
  warmEngineMs: number[];
  warmFloorMs: number[];
}

export async function engineVersusFloor(example: Record<string, string>, sizes: readonly number[], runs: number, note: (line: string) => void): Promise<EngineFloorRow[]> {
  const cli = join(projectRoot(), "dist/cli/main.js");
  // The floor runs as its own process too; from source (how `npm run bench` runs) Node strips its types.
  const fromSource = import.meta.url.endsWith(".ts");
  const floorArgs = fromSource
    ? ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", fileURLToPath(new URL("./floor.ts", import.meta.url))]
    : [fileURLToPath(new URL("./floor.js", import.meta.url))];
  const parserFor = await loadFloorParsers();
  const rows: EngineFloorRow[] = [];
  for (const size of sizes) {
    const files = syntheticMonorepo(example, size);
    const dir = mkdtempSync(join(tmpdir(), `pc-bench-${size}-`));
    try {
      // Which files the rules read: one in-process check through a counting snapshot.
      const counting = new CountingSnapshot(new MemorySnapshot({ files }));
      const report = await runChecks({ snapshot: counting, config: DEFAULT_CONFIG, rules: RULES });
      const read = new Map([...counting.read].filter((p) => files[p] !== undefined).map((p) => [p, files[p]!]));

      const warmRuns = size <= 50 ? runs : 1;
      const warmEngineMs: number[] = [];
      for (let i = 0; i < warmRuns; i++) {
        const started = process.hrtime.bigint();
        await runChecks({ snapshot: new MemorySnapshot({ files }), config: DEFAULT_CONFIG, rules: RULES });
        warmEngineMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      parseAll(parserFor, read); // warm-up
      const warmFloorMs: number[] = [];
      let filesParsed = 0;
      for (let i = 0; i < warmRuns; i++) {
        const started = process.hrtime.bigint();
        filesParsed = parseAll(parserFor, read).files;
        warmFloorMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      }

      writeFiles(dir, files);
      const list = join(dir, ".bench-read-list");
      writeFileSync(list, [...read.keys()].join("\n"));
      const cliMs: number[] = [];
      const floorMs: number[] = [];
      const cliCpuMs: number[] = [];
      const floorCpuMs: number[] = [];
      for (let i = 0; i < runs; i++) {
        const check = await runNode([cli, "check", "--repo", dir, "--all", "--format", "json"]);
        if (check.code !== 0 && check.code !== 1) throw new Error(`bench: check --all exited ${check.code}\n${check.stderr.slice(-2000)}`);
        cliMs.push(check.ms);
        cliCpuMs.push(check.cpuMs);
        const floor = await runNode([...floorArgs, dir, list]);
        if (floor.code !== 0) throw new Error(`bench: the floor exited ${floor.code}\n${floor.stderr.slice(-2000)}`);
        floorMs.push(floor.ms);
        floorCpuMs.push(floor.cpuMs);
      }
      rows.push({
        services: report.services.length,
        files: Object.keys(files).length,
        filesRead: read.size,
        filesParsed,
        findings: report.findings.length,
        cliMs,
        floorMs,
        cliCpuMs,
        floorCpuMs,
        warmEngineMs,
        warmFloorMs,
      });
      note(`  ${size} services: check --all ${median(cliMs).toFixed(0)} ms, floor ${median(floorMs).toFixed(0)} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

/** Where the time of `check --all` goes: a CPU profile of one run, summarised by package and by function. */
export async function profileCheck(example: Record<string, string>, size: number): Promise<{ byPackage: [string, number][]; byFunction: [string, number][]; totalMs: number }> {
  const files = syntheticMonorepo(example, size);
  const dir = mkdtempSync(join(tmpdir(), `pc-bench-prof-${size}-`));
  const profDir = mkdtempSync(join(tmpdir(), "pc-bench-cpuprof-"));
  try {
    writeFiles(dir, files);
    const cli = join(projectRoot(), "dist/cli/main.js");
    await runNode(["--cpu-prof", "--cpu-prof-dir", profDir, cli, "check", "--repo", dir, "--all", "--format", "json"]);
    return summariseCpuProfiles(profDir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(profDir, { recursive: true, force: true });
  }
}

/** Self time by package and by function over every `.cpuprofile` in `dir` (one per thread). */
export function summariseCpuProfiles(dir: string): { byPackage: [string, number][]; byFunction: [string, number][]; totalMs: number } {
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalMs = 0;
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".cpuprofile"))) {
    const profile = JSON.parse(readFileSync(join(dir, name), "utf8")) as CpuProfile;
    const interval = profile.samples.length > 0 ? (profile.endTime - profile.startTime) / profile.samples.length / 1000 : 0;
    for (const node of profile.nodes) {
      const ms = (node.hitCount ?? 0) * interval;
      if (ms === 0) continue;
      totalMs += ms;
      const where = ownerOf(node.callFrame.url, node.callFrame.functionName);
      byPackage.set(where, (byPackage.get(where) ?? 0) + ms);
      const fn = `${node.callFrame.functionName || "(anonymous)"} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    }
  }
  const top = (m: Map<string, number>, n: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return { byPackage: top(byPackage, 12), byFunction: top(byFunction, 15), totalMs };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples: number[];
  startTime: number;
  endTime: number;
}

/** `node_modules/<package>`, the project's own folder (`src/analysis`), or V8's own buckets (GC, idle, program). */
function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/dist\/(?:[^/]+\/)*?(analysis|rules|engine|report|cli|local|checklist|github|bot)\//.exec(url);
  if (own) return `src/${own[1]}`;
  if (url.startsWith("node:")) return "node: (built-in modules)";
  return url;
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, "$1/");
}
