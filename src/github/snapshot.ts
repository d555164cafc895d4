import type { Logger } from "pino";
import { SnapshotReadError, type ChangedFile, type ChangeStatus, type RepoSnapshot, type SnapshotPrefetch } from "../engine/snapshot.js";
import type { PrefetchedTexts, TextPrefetching } from "../engine/isolation/snapshot-channel.js";
import { describeGitHubFailure, isRetryableGitHubFailure, type GitHubApi, type RepoRef } from "./api.js";
import { BlobCache } from "./blob-cache.js";
import { BLOB_BATCH_LIMITS, inBatches, planBatches, readBlobBatch, type BlobBatchLimits, type BlobLookup } from "./graphql-blobs.js";
import { diffTrees, loadTree, loadTreesInOneQuery, type RepoTree } from "./tree.js";

/** GitHub's compare API lists at most this many files. */
export const COMPARE_FILES_LIMIT = 300;

/** How the changed files are found. */
export type ChangeSource =
  /** A pull request (listed through `base...head`, which is what its "Files changed" shows). */
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
  /** GraphQL batch sizes (tests make them small). */
  batchLimits?: BlobBatchLimits | undefined;
  log?: Logger | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * A pull request head read through the GitHub API (issue 2, part 3; issue 10).
 * The head tree and the changed files are listed up front. Contents come in
 * two ways: `prefetch` reads every file the rules will read in a few GraphQL
 * batches (the engine calls it once it knows the scope), and a read the
 * prefetch did not cover falls back to one REST blob read. Texts are kept by
 * blob sha in a cache shared by every run, so a re-check after a one-file push
 * fetches one blob. Everything is read from the base repository by sha, which
 * also works for pull requests from forks (their commits are reachable there).
 */
export class GitHubSnapshot implements RepoSnapshot, TextPrefetching {
  private readonly paths: string[];
  private baseTree: Promise<RepoTree> | undefined;
  /** This run's texts by sha: what the rules read must not be evicted from the shared cache mid-run. */
  private readonly texts = new Map<string, string>();
  /** REST reads in flight by sha, so concurrent reads of one blob share a request. */
  private readonly inFlight = new Map<string, Promise<string>>();
  /** Blob shas a GraphQL batch is fetching right now: a read waits for the batch rather than asking again. */
  private readonly batching = new Map<string, Promise<unknown>>();
  /** Base files the prefetch looked up by path: their sha, or null when absent at the base. */
  private readonly baseShas = new Map<string, string | null>();
  private readonly baseBatching = new Map<string, Promise<unknown>>();
  private readonly changedPaths: Set<string>;
  /** Blobs GraphQL cannot return as text (binary, truncated): read over REST. */
  private readonly restOnly = new Set<string>();
  /** Reads the prefetch did not cover, gathered for the next GraphQL batch. */
  private misses: Map<string, { path: string; done: Deferred<string> }> | undefined;
  /** Blob contents that came from GitHub (cache misses), for logs and tests. */
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

  listSubmodules(): readonly string[] {
    return this.head.submodules;
  }

  async readFile(path: string): Promise<string | undefined> {
    const sha = this.head.blobs.get(path);
    return sha === undefined ? undefined : this.blob(sha, path);
  }

  async readBaseFile(path: string): Promise<string | undefined> {
    // A file the change does not touch is the same on both sides (relative to
    // the merge base, as GitHub's diff is): no base tree needed.
    if (!this.changedPaths.has(path)) return this.readFile(path);
    await this.baseBatching.get(path)?.catch(() => undefined);
    let sha = this.baseShas.get(path);
    if (sha === undefined) {
      this.baseTree ??= loadTree(this.api, { ...this.repoRef(), ref: this.options.baseSha, wanted: this.options.wanted, signal: this.options.signal });
      sha = (await this.baseTree).blobs.get(path) ?? null;
    }
    return sha === null ? undefined : this.blob(sha, path);
  }

  async treeSha(dir: string): Promise<string | undefined> {
    return this.head.trees.get(dir.replace(/\/+$/, ""));
  }

  /**
   * Reads the given files up front, in GraphQL batches with a bounded number
   * in flight: head files by blob sha (skipping what the cache already holds),
   * base files of changed paths by `<base>:<path>`. Binary and very large
   * blobs are left for a REST read if a rule asks for them. Rejects with a
   * SnapshotReadError when a batch fails; nothing failed is remembered.
   */
  async prefetch(files: SnapshotPrefetch): Promise<void> {
    const limits = this.options.batchLimits ?? BLOB_BATCH_LIMITS;
    const lookups: BlobLookup[] = [];
    const pathOf = new Map<string, string>();
    // A base file the change does not touch is the head file (see readBaseFile).
    const headPaths = new Set([...files.head, ...files.base.filter((path) => !this.changedPaths.has(path))]);
    for (const path of headPaths) {
      const sha = this.head.blobs.get(path);
      if (sha === undefined || pathOf.has(sha) || this.has(sha)) continue;
      const size = this.head.sizes.get(path);
      if (size !== undefined && size > limits.maxBlobBytes) continue;
      pathOf.set(sha, path);
      lookups.push({ key: sha, oid: sha, ...(size !== undefined ? { size } : {}) });
    }
    for (const path of new Set(files.base)) {
      if (!this.changedPaths.has(path) || this.baseShas.has(path) || this.baseBatching.has(path)) continue;
      pathOf.set(`base:${path}`, path);
      lookups.push({ key: `base:${path}`, expression: `${this.options.baseSha}:${path}` });
    }
    if (lookups.length === 0) return;

    const batches = planBatches(lookups, limits).map((batch) => ({ batch, done: deferred<void>() }));
    for (const { batch, done } of batches) {
      for (const lookup of batch) ("oid" in lookup ? this.batching : this.baseBatching).set("oid" in lookup ? lookup.oid : pathOf.get(lookup.key)!, done.promise);
    }
    try {
      await inBatches(batches, limits.inFlight, async ({ batch, done }) => {
        try {
          const results = await readBlobBatch(this.api, this.repoRef(), batch, this.options.signal);
          for (const lookup of batch) {
            const result = results.get(lookup.key);
            if ("expression" in lookup && result) this.baseShas.set(pathOf.get(lookup.key)!, result.kind === "missing" ? null : result.oid);
            if (result?.kind === "text") this.keep(result.oid, result.text);
            if (result?.kind === "unreadable") this.restOnly.add(result.oid);
          }
          done.resolve();
        } catch (error) {
          done.reject(error);
          if (this.options.signal?.aborted) throw error;
          throw readError(pathOf.get(batch[0]!.key)!, error);
        } finally {
          for (const lookup of batch) {
            if ("oid" in lookup) this.batching.delete(lookup.oid);
            else this.baseBatching.delete(pathOf.get(lookup.key)!);
          }
        }
      });
    } finally {
      for (const { done } of batches) done.promise.catch(() => undefined);
    }
  }

  /**
   * `prefetch`, then the texts it now holds, so an engine worker gets them in
   * one message (src/engine/isolation/snapshot-channel.ts). What it left out
   * (binary, very large) is read on demand, as before.
   */
  async prefetchTexts(files: SnapshotPrefetch): Promise<PrefetchedTexts> {
    await this.prefetch(files);
    const held = (sha: string | undefined) => (sha !== undefined && this.has(sha) ? this.texts.get(sha) : undefined);
    const head = new Map<string, string | undefined>();
    for (const path of files.head) {
      const text = held(this.head.blobs.get(path));
      if (text !== undefined) head.set(path, text);
    }
    const base = new Map<string, string | undefined>();
    for (const path of files.base) {
      // As readBaseFile: an unchanged file is the head's; a changed one is the base's blob, or absent there.
      const sha = this.changedPaths.has(path) ? this.baseShas.get(path) : this.head.blobs.get(path);
      if (sha === null) base.set(path, undefined);
      const text = held(sha ?? undefined);
      if (text !== undefined) base.set(path, text);
    }
    return { head, base };
  }

  private repoRef(): RepoRef {
    return { owner: this.options.owner, repo: this.options.repo };
  }

  private has(sha: string): boolean {
    if (this.texts.has(sha) || this.batching.has(sha)) return true;
    const cached = this.options.cache.get(sha);
    if (cached !== undefined) this.texts.set(sha, cached);
    return cached !== undefined;
  }

  private keep(sha: string, text: string): void {
    this.fetchedBlobs++;
    this.texts.set(sha, text);
    this.options.cache.set(sha, text);
  }

  private async blob(sha: string, path: string): Promise<string> {
    const batch = this.batching.get(sha);
    if (batch) await batch.catch(() => undefined);
    if (this.has(sha)) return this.texts.get(sha)!;
    let pending = this.inFlight.get(sha);
    if (!pending) {
      const size = this.head.sizes.get(path);
      const limits = this.options.batchLimits ?? BLOB_BATCH_LIMITS;
      const restOnly = this.restOnly.has(sha) || (size !== undefined && size > limits.maxBlobBytes);
      pending = (restOnly ? this.restBlob(sha, path) : this.queueMiss(sha, path)).finally(() => this.inFlight.delete(sha));
      this.inFlight.set(sha, pending);
    }
    return pending;
  }

  /**
   * A read the prefetch did not cover (a file an analysis reached by following
   * an import, say). Reads asked for in the same turn of the event loop go
   * out together as one GraphQL batch, so a wave of misses is one request.
   */
  private queueMiss(sha: string, path: string): Promise<string> {
    if (!this.misses) {
      const misses = new Map<string, { path: string; done: Deferred<string> }>();
      this.misses = misses;
      setImmediate(() => {
        this.misses = undefined;
        void this.readMisses(misses);
      });
    }
    const done = deferred<string>();
    this.misses.set(sha, { path, done });
    return done.promise;
  }

  private async readMisses(misses: Map<string, { path: string; done: Deferred<string> }>): Promise<void> {
    const limits = this.options.batchLimits ?? BLOB_BATCH_LIMITS;
    const lookups: BlobLookup[] = [...misses].map(([sha, { path }]) => {
      const size = this.head.sizes.get(path);
      return { key: sha, oid: sha, ...(size !== undefined ? { size } : {}) };
    });
    await inBatches(planBatches(lookups, limits), limits.inFlight, async (batch) => {
      let results: Awaited<ReturnType<typeof readBlobBatch>>;
      try {
        results = await readBlobBatch(this.api, this.repoRef(), batch, this.options.signal);
      } catch (error) {
        for (const { key } of batch) {
          const miss = misses.get(key)!;
          miss.done.reject(this.options.signal?.aborted ? error : readError(miss.path, error));
        }
        return;
      }
      for (const { key } of batch) {
        const miss = misses.get(key)!;
        const result = results.get(key);
        if (result?.kind === "text") {
          this.keep(key, result.text);
          miss.done.resolve(result.text);
        } else {
          // Binary, truncated, or not returned: the one case for a single REST read.
          this.restBlob(key, miss.path).then(miss.done.resolve, miss.done.reject);
        }
      }
    }).catch(() => undefined); // each miss was settled above
  }

  private restBlob(sha: string, path: string): Promise<string> {
    return this.api.rest.git.getBlob({ ...this.repoRef(), file_sha: sha, ...(this.options.signal ? { request: { signal: this.options.signal } } : {}) }).then(
      ({ data }) => {
        const text = data.encoding === "base64" ? Buffer.from(data.content, "base64").toString("utf8") : data.content;
        this.keep(sha, text);
        return text;
      },
      (error: unknown) => {
        if (this.options.signal?.aborted) throw error;
        throw readError(path, error);
      },
    );
  }
}

/** A read that failed, worded for the check run (a 404 too: the tree said the blob exists). */
function readError(path: string, error: unknown): SnapshotReadError {
  return new SnapshotReadError(path, describeGitHubFailure(error), isRetryableGitHubFailure(error), { cause: error });
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lists the head tree and the changed files, and returns the snapshot that reads the rest on demand. */
export async function loadGitHubSnapshot(api: GitHubApi, options: GitHubSnapshotOptions): Promise<GitHubSnapshot> {
  const repoRef = { owner: options.owner, repo: options.repo };
  const notes: string[] = [];
  // The changed files first: whether GitHub's list is complete decides how the trees are read.
  const listed = await listChanges(api, options);
  let head: RepoTree;
  let changed = listed.files;
  if (!listed.capped) {
    head = await loadTree(api, { ...repoRef, ref: options.headSha, wanted: options.wanted, signal: options.signal });
  } else {
    // GitHub's list stops short: diff the head's tree against the merge base's, both read in one query.
    const [headTree, base] = await loadTreesInOneQuery(api, { ...repoRef, commits: [options.headSha, listed.mergeBase], wanted: options.wanted, signal: options.signal });
    head = headTree!;
    changed = diffTrees(base!, head);
    notes.push(
      `GitHub lists at most ${COMPARE_FILES_LIMIT} changed files and this change has more; the changed files were worked out by comparing the git trees instead (renames show as a removal plus an addition).`,
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
  mergeBase: string;
}

/**
 * The changed files of `base...head` in one request, for pull requests too:
 * the compare API lists up to 300 files with the merge base, where the pull
 * request files API needs one request per 100 files (30 for a big change).
 * Past 300 the caller diffs the trees instead.
 */
async function listChanges(api: GitHubApi, options: GitHubSnapshotOptions): Promise<ListedChanges> {
  const { data } = await api.rest.repos.compareCommitsWithBasehead({
    owner: options.owner,
    repo: options.repo,
    basehead: `${options.baseSha}...${options.headSha}`,
    per_page: 1, // only the files and the merge base matter, not the commit list
    ...(options.signal ? { request: { signal: options.signal } } : {}),
  });
  const files = data.files ?? [];
  return { files: files.map(toChangedFile), capped: files.length >= COMPARE_FILES_LIMIT, mergeBase: data.merge_base_commit.sha };
}

function toChangedFile(file: { filename: string; status: string; previous_filename?: string | undefined }): ChangedFile {
  return {
    path: file.filename,
    status: file.status as ChangeStatus,
    ...(file.previous_filename ? { previousPath: file.previous_filename } : {}),
  };
}
