// Runs a Node process and measures it from the outside: wall time and peak resident memory.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ChildRun {
  ms: number;
  /** Peak resident set size of the process, in MB (worker threads included: they share the process). */
  peakRssMb: number;
  /** CPU time of the process, user plus system, every thread (on a loaded machine, steadier than wall time). */
  cpuMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

let preload: string | undefined;

/** A preload that writes the process's peak RSS and CPU time to $BENCH_RSS_FILE as it exits, however it exits. */
function rssPreload(): string {
  if (!preload) {
    const dir = mkdtempSync(join(tmpdir(), "pc-bench-rss-"));
    preload = join(dir, "rss.mjs");
    writeFileSync(
      preload,
      'import { writeFileSync } from "node:fs";\nprocess.on("exit", () => { const u = process.resourceUsage(); writeFileSync(process.env.BENCH_RSS_FILE, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}`); });\n',
    );
  }
  return preload;
}

export async function runNode(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ChildRun> {
  const rssFile = join(tmpdir(), `pc-bench-rss-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ["--import", rssPreload(), ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, BENCH_RSS_FILE: rssFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (d: Buffer) => stdout.push(d));
  child.stderr.on("data", (d: Buffer) => stderr.push(d));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let peakRssMb = Number.NaN;
  let cpuMs = Number.NaN;
  try {
    const [rssKb, cpuMicros] = readFileSync(rssFile, "utf8").split(" ").map(Number);
    peakRssMb = rssKb! / 1024;
    cpuMs = cpuMicros! / 1000;
    rmSync(rssFile);
  } catch {
    // the process died before writing it
  }
  return { ms, peakRssMb, cpuMs, code, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") };
}
