import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { LocalRepoError, WorkingTreeSnapshot } from "../../src/local/working-tree-snapshot.js";
import { EXAMPLE_ROOT, exampleFiles } from "../helpers/example-repo.js";

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function exampleCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "platform-checks-wt-"));
  temps.push(dir);
  cpSync(EXAMPLE_ROOT, dir, { recursive: true });
  return dir;
}

function git(dir: string, ...args: string[]) {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], { cwd: dir, encoding: "utf8" });
}

describe("WorkingTreeSnapshot", () => {
  it("outside git: lists every file sorted, without .git or node_modules, and reads them", async () => {
    const dir = exampleCopy();
    mkdirSync(join(dir, "node_modules/hono"), { recursive: true });
    writeFileSync(join(dir, "node_modules/hono/package.json"), "{}");
    mkdirSync(join(dir, "services/billing-ledger/node_modules"), { recursive: true });
    writeFileSync(join(dir, "services/billing-ledger/node_modules/x.js"), "");
    const snapshot = await WorkingTreeSnapshot.open(dir);
    const expected = Object.keys(exampleFiles()).sort();
    expect(snapshot.listFiles()).toEqual(expected);
    expect(snapshot.changedFiles).toBeUndefined();
    expect(await snapshot.readFile("services/billing-ledger/service.yaml")).toBe(exampleFiles()["services/billing-ledger/service.yaml"]);
    expect(await snapshot.readFile("node_modules/hono/package.json")).toBeUndefined();
    expect(await snapshot.readFile("../etc/passwd")).toBeUndefined();
    expect(await snapshot.readBaseFile("services/billing-ledger/service.yaml")).toBeUndefined();
  });

  it("computes the same git tree sha as git for services/<name>/src (the AI overviews record it)", async () => {
    const snapshot = await WorkingTreeSnapshot.open(exampleCopy());
    for (const service of ["billing-ledger", "notifications"]) {
      const recorded = /source_tree: ([0-9a-f]{40})/.exec((await snapshot.readFile(`docs/ai-overview/${service}.md`))!)![1];
      expect(await snapshot.treeSha(`services/${service}/src`)).toBe(recorded);
    }
    expect(await snapshot.treeSha("services/nope/src")).toBeUndefined();
  });

  it("with a base: changed files with git's statuses, untracked as added, base contents from the ref", async () => {
    const dir = exampleCopy();
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "initial");
    const yaml = "services/billing-ledger/service.yaml";
    const before = readFileSync(join(dir, yaml), "utf8");
    appendFileSync(join(dir, yaml), "# edited\n");
    unlinkSync(join(dir, "services/notifications/RUNBOOK.md"));
    git(dir, "mv", "services/notifications/README.md", "services/notifications/ABOUT.md");
    mkdirSync(dirname(join(dir, ".changeset/new.md")), { recursive: true });
    writeFileSync(join(dir, ".changeset/new.md"), "---\n---\n");

    const snapshot = await WorkingTreeSnapshot.open(dir, { base: "HEAD" });
    expect(snapshot.changedFiles).toEqual([
      { path: ".changeset/new.md", status: "added" },
      { path: "services/billing-ledger/service.yaml", status: "modified" },
      { path: "services/notifications/ABOUT.md", status: "renamed", previousPath: "services/notifications/README.md" },
      { path: "services/notifications/RUNBOOK.md", status: "removed" },
    ]);
    expect(snapshot.listFiles()).not.toContain("services/notifications/RUNBOOK.md");
    expect(snapshot.listFiles()).toContain(".changeset/new.md");
    expect(await snapshot.readBaseFile(yaml)).toBe(before);
    expect(await snapshot.readFile(yaml)).toBe(`${before}# edited\n`);
    expect(await snapshot.readBaseFile(".changeset/new.md")).toBeUndefined();
  });

  it("works on a folder inside a bigger checkout (paths stay relative to --repo)", async () => {
    const outer = mkdtempSync(join(tmpdir(), "platform-checks-outer-"));
    temps.push(outer);
    cpSync(EXAMPLE_ROOT, join(outer, "mono"), { recursive: true });
    git(outer, "init", "-q");
    git(outer, "add", "-A");
    git(outer, "commit", "-q", "-m", "initial");
    appendFileSync(join(outer, "mono/sst.config.ts"), "// x\n");
    const snapshot = await WorkingTreeSnapshot.open(join(outer, "mono"), { base: "HEAD" });
    expect(snapshot.changedFiles).toEqual([{ path: "sst.config.ts", status: "modified" }]);
    expect(await snapshot.readBaseFile("sst.config.ts")).toBe(exampleFiles()["sst.config.ts"]);
  });

  it("refuses a missing folder, a non-git folder with a base, and an unknown ref", async () => {
    await expect(WorkingTreeSnapshot.open(join(tmpdir(), "missing-platform-checks"))).rejects.toThrow(LocalRepoError);
    const dir = exampleCopy();
    await expect(WorkingTreeSnapshot.open(dir, { base: "main" })).rejects.toThrow(/not inside a git checkout/);
    git(dir, "init", "-q");
    await expect(WorkingTreeSnapshot.open(dir, { base: "main" })).rejects.toThrow(/--base main: no such commit/);
  });
});

describe("the CLI's import graph", () => {
  it("never reaches Probot (the CLI runs without the GitHub App's dependencies)", () => {
    const root = fileURLToPath(new URL("../../src/", import.meta.url));
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const [, from, bare] of text.matchAll(/^(?:import|export)\b[\w\s{},*$]*?\bfrom\s+["']([^"']+)["']|^import\s+["']([^"']+)["']/gm)) {
        const spec = (from ?? bare)!;
        if (spec.startsWith(".")) visit(join(dirname(file), spec.replace(/\.js$/, ".ts")));
        else external.add(spec);
      }
    };
    visit(join(root, "cli/main.ts"));
    expect(seen.size).toBeGreaterThan(10);
    expect([...external].filter((m) => /probot|octokit/.test(m))).toEqual([]);
  });
});
