import { execFile } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { gitTreeSha } from "../engine/git-tree-sha.js";
import type { ChangedFile, ChangeStatus, RepoSnapshot } from "../engine/snapshot.js";

const run = promisify(execFile);
/** Enough for a large diff listing or a big base file. */
const MAX_BUFFER = 256 * 1024 * 1024;
/** Folders that are never part of the repository under check. */
const SKIPPED_FOLDERS = new Set([".git", "node_modules"]);

/** The local repository cannot be read as asked (missing folder, not a git checkout, unknown ref): exit 2. */
export class LocalRepoError extends Error {
  override name = "LocalRepoError";
}

export interface WorkingTreeOptions {
  /** Compare with this git ref, as a pull request against it would; omit to check the whole tree. */
  base?: string;
}

/**
 * A RepoSnapshot over a directory on disk: the head is the working tree as it
 * is now (uncommitted edits included). In a git checkout the file list is what
 * git would commit (tracked plus untracked files that are not ignored), so the
 * CLI sees what the bot will see; elsewhere it is every file, without `.git`
 * and `node_modules`. Git is only ever run through execFile, never a shell.
 */
export class WorkingTreeSnapshot implements RepoSnapshot {
  private readonly known: ReadonlySet<string>;
  private readonly baseReads = new Map<string, Promise<string | undefined>>();
  private readonly treeShas = new Map<string, Promise<string | undefined>>();

  private constructor(
    readonly dir: string,
    private readonly files: readonly string[],
    readonly changedFiles: readonly ChangedFile[] | undefined,
    /** The commit base files are read from (the merge base of --base and HEAD). */
    readonly baseCommit: string | undefined,
  ) {
    this.known = new Set(files);
  }

  static async open(dir: string, options: WorkingTreeOptions = {}): Promise<WorkingTreeSnapshot> {
    let isDirectory = false;
    try {
      isDirectory = statSync(dir).isDirectory();
    } catch {
      // reported below
    }
    if (!isDirectory) throw new LocalRepoError(`${dir} is not a directory (check --repo)`);

    const inGit = await isGitWorkTree(dir);
    if (options.base === undefined) {
      const files = inGit ? await gitListFiles(dir) : walk(dir);
      return new WorkingTreeSnapshot(dir, files, undefined, undefined);
    }
    if (!inGit) {
      throw new LocalRepoError(`${dir} is not inside a git checkout, so --base cannot find what changed; use --all to check every service`);
    }
    const baseCommit = await resolveBase(dir, options.base);
    const [files, changedFiles] = await Promise.all([gitListFiles(dir), gitChangedFiles(dir, baseCommit)]);
    return new WorkingTreeSnapshot(dir, files, changedFiles, baseCommit);
  }

  listFiles(): readonly string[] {
    return this.files;
  }

  async readFile(path: string): Promise<string | undefined> {
    if (!this.known.has(path)) return undefined;
    try {
      return await readFile(join(this.dir, path), "utf8");
    } catch {
      return undefined;
    }
  }

  readBaseFile(path: string): Promise<string | undefined> {
    const commit = this.baseCommit;
    if (commit === undefined || path.startsWith("/") || path.split("/").includes("..")) return Promise.resolve(undefined);
    let p = this.baseReads.get(path);
    if (!p) {
      // `<commit>:./path` is relative to the -C folder, so a --repo inside a bigger checkout works too.
      p = git(this.dir, ["show", `${commit}:./${path}`]).then(
        (out) => out,
        () => undefined, // not in the base
      );
      this.baseReads.set(path, p);
    }
    return p;
  }

  treeSha(dir: string): Promise<string | undefined> {
    const prefix = `${dir.replace(/\/$/, "")}/`;
    let p = this.treeShas.get(prefix);
    if (!p) {
      p = (async () => {
        const inside = this.files.filter((f) => f.startsWith(prefix));
        if (inside.length === 0) return undefined;
        // Raw bytes: the blob sha must not depend on a text decoding.
        const contents = await Promise.all(inside.map((f) => readFile(join(this.dir, f))));
        return gitTreeSha(new Map(inside.map((f, i) => [f.slice(prefix.length), contents[i]!])));
      })();
      this.treeShas.set(prefix, p);
    }
    return p;
  }
}

async function git(dir: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", ["-C", dir, ...args], { maxBuffer: MAX_BUFFER, encoding: "utf8" });
  return stdout;
}

async function isGitWorkTree(dir: string): Promise<boolean> {
  try {
    return (await git(dir, ["rev-parse", "--is-inside-work-tree"])).trim() === "true";
  } catch {
    return false; // not a checkout, or git is not installed
  }
}

async function resolveBase(dir: string, ref: string): Promise<string> {
  let commit: string;
  try {
    commit = (await git(dir, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`])).trim();
  } catch {
    throw new LocalRepoError(`--base ${ref}: no such commit in ${dir} (fetch it first, e.g. \`git fetch origin main\` then --base origin/main)`);
  }
  // Like a pull request, compare with the merge base, so commits that landed on the base since do not show up as changes.
  try {
    return (await git(dir, ["merge-base", commit, "HEAD"])).trim() || commit;
  } catch {
    return commit; // no HEAD yet, or unrelated histories: compare with the ref itself
  }
}

/** Tracked files plus untracked files git does not ignore, that exist on disk now. */
async function gitListFiles(dir: string): Promise<string[]> {
  const out = await git(dir, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
  const paths = new Set(out.split("\0").filter((p) => p !== "" && !p.split("/").some((part) => SKIPPED_FOLDERS.has(part))));
  return [...paths]
    .filter((p) => {
      try {
        return statSync(join(dir, p)).isFile(); // deleted in the working tree, or a submodule
      } catch {
        return false;
      }
    })
    .sort(byCodeUnit);
}

const STATUS_BY_LETTER: Record<string, ChangeStatus> = { A: "added", M: "modified", D: "removed", R: "renamed", C: "copied", T: "changed" };

/** `git diff --name-status` from the base to the working tree, plus untracked files as added. */
async function gitChangedFiles(dir: string, baseCommit: string): Promise<ChangedFile[]> {
  const [diff, untracked] = await Promise.all([
    git(dir, ["diff", "--name-status", "-z", "-M", "--relative", baseCommit, "--"]),
    git(dir, ["ls-files", "-z", "--others", "--exclude-standard"]),
  ]);
  const changed = new Map<string, ChangedFile>();
  const fields = diff.split("\0");
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++] ?? "";
    if (code === "") continue;
    const status = STATUS_BY_LETTER[code[0]!] ?? "changed";
    if (status === "renamed" || status === "copied") {
      const previousPath = fields[i++]!;
      const path = fields[i++]!;
      changed.set(path, { path, status, previousPath });
    } else {
      const path = fields[i++]!;
      changed.set(path, { path, status });
    }
  }
  for (const path of untracked.split("\0")) {
    if (path !== "" && !changed.has(path) && !path.split("/").some((part) => SKIPPED_FOLDERS.has(part))) {
      changed.set(path, { path, status: "added" });
    }
  }
  return [...changed.values()].sort((a, b) => byCodeUnit(a.path, b.path));
}

/** Every file under a folder that is not a git checkout. */
function walk(root: string): string[] {
  const out: string[] = [];
  const visit = (relative: string) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) visit(path);
      } else if (entry.isFile()) {
        out.push(path);
      } else if (entry.isSymbolicLink()) {
        try {
          if (statSync(join(root, path)).isFile()) out.push(path); // links to folders are not followed (no cycles)
        } catch {
          // a dangling link is no file
        }
      }
    }
  };
  visit("");
  return out.sort(byCodeUnit);
}

/** The order fileExists' binary search expects (plain string comparison, as the engine sorts). */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
