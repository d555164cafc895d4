/**
 * What a newcomer does: clone, `npm ci`, `npx platform-checks …`. `npm ci`
 * must build dist/ by itself (the `prepare` script) and npx must find the
 * CLI. One slow test: a real clone of the committed HEAD (uncommitted edits
 * are not in it), `npm ci --offline` from npm's cache (CI's own `npm ci`
 * fills it first; no network), then the CLI through npx on the example.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/build-dist.js";

const clone = join(mkdtempSync(join(tmpdir(), "platform-checks-clone-")), "platform-checks");

afterAll(() => {
  rmSync(join(clone, ".."), { recursive: true, force: true });
  // npx installs the local package into its cache under a folder named after a hash of the path: remove ours.
  const npxCache = join(process.env["npm_config_cache"] ?? join(homedir(), ".npm"), "_npx");
  for (const entry of existsSync(npxCache) ? readdirSync(npxCache) : []) {
    const manifest = join(npxCache, entry, "package.json");
    if (existsSync(manifest) && readFileSync(manifest, "utf8").includes(clone)) rmSync(join(npxCache, entry), { recursive: true, force: true });
  }
});

describe("a fresh clone", () => {
  it("runs `npx platform-checks` right after `npm ci`", () => {
    const run = (command: string, args: string[]) =>
      execFileSync(command, args, { cwd: clone, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 480_000, env: { ...process.env, CI: "true" } });
    execFileSync("git", ["clone", "--quiet", PROJECT_ROOT, clone], { stdio: "pipe" });
    expect(existsSync(join(clone, "dist"))).toBe(false);

    run("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--loglevel=error"]);
    expect(existsSync(join(clone, "dist/cli/main.js"))).toBe(true);

    const out = run("npx", ["--no-install", "platform-checks", "check", "--repo", "examples/loop-platform", "--format", "json"]);
    expect(JSON.parse(out)).toMatchObject({ conclusion: "success", services: ["billing-ledger", "notifications"] });
  }, 600_000);
});
