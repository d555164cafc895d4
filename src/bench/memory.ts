// Peak memory of a pull-request check on a big monorepo, measured on the CLI process (worker threads included).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runNode } from "./child.js";
import { projectRoot, pullRequest, syntheticMonorepo, syntheticName, writeGitRepo } from "./synthetic.js";

export interface MemoryResult {
  services: number;
  touched: number;
  peakRssMb: number;
  ms: number;
  exitCode: number | null;
}

/** `check --base HEAD~1` on a `services`-service checkout whose last commit touches `touched` services. */
export async function peakMemory(example: Record<string, string>, services: number, touched: number): Promise<MemoryResult> {
  const base = syntheticMonorepo(example, services);
  const head = pullRequest(
    base,
    Array.from({ length: touched }, (_, i) => syntheticName(Math.floor((i * (services - 2)) / touched))),
  );
  const dir = mkdtempSync(join(tmpdir(), "pc-bench-mem-"));
  try {
    writeGitRepo(dir, base, head);
    const run = await runNode([join(projectRoot(), "dist/cli/main.js"), "check", "--repo", dir, "--base", "HEAD~1", "--format", "json"]);
    if (run.code !== 0 && run.code !== 1) throw new Error(`bench: check --base exited ${run.code}\n${run.stderr.slice(-2000)}`);
    return { services, touched, peakRssMb: run.peakRssMb, ms: run.ms, exitCode: run.code };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
