import type { GitHubApi, RepoRef } from "./api.js";
import { isOwnStickyComment, type StickyComment } from "./comment.js";

/** Where a pull request stands when a check finishes: its current head, and the bot's sticky comment. */
export interface PullState {
  headSha: string;
  sticky: StickyComment | undefined;
}

/**
 * The pull request's head and its sticky comment in one GraphQL request
 * (REST needs two: the pull request, then its comments), read as late as
 * possible so that a tick made a moment ago is seen. A pull request with more
 * than 100 comments and no sticky comment among the first 100 costs one more
 * request per further 100.
 *
 * Comments authored by this app's installation are the ones GitHub marks
 * `viewerDidAuthor` (the query runs with the installation's token).
 */
export async function readPullState(api: GitHubApi, repo: RepoRef, number: number, appId?: number): Promise<PullState> {
  let after: string | null = null;
  let headSha: string | undefined;
  for (;;) {
    const data: PullStateQuery = await api.graphql<PullStateQuery>(PULL_STATE_QUERY, { owner: repo.owner, name: repo.repo, number, after });
    const pull = data.repository?.pullRequest;
    if (!pull) throw Object.assign(new Error(`pull request ${repo.owner}/${repo.repo}#${number} not found`), { status: 404 });
    headSha ??= pull.headRefOid;
    for (const node of pull.comments.nodes) {
      if (!node) continue;
      const asRest = {
        id: node.databaseId,
        body: node.body,
        user: { type: node.author?.__typename === "Bot" ? "Bot" : "User" },
        // Another app's comment is not ours even without its id: only the viewer's own count as this app's.
        performed_via_github_app: node.viewerDidAuthor ? null : { id: -1 },
      };
      if (isOwnStickyComment(asRest, appId)) return { headSha, sticky: { id: node.databaseId, body: node.body } };
    }
    if (!pull.comments.pageInfo.hasNextPage) return { headSha, sticky: undefined };
    after = pull.comments.pageInfo.endCursor;
  }
}

export const PULL_STATE_QUERY = `query PullState($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      headRefOid
      comments(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { databaseId body viewerDidAuthor author { __typename login } }
      }
    }
  }
}`;

interface PullStateQuery {
  repository: {
    pullRequest: {
      headRefOid: string;
      comments: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: ({ databaseId: number; body: string; viewerDidAuthor: boolean; author: { __typename: string; login: string } | null } | null)[];
      };
    } | null;
  } | null;
}
