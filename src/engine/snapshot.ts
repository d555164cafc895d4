/** How a pull request changed a file (the GitHub "files" API statuses, plus git's). */
export type ChangeStatus = "added" | "modified" | "removed" | "renamed" | "copied" | "changed" | "unchanged";

export interface ChangedFile {
  path: string;
  status: ChangeStatus;
  /** For renames: where the file was before. */
  previousPath?: string;
}

/**
 * A read-only view of a repository at the pull request head, with the base
 * version beside it. Rules read the repository only through this interface
 * (policy-bot's pull.Context): the GitHub adapter, the local CLI and the
 * in-memory fake used by tests all implement it.
 */
export interface RepoSnapshot {
  /**
   * Files the pull request changed, or `undefined` when the whole repository
   * is being checked (CLI `--all`).
   */
  readonly changedFiles: readonly ChangedFile[] | undefined;
  /** Every file (blob) path at the head, relative to the root, sorted. */
  listFiles(): readonly string[];
  /**
   * Optional: submodule paths at the head (git links to commits of other
   * repositories: no files here to check). Without it, none are known.
   */
  listSubmodules?(): readonly string[];
  /** Contents at the head; `undefined` when the file does not exist. */
  readFile(path: string): Promise<string | undefined>;
  /** Contents at the base; `undefined` when it did not exist there (or there is no base). */
  readBaseFile(path: string): Promise<string | undefined>;
  /** Git tree sha of a folder at the head (`undefined` when it does not exist). */
  treeSha(dir: string): Promise<string | undefined>;
  /**
   * Optional: fetch these files now, in bulk, because the rules are about to
   * read them (see prefetch.ts). Snapshots that read from a remote implement
   * it; a read it did not cover still works.
   */
  prefetch?(files: SnapshotPrefetch): Promise<void>;
}

/** Files to read up front: head contents, and base contents of the same kind. */
export interface SnapshotPrefetch {
  head: readonly string[];
  base: readonly string[];
}

/** The files directly or indirectly inside `dir` (no trailing slash). */
export function filesUnder(snapshot: RepoSnapshot, dir: string): string[] {
  return pathsUnder(snapshot.listFiles(), dir);
}

/**
 * The paths of a sorted list inside `dir`: a binary search to the first one,
 * then the run that shares the prefix (a scan of every path per folder made
 * large repositories quadratic).
 */
export function pathsUnder(sorted: readonly string[], dir: string): string[] {
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
  return out;
}

export function fileExists(snapshot: RepoSnapshot, path: string): boolean {
  return binaryHas(snapshot.listFiles(), path);
}

function binaryHas(sorted: readonly string[], value: string): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * A snapshot could not read a file (GitHub answered 5xx after retries, a
 * timeout, a rate limit, a path outside the repository…). Distinct from "the
 * file does not exist" (`undefined`) and from a rule's own bug, so the run can
 * be reported for what it is: a read that failed, which `/recheck` can retry.
 */
export class SnapshotReadError extends Error {
  override readonly name = "SnapshotReadError";

  constructor(
    /** Repository-relative path whose read failed. */
    readonly path: string,
    /** What the source answered, for the check run's title (e.g. "GitHub answered 502 Bad Gateway"). */
    readonly reason: string,
    /** Whether trying again later can help (a 5xx, a timeout) or not (a path outside the repository). */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(`could not read ${path}: ${reason}`, options);
  }
}
