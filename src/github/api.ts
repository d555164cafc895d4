import type { ProbotOctokit } from "probot";

/** The installation-authenticated GitHub client Probot hands to each webhook (`context.octokit`). */
export type GitHubApi = ProbotOctokit;

/** Which repository the bot reads and writes: always the base repository, also for pull requests from forks. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** The HTTP status of an Octokit request error, if it has one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

export function isNotFound(error: unknown): boolean {
  return httpStatus(error) === 404;
}

/** Short sha for titles and logs. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
