import type { Logger } from "pino";
import type { ChangedFile, ChangeStatus, RepoSnapshot } from "../engine/snapshot.js";
import type { GitHubApi, RepoRef } from "./api.js";
import { BlobCache } from "./blob-cache.js";
import { diffTrees, loadTree, type RepoTree } from "./tree.js";

/** GitHub lists at most this many files of a pull request. */
export const PULL_FILES_LIMIT = 3000;
/** GitHub's compare API lists at most this many files. */
export const COMPARE_FILES_LIMIT = 300;

/** How the changed files are found. */
export type ChangeSource =
  /** A pull request: its files list (what GitHub shows under "Files changed"). */
  | { kind: "pull"; number: number }
  /** A merge group, or any two commits: `base...head`. */
  | { kind: "compare" };

export interface GitHubSnapshotOptions extends RepoRef {
  headSha: string;
  /** The base commit; base contents are read from it. */
  baseSha: string;
  changes: ChangeSource;
  /** Folders to walk when GitHub truncates the tree (see `rulesReadFolder`). */
  wanted: (dir: string) => boolean;
  cache: BlobCache;
  log?: Logger | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * A pull request head read through the GitHub API (issue 2, part 3). The head
 * tree and the changed files are listed up front; file contents are fetched
 * only when a rule reads them, by blob sha, through a cache shared by every
 * run. Everything is read from the base repository by sha, which also works
 * for pull requests from forks (their commits are reachable there).
 */
export class GitHubSnapshot implements RepoSnapshot {
  private readonly paths: string[];
  private baseTree: Promise<RepoTree> | undefined;
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly changedPaths: Set<string>;
  /** Blob reads that went to GitHub (cache misses), for logs and tests. */
  fetchedBlobs = 0;

  constructor(
    private readonly api: GitHubApi,
    private readonly options: GitHubSnapshotOptions,
    private readonly head: RepoTree,
    readonly changedFiles: readonly ChangedFile[],
    /** Things the report should mention: a capped file list, folders skipped in a truncated tree. */
    readonly notes: readonly string[],
  ) {
    this.paths = [...head.blobs.keys()].sort();
    this.changedPaths = new Set(changedFiles.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path])));
  }

  listFiles(): readonly string[] {
    return this.paths;
  }

  async readFile(path: string): Promise<string | undefined> {
    const sha = this.head.blobs.get(path);
    return sha === undefined ? undefined : this.blob(sha);
  }

  async readBaseFile(path: string): Promise<string | undefined> {
    // A file the change does not touch is the same on both sides (relative to
    // the merge base, as GitHub's diff is): no base tree needed.
    if (!this.changedPaths.has(path)) return this.readFile(path);
    this.baseTree ??= loadTree(this.api, { ...this.repoRef(), ref: this.options.baseSha, wanted: this.options.wanted, signal: this.options.signal });
    const sha = (await this.baseTree).blobs.get(path);
    return sha === undefined ? undefined : this.blob(sha);
  }

  async treeSha(dir: string): Promise<string | undefined> {
    return this.head.trees.get(dir.replace(/\/+$/, ""));
  }

  private repoRef(): RepoRef {
    return { owner: this.options.owner, repo: this.options.repo };
  }

  private blob(sha: string): Promise<string> {
    const cached = this.options.cache.get(sha);
    if (cached !== undefined) return Promise.resolve(cached);
    let pending = this.inFlight.get(sha);
    if (!pending) {
      this.fetchedBlobs++;
      pending = this.api.rest.git
        .getBlob({ ...this.repoRef(), file_sha: sha, ...(this.options.signal ? { request: { signal: this.options.signal } } : {}) })
        .then(({ data }) => {
          const text = data.encoding === "base64" ? Buffer.from(data.content, "base64").toString("utf8") : data.content;
          this.options.cache.set(sha, text);
          return text;
        })
        .finally(() => this.inFlight.delete(sha));
      this.inFlight.set(sha, pending);
    }
    return pending;
  }
}

/** Lists the head tree and the changed files, and returns the snapshot that reads the rest on demand. */
export async function loadGitHubSnapshot(api: GitHubApi, options: GitHubSnapshotOptions): Promise<GitHubSnapshot> {
  const repoRef = { owner: options.owner, repo: options.repo };
  const notes: string[] = [];
  const [head, listed] = await Promise.all([
    loadTree(api, { ...repoRef, ref: options.headSha, wanted: options.wanted, signal: options.signal }),
    listChanges(api, options),
  ]);
  let changed = listed.files;
  if (listed.capped) {
    // GitHub's list stops short: diff the trees instead, which has no limit.
    const mergeBase = listed.mergeBase ?? (await mergeBaseOf(api, options));
    const base = await loadTree(api, { ...repoRef, ref: mergeBase, wanted: options.wanted, signal: options.signal });
    changed = diffTrees(base, head);
    notes.push(
      `GitHub lists at most ${listed.limit} changed files and this change has more; the changed files were worked out by comparing the git trees instead (renames show as a removal plus an addition).`,
    );
    options.log?.warn({ listed: listed.files.length, diffed: changed.length }, "changed-file list capped by GitHub; used a tree diff");
  }
  if (head.skipped.length > 0) {
    notes.push(
      `The repository tree is too large for GitHub to list at once; ${head.skipped.length} very large folder(s) that the rules do not read were left out (e.g. ${head.skipped.slice(0, 3).join(", ")}), so links into them cannot be verified.`,
    );
    options.log?.warn({ skipped: head.skipped.length }, "truncated tree: walked only the folders the rules read");
  }
  return new GitHubSnapshot(api, options, head, changed, notes);
}

interface ListedChanges {
  files: ChangedFile[];
  /** The list hit GitHub's limit and may be incomplete. */
  capped: boolean;
  limit: number;
  mergeBase?: string;
}

async function listChanges(api: GitHubApi, options: GitHubSnapshotOptions): Promise<ListedChanges> {
  const repoRef = { owner: options.owner, repo: options.repo };
  const request = options.signal ? { request: { signal: options.signal } } : {};
  if (options.changes.kind === "pull") {
    const files = await api.paginate(api.rest.pulls.listFiles, { ...repoRef, pull_number: options.changes.number, per_page: 100, ...request });
    return { files: files.map(toChangedFile), capped: files.length >= PULL_FILES_LIMIT, limit: PULL_FILES_LIMIT };
  }
  const { data } = await api.rest.repos.compareCommitsWithBasehead({
    ...repoRef,
    basehead: `${options.baseSha}...${options.headSha}`,
    per_page: 1, // only the files and the merge base matter, not the commit list
    ...request,
  });
  const files = data.files ?? [];
  return {
    files: files.map(toChangedFile),
    capped: files.length >= COMPARE_FILES_LIMIT,
    limit: COMPARE_FILES_LIMIT,
    mergeBase: data.merge_base_commit.sha,
  };
}

async function mergeBaseOf(api: GitHubApi, options: GitHubSnapshotOptions): Promise<string> {
  const { data } = await api.rest.repos.compareCommitsWithBasehead({
    owner: options.owner,
    repo: options.repo,
    basehead: `${options.baseSha}...${options.headSha}`,
    per_page: 1,
  });
  return data.merge_base_commit.sha;
}

function toChangedFile(file: { filename: string; status: string; previous_filename?: string | undefined }): ChangedFile {
  return {
    path: file.filename,
    status: file.status as ChangeStatus,
    ...(file.previous_filename ? { previousPath: file.previous_filename } : {}),
  };
}
