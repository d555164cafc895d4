import { execFile, spawn } from "node:child_process";
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { promisify } from "node:util";
import { gitTreeSha, type SymbolicLink } from "../engine/git-tree-sha.js";
import type { PrefetchedTexts, TextPrefetching } from "../engine/isolation/snapshot-channel.js";
import { normalizeRepoPath } from "../engine/names.js";
import type { ChangedFile, ChangeStatus, RepoSnapshot, SnapshotPrefetch } from "../engine/snapshot.js";

const run = promisify(execFile);
/** Enough for a large diff listing or a big base file. */
const MAX_BUFFER = 256 * 1024 * 1024;
/** Folders that are never part of the repository under check. */
const SKIPPED_FOLDERS = new Set([".git", "node_modules"]);
/**
 * Files the prefetch reads up front only up to this size: above every kind's
 * size limit (src/engine/input-limits.ts), so any file a rule may parse is
 * included; a larger one is read only if a rule asks (and is then reported
 * as too large).
 */
export const PREFETCH_MAX_BYTES = 2 * 1024 * 1024;
/** Opened so that neither a link (refused) nor a FIFO (not waited on) can stall or redirect a read. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

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
 *
 * Reads stay inside the repository, as git's do: a symbolic link reads as
 * its target's path (the text git stores for it), never as what it points
 * at; a file is opened only when no folder on its way leads out of the
 * checkout, and never through a link (O_NOFOLLOW). A submodule is no file:
 * it is listed apart (`listSubmodules`).
 */
export class WorkingTreeSnapshot implements RepoSnapshot, TextPrefetching {
  private readonly known: ReadonlySet<string>;
  private readonly realDir: string;
  private readonly baseReads = new Map<string, Promise<string | undefined>>();
  private readonly treeShas = new Map<string, Promise<string | undefined>>();
  /** Texts `readAhead` read, until the prefetch takes them. */
  private readonly readAheadTexts = new Map<string, string>();

  private constructor(
    readonly dir: string,
    private readonly files: readonly string[],
    readonly changedFiles: readonly ChangedFile[] | undefined,
    /** The commit base files are read from (the merge base of --base and HEAD). */
    readonly baseCommit: string | undefined,
    private readonly submodules: readonly string[] = [],
  ) {
    this.known = new Set(files);
    this.realDir = realpathSync(dir);
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
      const listing = inGit ? await gitListFiles(dir) : { files: walk(dir), submodules: [] };
      return new WorkingTreeSnapshot(dir, listing.files, undefined, undefined, listing.submodules);
    }
    if (!inGit) {
      throw new LocalRepoError(`${dir} is not inside a git checkout, so --base cannot find what changed; use --all to check every service`);
    }
    const baseCommit = await resolveBase(dir, options.base);
    const [listing, changedFiles] = await Promise.all([gitListFiles(dir), gitChangedFiles(dir, baseCommit)]);
    return new WorkingTreeSnapshot(dir, listing.files, changedFiles, baseCommit, listing.submodules);
  }

  listFiles(): readonly string[] {
    return this.files;
  }

  listSubmodules(): readonly string[] {
    return this.submodules;
  }

  async readFile(path: string): Promise<string | undefined> {
    if (!this.known.has(path)) return undefined;
    return textOf(this.readInside(path));
  }

  /**
   * The head texts of the listed files among `files.head`, read now (a file
   * over PREFETCH_MAX_BYTES, or that cannot be read, is left out and read if
   * a rule asks). Base files come from one `git cat-file --batch` (without a
   * base, every one is known absent).
   */
  async prefetchTexts(files: SnapshotPrefetch): Promise<PrefetchedTexts> {
    const head = new Map<string, string | undefined>();
    const folders = new Map<string, string | undefined>();
    for (const path of files.head) {
      if (!this.known.has(path)) continue;
      const text = this.readAheadTexts.get(path) ?? textOf(this.readInside(path, { maxBytes: PREFETCH_MAX_BYTES, folders }));
      if (text !== undefined) head.set(path, text);
    }
    this.readAheadTexts.clear();
    const base =
      this.baseCommit === undefined
        ? new Map<string, string | undefined>(files.base.map((path) => [path, undefined]))
        : await gitBlobsAt(this.dir, this.baseCommit, files.base.filter(isPlainRepoPath), PREFETCH_MAX_BYTES);
    return { head, base };
  }

  /**
   * Reads these listed files now, as `prefetchTexts` would, for its next call
   * to take instead of reading them then: the CLI calls it while the engine
   * worker is still loading. A file changed in between is read as it was here.
   */
  readAhead(paths: readonly string[]): void {
    const folders = new Map<string, string | undefined>();
    for (const path of paths) {
      if (!this.known.has(path) || this.readAheadTexts.has(path)) continue;
      const text = textOf(this.readInside(path, { maxBytes: PREFETCH_MAX_BYTES, folders }));
      if (text !== undefined) this.readAheadTexts.set(path, text);
    }
  }

  /**
   * Raw contents of a listed path, read as git would, or undefined when it is
   * gone, would lead outside, or is over `maxBytes`. Synchronous: the calls
   * are short, and many small files read several times faster than through
   * the thread pool (nothing else waits on this thread in the CLI).
   * `folders` caches the real path of each folder for a batch of reads.
   */
  private readInside(path: string, options: { maxBytes?: number; folders?: Map<string, string | undefined> } = {}): Buffer | SymbolicLink | undefined {
    if (normalizeRepoPath(path) !== path) return undefined; // `..`, `.`, empty or absolute parts
    const full = join(this.dir, path);
    try {
      if (!this.insideCheckout(dirname(full), options.folders)) return undefined;
      let fd: number;
      try {
        fd = openSync(full, OPEN_FLAGS);
      } catch (error) {
        // O_NOFOLLOW refuses a link: it reads as its target's path, as git stores it.
        if ((error as NodeJS.ErrnoException).code === "ELOOP") return { target: readlinkSync(full, { encoding: "buffer" }) };
        throw error;
      }
      try {
        const opened = fstatSync(fd);
        if (!opened.isFile()) return undefined; // a folder, a FIFO, a device
        if (options.maxBytes !== undefined && opened.size > options.maxBytes) return undefined;
        return readFileSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      return undefined; // deleted since it was listed, or its folder is gone
    }
  }

  /** Whether a folder, links resolved, lies in the checkout. */
  private insideCheckout(folder: string, cache?: Map<string, string | undefined>): boolean {
    let real = cache?.get(folder);
    if (real === undefined) {
      real = realpathSync(folder);
      cache?.set(folder, real);
    }
    return real === this.realDir || real.startsWith(this.realDir + sep);
  }

  readBaseFile(path: string): Promise<string | undefined> {
    const commit = this.baseCommit;
    if (commit === undefined || !isPlainRepoPath(path)) return Promise.resolve(undefined);
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
        const contents = inside.map((f) => this.readInside(f));
        return gitTreeSha(new Map(inside.map((f, i) => [f.slice(prefix.length), contents[i] ?? Buffer.alloc(0)])));
      })();
      this.treeShas.set(prefix, p);
    }
    return p;
  }
}

/** A path git may be asked about: relative, no `..`, and (for `cat-file --batch`, one path a line) no line break. */
function isPlainRepoPath(path: string): boolean {
  return !path.startsWith("/") && !path.split("/").includes("..") && !/[\n\r]/.test(path);
}

/**
 * The contents at `commit` of many paths, through one `git cat-file --batch`
 * (a `git show` per file costs a process each): a path missing there maps to
 * undefined; one that is not a file, over `maxBytes`, or unanswered (git
 * failed) is left out, to be read alone if asked.
 */
function gitBlobsAt(dir: string, commit: string, paths: readonly string[], maxBytes: number): Promise<Map<string, string | undefined>> {
  const found = new Map<string, string | undefined>();
  if (paths.length === 0) return Promise.resolve(found);
  return new Promise((resolvePromise) => {
    const child = spawn("git", ["-C", dir, "cat-file", "--batch"], { stdio: ["pipe", "pipe", "ignore"] });
    const chunks: Buffer[] = [];
    let size = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BUFFER) child.kill();
      else chunks.push(chunk);
    });
    child.on("error", () => resolvePromise(found));
    child.on("close", () => {
      const out = Buffer.concat(chunks);
      let at = 0;
      // Answers come in the order asked: `<sha> <type> <size>\n<contents>\n`, or `<name> missing\n`.
      for (const path of paths) {
        const end = out.indexOf(0x0a, at);
        if (end < 0) break;
        const header = out.toString("utf8", at, end);
        at = end + 1;
        const blob = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
        if (!blob) {
          if (header.endsWith(" missing")) found.set(path, undefined);
          continue;
        }
        const length = Number(blob[2]);
        if (at + length > out.length) break;
        if (blob[1] === "blob" && length <= maxBytes) found.set(path, out.toString("utf8", at, at + length));
        at += length + 1;
      }
      resolvePromise(found);
    });
    child.stdin.on("error", () => {}); // git gone: answered by "close"
    child.stdin.end(paths.map((path) => `${commit}:./${path}\n`).join(""));
  });
}

function textOf(entry: Buffer | SymbolicLink | undefined): string | undefined {
  return (Buffer.isBuffer(entry) ? entry : entry?.target)?.toString("utf8");
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

/** Git's mode for a submodule (a commit of another repository), in `ls-files --stage`. */
const GITLINK_MODE = "160000";

/**
 * Tracked files plus untracked files git does not ignore, that exist on disk
 * now (a symbolic link counts as a file, as in git, wherever it points); and
 * the submodules, apart.
 */
async function gitListFiles(dir: string): Promise<{ files: string[]; submodules: string[] }> {
  const [staged, untracked] = await Promise.all([
    git(dir, ["ls-files", "-z", "--stage"]),
    git(dir, ["ls-files", "-z", "--others", "--exclude-standard"]),
  ]);
  const paths = new Set<string>();
  const submodules = new Set<string>();
  for (const entry of staged.split("\0")) {
    // `<mode> <sha> <stage>\t<path>`
    const tab = entry.indexOf("\t");
    if (tab < 0) continue;
    const path = entry.slice(tab + 1);
    if (entry.startsWith(GITLINK_MODE)) submodules.add(path);
    else paths.add(path);
  }
  for (const path of untracked.split("\0")) if (path !== "") paths.add(path);
  const files = [...paths].filter((p) => !p.split("/").some((part) => SKIPPED_FOLDERS.has(part)) && isFileOrLink(join(dir, p)));
  return { files: files.sort(byCodeUnit), submodules: [...submodules].sort(byCodeUnit) };
}

/** Still there, as a file or a link (deleted in the working tree otherwise); links are not followed. */
function isFileOrLink(full: string): boolean {
  try {
    const info = lstatSync(full);
    return info.isFile() || info.isSymbolicLink();
  } catch {
    return false;
  }
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
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        out.push(path); // a link is a file whose text is its target, as git stores it; never followed
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
