import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { SIZE_LIMITS } from "../../src/engine/input-limits.js";
import { LocalRepoError, PREFETCH_MAX_BYTES, WorkingTreeSnapshot } from "../../src/local/working-tree-snapshot.js";
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

describe("reads that stay inside the repository (issue 8 item 6)", () => {
  /** A small checkout with a link to a file outside it, a link to a folder outside it, and a submodule. */
  function hostileCheckout(): { dir: string; outside: string } {
    const dir = mkdtempSync(join(tmpdir(), "platform-checks-wt-links-"));
    const outside = mkdtempSync(join(tmpdir(), "platform-checks-wt-outside-"));
    temps.push(dir, outside);
    writeFileSync(join(outside, "secret.txt"), "TOKEN=do-not-read\n");
    mkdirSync(join(dir, "services/billing/src"), { recursive: true });
    writeFileSync(join(dir, "services/billing/README.md"), "# Billing\n");
    symlinkSync(join(outside, "secret.txt"), join(dir, "services/billing/service.yaml"));
    symlinkSync("/proc/self/environ", join(dir, "services/billing/src/env.ts"));
    symlinkSync(outside, join(dir, "services/billing/linked"));
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    // A submodule entry, as `git submodule add` records it (a gitlink), without fetching anything.
    git(dir, "update-index", "--add", "--cacheinfo", `160000,${"a".repeat(40)},services/payments`);
    git(dir, "commit", "-q", "-m", "initial");
    return { dir, outside };
  }

  it("reads a symbolic link as its target's path, as git stores it, and never what it points at", async () => {
    const { dir, outside } = hostileCheckout();
    const snapshot = await WorkingTreeSnapshot.open(dir);
    expect(await snapshot.readFile("services/billing/service.yaml")).toBe(join(outside, "secret.txt"));
    expect(await snapshot.readFile("services/billing/src/env.ts")).toBe("/proc/self/environ");
    // A link to a folder is one file (git tracks the link), never a way into the folder.
    expect(snapshot.listFiles()).toEqual([
      "services/billing/README.md",
      "services/billing/linked",
      "services/billing/service.yaml",
      "services/billing/src/env.ts",
    ]);
    expect(await snapshot.readFile("services/billing/linked/secret.txt")).toBeUndefined();
    expect(await snapshot.readFile("services/billing/../../../etc/passwd")).toBeUndefined();
    expect(snapshot.listSubmodules()).toEqual(["services/payments"]);
    // Links hash as git hashes them (mode 120000, the target path as the blob).
    expect(await snapshot.treeSha("services/billing")).toBe(git(dir, "rev-parse", "HEAD:services/billing").trim());
  });

  it("outside git too: links are listed as files and read as their target's path", async () => {
    const { dir, outside } = hostileCheckout();
    rmSync(join(dir, ".git"), { recursive: true, force: true });
    const snapshot = await WorkingTreeSnapshot.open(dir);
    expect(snapshot.listFiles()).toContain("services/billing/linked");
    expect(await snapshot.readFile("services/billing/service.yaml")).toBe(join(outside, "secret.txt"));
  });

  it("does not read a listed file once a folder on its way has become a link out of the checkout", async () => {
    const { dir, outside } = hostileCheckout();
    const snapshot = await WorkingTreeSnapshot.open(dir);
    rmSync(join(dir, "services/billing/src"), { recursive: true, force: true });
    mkdirSync(join(outside, "src"));
    writeFileSync(join(outside, "src/env.ts"), "export const leaked = true;\n");
    symlinkSync(join(outside, "src"), join(dir, "services/billing/src"));
    expect(await snapshot.readFile("services/billing/src/env.ts")).toBeUndefined();
  });
});

describe("prefetchTexts: the files the rules will read, in one go (issue 10)", () => {
  const prefetch = (snapshot: WorkingTreeSnapshot, head: string[], base: string[] = []) => snapshot.prefetchTexts({ head, base });

  it("reads the listed files as readFile does; without a base, every base file is known absent", async () => {
    const dir = exampleCopy();
    const snapshot = await WorkingTreeSnapshot.open(dir);
    const head = snapshot.listFiles().filter((path) => path.startsWith("services/billing-ledger/"));
    const texts = await prefetch(snapshot, [...head, "services/not-listed.ts"], ["services/billing-ledger/service.yaml"]);
    expect([...texts.head.keys()]).toEqual(head);
    for (const path of head) expect(texts.head.get(path)).toBe(exampleFiles()[path]);
    expect([...texts.base]).toEqual([["services/billing-ledger/service.yaml", undefined]]);
  });

  it("with a base: base texts from one git cat-file, as readBaseFile gives them; a file new since the base is known absent", async () => {
    const dir = exampleCopy();
    writeFileSync(join(dir, "services/billing-ledger/with space.md"), "spaced\n");
    symlinkSync("service.yaml", join(dir, "services/billing-ledger/link.yaml"));
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "initial");
    appendFileSync(join(dir, "services/billing-ledger/service.yaml"), "# edited\n");
    writeFileSync(join(dir, "services/billing-ledger/new.md"), "new\n");
    const snapshot = await WorkingTreeSnapshot.open(dir, { base: "HEAD" });
    const asked = [
      "services/billing-ledger/service.yaml",
      "services/billing-ledger/new.md",
      "services/billing-ledger/with space.md",
      "services/billing-ledger/link.yaml",
      "services/billing-ledger", // a folder: not a file, left to readBaseFile
    ];
    const texts = await prefetch(snapshot, [], asked);
    expect([...texts.base.keys()]).toEqual(asked.slice(0, 4));
    for (const path of asked.slice(0, 4)) expect(texts.base.get(path), path).toBe(await snapshot.readBaseFile(path));
    expect(texts.base.get("services/billing-ledger/service.yaml")).toBe(exampleFiles()["services/billing-ledger/service.yaml"]);
    expect(texts.base.get("services/billing-ledger/link.yaml")).toBe("service.yaml");
    expect(texts.base.get("services/billing-ledger/new.md")).toBeUndefined();
  });

  it("reads what is on disk now: a file edited after the listing is read as edited, one deleted is left out", async () => {
    const dir = exampleCopy();
    const snapshot = await WorkingTreeSnapshot.open(dir);
    appendFileSync(join(dir, "services/billing-ledger/service.yaml"), "# edited\n");
    unlinkSync(join(dir, "services/billing-ledger/README.md"));
    const texts = await prefetch(snapshot, ["services/billing-ledger/service.yaml", "services/billing-ledger/README.md"]);
    expect(texts.head.get("services/billing-ledger/service.yaml")).toBe(`${exampleFiles()["services/billing-ledger/service.yaml"]}# edited\n`);
    expect(texts.head.has("services/billing-ledger/README.md")).toBe(false);
    expect(await snapshot.readFile("services/billing-ledger/README.md")).toBeUndefined();
  });

  it("takes what readAhead read (the CLI reads while the worker loads), reads the rest then, and keeps nothing for later", async () => {
    const dir = exampleCopy();
    const snapshot = await WorkingTreeSnapshot.open(dir);
    const yaml = "services/billing-ledger/service.yaml";
    const readme = "services/billing-ledger/README.md";
    snapshot.readAhead([yaml, "services/not-listed.ts"]);
    appendFileSync(join(dir, yaml), "# edited after the read-ahead\n");
    appendFileSync(join(dir, readme), "edited before the prefetch\n");
    const texts = await prefetch(snapshot, [yaml, readme]);
    expect(texts.head.get(yaml)).toBe(exampleFiles()[yaml]);
    expect(texts.head.get(readme)).toBe(`${exampleFiles()[readme]}edited before the prefetch\n`);
    const again = await prefetch(snapshot, [yaml]);
    expect(again.head.get(yaml)).toBe(`${exampleFiles()[yaml]}# edited after the read-ahead\n`);
  });

  it("leaves out a file over PREFETCH_MAX_BYTES (read only if a rule asks), a bound above every kind's size limit", async () => {
    expect(PREFETCH_MAX_BYTES).toBeGreaterThanOrEqual(Math.max(...Object.values(SIZE_LIMITS)));
    const dir = exampleCopy();
    writeFileSync(join(dir, "services/billing-ledger/huge.txt"), "x".repeat(PREFETCH_MAX_BYTES + 1));
    const snapshot = await WorkingTreeSnapshot.open(dir);
    const texts = await prefetch(snapshot, ["services/billing-ledger/huge.txt", "services/billing-ledger/service.yaml"]);
    expect([...texts.head.keys()]).toEqual(["services/billing-ledger/service.yaml"]);
    expect((await snapshot.readFile("services/billing-ledger/huge.txt"))?.length).toBe(PREFETCH_MAX_BYTES + 1);
  });

  it("keeps the reads inside the checkout: links as their target's path, nothing through a folder that became a link, no wait on a FIFO", async () => {
    const dir = exampleCopy();
    const outside = mkdtempSync(join(tmpdir(), "platform-checks-wt-outside-"));
    temps.push(outside);
    writeFileSync(join(outside, "secret.ts"), "export const leaked = true;\n");
    symlinkSync(join(outside, "secret.ts"), join(dir, "services/billing-ledger/linked.ts"));
    mkdirSync(join(dir, "services/billing-ledger/extra"));
    writeFileSync(join(dir, "services/billing-ledger/extra/a.ts"), "export {};\n");
    writeFileSync(join(dir, "services/billing-ledger/pipe.ts"), "");
    const snapshot = await WorkingTreeSnapshot.open(dir);
    // After the listing: the folder becomes a link out of the checkout, the file a FIFO.
    rmSync(join(dir, "services/billing-ledger/extra"), { recursive: true });
    mkdirSync(join(outside, "extra"));
    writeFileSync(join(outside, "extra/a.ts"), "export const leaked = true;\n");
    symlinkSync(join(outside, "extra"), join(dir, "services/billing-ledger/extra"));
    unlinkSync(join(dir, "services/billing-ledger/pipe.ts"));
    execFileSync("mkfifo", [join(dir, "services/billing-ledger/pipe.ts")]);

    const texts = await prefetch(snapshot, ["services/billing-ledger/linked.ts", "services/billing-ledger/extra/a.ts", "services/billing-ledger/pipe.ts"]);
    expect([...texts.head]).toEqual([["services/billing-ledger/linked.ts", join(outside, "secret.ts")]]);
  });
});

describe("the CLI's import graph", () => {
  it("never reaches Probot, nor statically any parser (the CLI runs without the GitHub App's dependencies, the rules in the worker)", () => {
    const root = fileURLToPath(new URL("../../src/", import.meta.url));
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      // `import type` is erased: it loads nothing at run time.
      for (const [, from, bare] of text.matchAll(/^(?:import|export)\b(?!\s+type\b)[\w\s{},*$]*?\bfrom\s+["']([^"']+)["']|^import\s+["']([^"']+)["']/gm)) {
        const spec = (from ?? bare)!;
        if (spec.startsWith(".")) visit(join(dirname(file), spec.replace(/\.js$/, ".ts")));
        else external.add(spec);
      }
    };
    visit(join(root, "cli/main.ts"));
    expect(seen.size).toBeGreaterThan(10);
    expect([...external].filter((m) => /probot|octokit/.test(m))).toEqual([]);
    // The check runs the rules in the pool's worker: this thread loads no parser, above all not TypeScript (issue 10).
    expect([...external].filter((m) => /typescript|libpg-query|mdast|micromark|hono/.test(m))).toEqual([]);
  });
});
