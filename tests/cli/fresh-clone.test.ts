/**
 * What a newcomer does, and what a runner does with the action: a fresh clone
 * (dist/ is not committed), `npm ci` (its `prepare` script builds dist/), then
 * `npx platform-checks …`. One slow test over a real clone of the committed
 * HEAD (uncommitted edits are not in it). The clone's `npm ci` is the one the
 * action's launcher runs on a bare checkout, offline from npm's cache (CI's
 * own `npm ci` fills it first; no network).
 */
import { execFileSync, spawnSync } from "node:child_process";
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
}, 180_000); // removing a whole node_modules takes a while on a busy machine

describe("a fresh clone", () => {
  it("installs itself when used as an action, then runs `npx platform-checks`", () => {
    execFileSync("git", ["clone", "--quiet", PROJECT_ROOT, clone], { stdio: "pipe" });
    expect(existsSync(join(clone, "dist"))).toBe(false);
    const env = { ...process.env, CI: "true", npm_config_offline: "true", npm_config_audit: "false", npm_config_fund: "false" };

    // The action on a bare checkout: the launcher runs `npm ci` (which builds dist/), then the check.
    const workspace = join(clone, "examples/loop-platform");
    const action = spawnSync(process.execPath, [join(clone, "src/action/launcher.mjs")], {
      cwd: workspace,
      encoding: "utf8",
      timeout: 480_000,
      env: { ...env, GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: "workflow_dispatch", "INPUT_FORMAT": "github" },
    });
    expect(action.stdout).toContain("::group::platform-checks: installing and building the action (once per job)");
    expect(action.stdout).toContain("platform-checks: no findings (billing-ledger, notifications): success.");
    expect(action.status, action.stderr).toBe(0);
    expect(existsSync(join(clone, "dist/cli/main.js"))).toBe(true);

    // The CLI through npx, as the README says, right after that install.
    const out = execFileSync("npx", ["--no-install", "platform-checks", "check", "--repo", "examples/loop-platform", "--format", "json"], {
      cwd: clone,
      encoding: "utf8",
      timeout: 120_000,
      env,
    });
    expect(JSON.parse(out)).toMatchObject({ conclusion: "success", services: ["billing-ledger", "notifications"] });
  }, 600_000);
});
