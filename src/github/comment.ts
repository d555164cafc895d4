import { isStickyComment } from "../report/comment.js";
import type { GitHubApi, RepoRef } from "./api.js";
import { fitMarkdown, GITHUB_LIMITS } from "./limits.js";

export interface StickyComment {
  id: number;
  body: string;
}

interface IssueComment {
  id: number;
  body?: string | undefined;
  user: { type?: string } | null;
  performed_via_github_app?: { id?: number } | null | undefined;
}

/**
 * Whether a comment is the bot's sticky comment: it carries the hidden marker
 * and was written by a bot account (by this app, when the app id is known and
 * GitHub says which app wrote it). A person quoting the marker does not count.
 */
export function isOwnStickyComment(comment: IssueComment, appId?: number): boolean {
  if (!isStickyComment(comment.body) || comment.user?.type !== "Bot") return false;
  const via = comment.performed_via_github_app?.id;
  return appId === undefined || via === undefined || via === appId;
}

/** The pull request's sticky comment, found by its marker among all its comments (paginated). */
export async function findStickyComment(api: GitHubApi, repo: RepoRef, number: number, appId?: number): Promise<StickyComment | undefined> {
  const comments = await api.paginate(api.rest.issues.listComments, { ...repo, issue_number: number, per_page: 100 });
  const own = comments.find((c) => isOwnStickyComment(c, appId));
  return own ? { id: own.id, body: own.body ?? "" } : undefined;
}

/** Edits the sticky comment in place, or creates it when there is none. Returns its id. */
export async function writeStickyComment(
  api: GitHubApi,
  repo: RepoRef,
  number: number,
  existing: StickyComment | undefined,
  fullBody: string,
): Promise<number> {
  // The renderer budgets below the limit (its state block must stay whole); this is the last word.
  const body = fitMarkdown(fullBody, GITHUB_LIMITS.commentBody, "\n\n_…cut to stay within GitHub's comment limit._\n");
  if (existing) {
    if (existing.body !== body) await api.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
    return existing.id;
  }
  const { data } = await api.rest.issues.createComment({ ...repo, issue_number: number, body });
  return data.id;
}
