import { gitTreeSha } from "./git-tree-sha.js";
import type { ChangedFile, RepoSnapshot } from "./snapshot.js";

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

  async readFile(path: string): Promise<string | undefined> {
    return this.init.files[path];
  }

  async readBaseFile(path: string): Promise<string | undefined> {
    return this.init.base?.[path];
  }

  async treeSha(dir: string): Promise<string | undefined> {
    const prefix = `${dir.replace(/\/$/, "")}/`;
    const inside = new Map<string, string>();
    for (const [path, content] of Object.entries(this.init.files)) {
      if (path.startsWith(prefix)) inside.set(path.slice(prefix.length), content);
    }
    return inside.size === 0 ? undefined : gitTreeSha(inside);
  }
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
