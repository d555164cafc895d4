import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const EXAMPLE_ROOT = fileURLToPath(new URL("../../examples/loop-platform", import.meta.url));

let cached: Record<string, string> | undefined;

/** Every file of the example monorepo: repository-relative path → contents. A fresh copy on each call. */
export function exampleFiles(): Record<string, string> {
  cached ??= readTree(EXAMPLE_ROOT);
  return { ...cached };
}

function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules" || name === ".git") continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(root, full).split("\\").join("/")] = readFileSync(full, "utf8");
    }
  };
  walk(root);
  return out;
}
