import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Builds dist/ as `npm run build` does (incremental: quick when nothing
 * changed). A type error elsewhere is the type check's business; tsc still
 * emits, so only a missing entry point fails the caller.
 */
export function buildDist(entry: string): void {
  try {
    execFileSync(process.execPath, [`${PROJECT_ROOT}/node_modules/typescript/bin/tsc`, "--build", "tsconfig.build.json"], { cwd: PROJECT_ROOT, stdio: "pipe" });
  } catch (error) {
    if (!existsSync(`${PROJECT_ROOT}/${entry}`)) throw error;
  }
}
