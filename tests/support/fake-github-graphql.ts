import type { FakeGitHub, RecordedRequest } from "./fake-github.js";

/**
 * The stand-in's GraphQL endpoint: exactly the queries the bot sends — the
 * pull request's state and two commits' trees (below), and the blob batch of the snapshot
 * (src/github/graphql-blobs.ts), answered from the fake's git objects the way
 * GitHub answers it:
 *
 *   repository(owner: $owner, name: $name) {
 *     o0: object(oid: $o0) { ...blob }               # by blob sha
 *     o1: object(expression: $o1) { ...blob }        # by "<commit>:<path>"
 *   }
 *   fragment blob on Blob { oid text isBinary isTruncated byteSize }
 *
 * A missing object is `null`; a binary blob has `text: null`; a blob over
 * `textLimit` bytes comes back cut with `isTruncated: true`. Any other query
 * shape is not answered (the request is marked unexpected), so a test cannot
 * pass against a query GitHub would not understand the same way.
 */
export interface GraphqlAnswer {
  status: number;
  body: unknown;
}

/** GitHub cuts `Blob.text` of large blobs; the stand-in does the same past this many bytes. */
export const FAKE_GRAPHQL_TEXT_LIMIT = 512 * 1024;

const OBJECT_FIELD = /(\w+): object\((oid|expression): \$(\w+)\) \{ \.\.\.blob \}/g;
const REPOSITORY = /repository\(owner: \$owner, name: \$name\) \{/;
const FRAGMENT = /fragment blob on Blob \{ oid text isBinary isTruncated byteSize \}/;

export function answerGraphql(fake: FakeGitHub, request: RecordedRequest, textLimit = FAKE_GRAPHQL_TEXT_LIMIT): GraphqlAnswer | undefined {
  const query = typeof request.body?.query === "string" ? (request.body.query as string) : undefined;
  const variables = (request.body?.variables ?? {}) as Record<string, unknown>;
  if (query && PULL_STATE.every((part) => part.test(query))) return answerPullState(fake, variables);
  if (query && TREES.test(query)) return answerTrees(fake, query, variables);
  if (!query || !REPOSITORY.test(query) || !FRAGMENT.test(query)) return undefined;
  if (variables["owner"] !== fake.owner || variables["name"] !== fake.repo) {
    return { status: 200, body: { data: { repository: null }, errors: [{ type: "NOT_FOUND", message: "Could not resolve to a Repository" }] } };
  }
  const repository: Record<string, unknown> = {};
  for (const [, alias, by, variable] of query.matchAll(OBJECT_FIELD)) {
    const value = variables[variable!];
    if (typeof value !== "string") return undefined;
    const oid = by === "oid" ? value : resolveExpression(fake, value);
    const blob = oid === undefined ? undefined : fake.blobs.get(oid);
    repository[alias!] = blob === undefined ? null : blobJson(oid!, blob, textLimit);
  }
  return { status: 200, body: { data: { repository } } };
}

/**
 * The pull request's head and its comments, 100 a page (src/github/pull-state.ts):
 *
 *   repository(owner: $owner, name: $name) { pullRequest(number: $number) { headRefOid
 *     comments(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
 *       nodes { databaseId body viewerDidAuthor author { __typename login } } } } }
 *
 * The viewer is the app's installation: it authored the comments the app wrote.
 */
const PULL_STATE = [
  /repository\(owner: \$owner, name: \$name\) \{\s*pullRequest\(number: \$number\) \{\s*headRefOid/,
  /comments\(first: 100, after: \$after\) \{\s*pageInfo \{ hasNextPage endCursor \}/,
  /nodes \{ databaseId body viewerDidAuthor author \{ __typename login \} \}/,
];

function answerPullState(fake: FakeGitHub, variables: Record<string, unknown>): GraphqlAnswer {
  const pull = variables["owner"] === fake.owner && variables["name"] === fake.repo ? fake.pulls.get(Number(variables["number"])) : undefined;
  if (!pull) return { status: 200, body: { data: { repository: { pullRequest: null } }, errors: [{ type: "NOT_FOUND", message: "Could not resolve to a PullRequest" }] } };
  const all = fake.comments.filter((c) => c.issueNumber === pull.number);
  const start = typeof variables["after"] === "string" ? Number(variables["after"]) : 0;
  const page = all.slice(start, start + 100);
  const nodes = page.map((c) => ({
    databaseId: c.id,
    body: c.body,
    viewerDidAuthor: c.user.type === "Bot" && c.performedViaAppId === fake.appId,
    author: { __typename: c.user.type, login: c.user.type === "Bot" ? c.user.login.replace(/\[bot\]$/, "") : c.user.login },
  }));
  const hasNextPage = start + 100 < all.length;
  return {
    status: 200,
    body: { data: { repository: { pullRequest: { headRefOid: pull.head.sha, comments: { pageInfo: { hasNextPage, endCursor: hasNextPage ? String(start + 100) : null }, nodes } } } } },
  };
}

/**
 * Commits' trees, level by level, as deep as the query spells out (src/github/tree.ts):
 *
 *   c0: object(oid: $c0) { ... on Commit { tree { oid ...L1 } } }
 *   fragment L1 on Tree { entries { name type oid size object { ...L2 } } }  …  fragment Ln on Tree { entries { name type oid size } }
 *
 * A blob's `object` matches no Tree fragment: `{}`. Below the last level, folders have no `object`.
 */
const TREES = /^query Trees\(/;
const TREE_COMMIT = /(c\d+): object\(oid: \$(c\d+)\) \{ \.\.\. on Commit \{ tree \{ oid \.\.\.L1 \} \} \}/g;
const TREE_LEVEL = /fragment L(\d+) on Tree \{ entries \{ name type oid size( object \{ \.\.\.L(\d+) \})? \} \}/g;

function answerTrees(fake: FakeGitHub, query: string, variables: Record<string, unknown>): GraphqlAnswer | undefined {
  if (variables["owner"] !== fake.owner || variables["name"] !== fake.repo) return undefined;
  const levels = [...query.matchAll(TREE_LEVEL)];
  const depth = levels.length;
  // The levels must chain L1 → L2 → … → Ln, the last without `object`.
  if (depth === 0 || levels.some((m, i) => Number(m[1]) !== i + 1 || (i + 1 < depth ? Number(m[3]) !== i + 2 : m[2] !== undefined))) return undefined;
  const level = (treeSha: string, n: number): unknown => ({
    oid: treeSha,
    entries: (fake.trees.get(treeSha) ?? []).map((e) => ({
      name: e.name,
      type: e.type,
      oid: e.sha,
      size: e.type === "blob" ? fake.blobs.get(e.sha)!.length : 0,
      ...(n < depth ? { object: e.type === "tree" ? level(e.sha, n + 1) : {} } : {}),
    })),
  });
  const repository: Record<string, unknown> = {};
  for (const [, alias, variable] of query.matchAll(TREE_COMMIT)) {
    const commit = fake.commits.get(String(variables[variable!]));
    repository[alias!] = commit ? { tree: level(commit.tree, 1) } : null;
  }
  return { status: 200, body: { data: { repository } } };
}

/** `<commit or tree sha>:<path>` → the blob sha at that path. */
function resolveExpression(fake: FakeGitHub, expression: string): string | undefined {
  const colon = expression.indexOf(":");
  if (colon < 0) return undefined;
  return fake.filesOf(expression.slice(0, colon)).get(expression.slice(colon + 1));
}

function blobJson(oid: string, blob: Buffer, textLimit: number) {
  // Git's own test: a NUL byte in the first 8000 bytes makes a blob binary.
  const isBinary = blob.subarray(0, 8000).includes(0);
  const isTruncated = !isBinary && blob.length > textLimit;
  return {
    oid,
    text: isBinary ? null : blob.subarray(0, isTruncated ? textLimit : blob.length).toString("utf8"),
    isBinary,
    isTruncated,
    byteSize: blob.length,
  };
}
