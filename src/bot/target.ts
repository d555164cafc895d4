/** What one check is about: a head commit, its base, and the pull request when there is one. */
export interface CheckTarget {
  owner: string;
  repo: string;
  headSha: string;
  /** Base contents and the merge-group diff are read from this commit. */
  baseSha: string;
  /** The base branch: configuration is read from it, so a pull request cannot switch its own checks off. */
  baseRef: string;
  /** Absent for merge groups (no pull request, no comment). */
  pullNumber?: number;
  /**
   * Where the changed files come from: the pull request's file list (default
   * with a pull request; it describes the pull request's latest head only) or
   * `compare` of base...head (merge groups, and re-runs of an older head).
   */
  changes?: "pull" | "compare";
  /** The webhook that asked for the check (`pull_request.synchronize`), for logs and metrics. */
  trigger: string;
  /** This head is the latest of its pull request, so it supersedes work on older heads. */
  supersedes: boolean;
}

/** One run at a time per pull request; a merge group is keyed by its head. */
export function queueKey(target: Pick<CheckTarget, "owner" | "repo" | "pullNumber" | "headSha">): string {
  return target.pullNumber !== undefined ? pullKey(target.owner, target.repo, target.pullNumber) : `${target.owner}/${target.repo}@${target.headSha}`;
}

export function pullKey(owner: string, repo: string, number: number): string {
  return `${owner}/${repo}#${number}`;
}

/** `refs/heads/main` → `main`. */
export function branchName(ref: string): string {
  return ref.replace(/^refs\/heads\//, "");
}
