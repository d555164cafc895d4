import { gitTreeSha } from "./git-tree-sha.js";
import { pathsUnder, type ChangedFile, type RepoSnapshot, type SnapshotReadError } from "./snapshot.js";

export interface MemorySnapshotInit {
  /** Head files: path → contents. */
  files: Record<string, string>;
  /** Base files: path → contents. Defaults to no base (every file is new). */
  base?: Record<string, string>;
  /**
   * Changed files. `"diff"` (the default when `base` is given) derives them by
   * comparing base and head; omit both to check everything.
   */
  changed?: readonly ChangedFile[] | "diff";
  /**
   * Reads that fail, by path (head and base alike): how tests stand in for a
   * source that answers 502 or times out, without HTTP.
   */
  failingReads?: Record<string, SnapshotReadError>;
  /** Submodule paths (git links to other repositories). */
  submodules?: readonly string[];
}

/** An in-memory repository: the fake that rule tests use, no HTTP and no disk. */
export class MemorySnapshot implements RepoSnapshot {
  readonly changedFiles: readonly ChangedFile[] | undefined;
  private readonly paths: string[];

  constructor(private readonly init: MemorySnapshotInit) {
    this.paths = Object.keys(init.files).sort();
    const changed = init.changed ?? (init.base ? "diff" : undefined);
    this.changedFiles = changed === "diff" ? diffFiles(init.base ?? {}, init.files) : changed;
  }

  listFiles(): readonly string[] {
    return this.paths;
  }

  listSubmodules(): readonly string[] {
    return this.init.submodules ?? [];
  }

  async readFile(path: string): Promise<string | undefined> {
    this.failIfTold(path);
    return own(this.init.files, path);
  }

  async readBaseFile(path: string): Promise<string | undefined> {
    this.failIfTold(path);
    return this.init.base && own(this.init.base, path);
  }

  private failIfTold(path: string): void {
    const failure = this.init.failingReads && own(this.init.failingReads, path);
    if (failure) throw failure;
  }

  async treeSha(dir: string): Promise<string | undefined> {
    const prefix = `${dir.replace(/\/$/, "")}/`;
    const inside = new Map<string, string>();
    for (const path of pathsUnder(this.paths, prefix)) inside.set(path.slice(prefix.length), this.init.files[path]!);
    return inside.size === 0 ? undefined : gitTreeSha(inside);
  }
}

/** A record's own entry (a path such as `constructor` is a file name, not Object.prototype's). */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function diffFiles(base: Record<string, string>, head: Record<string, string>): ChangedFile[] {
  const out: ChangedFile[] = [];
  for (const [path, content] of Object.entries(head)) {
    if (!(path in base)) out.push({ path, status: "added" });
    else if (base[path] !== content) out.push({ path, status: "modified" });
  }
  for (const path of Object.keys(base)) {
    if (!(path in head)) out.push({ path, status: "removed" });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
