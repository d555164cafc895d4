import type { GitHubApi, RepoRef } from "./api.js";

/**
 * Reading many blobs in few requests: one GraphQL query per batch, each
 * object an alias (`o0: object(oid: $o0) { ...blob }`), instead of one REST
 * `GET /git/blobs/{sha}` per file.
 *
 * How big a batch may be. GitHub's node limit (500,000) counts connection
 * items, and an `object(…)` lookup is not a connection, so it does not bind;
 * a query without connections costs one point of the hourly rate limit. What
 * binds is GitHub's 10-second limit per request and the size of the answer, so
 * a batch is bounded by its number of objects AND by the bytes it returns
 * (blob sizes come with the tree listing), and only a few batches are in
 * flight at once (GitHub's secondary limits frown on many concurrent requests).
 */
export interface BlobBatchLimits {
  /** Objects per query. */
  readonly maxObjects: number;
  /** Sum of the blobs' sizes per query, in bytes (when known). */
  readonly maxBytes: number;
  /** Blobs over this size are not batched: GitHub truncates large texts in GraphQL; they are read one by one when a rule asks. */
  readonly maxBlobBytes: number;
  /** Queries in flight at once. */
  readonly inFlight: number;
}

export const BLOB_BATCH_LIMITS: BlobBatchLimits = {
  maxObjects: 500,
  maxBytes: 4 * 1024 * 1024,
  maxBlobBytes: 512 * 1024,
  inFlight: 3,
};

/** One object to look up: by blob sha, or by `<commit>:<path>` when only the path is known (a base file). */
export type BlobLookup = { key: string; size?: number } & ({ oid: string } | { expression: string });

/** What GraphQL said about one object. */
export type BlobLookupResult =
  /** The text, whole. */
  | { kind: "text"; oid: string; text: string }
  /** Nothing at that expression (the file does not exist at that commit). */
  | { kind: "missing" }
  /** A blob GraphQL cannot return as text (binary, or truncated because large): read it over REST if needed. */
  | { kind: "unreadable"; oid: string };

/** Splits lookups into batches within the limits, keeping their order. */
export function planBatches(lookups: readonly BlobLookup[], limits: Pick<BlobBatchLimits, "maxObjects" | "maxBytes"> = BLOB_BATCH_LIMITS): BlobLookup[][] {
  const batches: BlobLookup[][] = [];
  let current: BlobLookup[] = [];
  let bytes = 0;
  for (const lookup of lookups) {
    const size = lookup.size ?? 0;
    if (current.length > 0 && (current.length >= limits.maxObjects || bytes + size > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(lookup);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * The query for one batch. Shas and expressions travel as variables, never
 * spliced into the query text: a path comes from the pull request.
 */
export function blobBatchQuery(repo: RepoRef, batch: readonly BlobLookup[]): { query: string; variables: Record<string, string> } {
  const declarations = ["$owner: String!", "$name: String!"];
  const fields: string[] = [];
  const variables: Record<string, string> = { owner: repo.owner, name: repo.repo };
  batch.forEach((lookup, i) => {
    const alias = `o${i}`;
    if ("oid" in lookup) {
      declarations.push(`$${alias}: GitObjectID!`);
      variables[alias] = lookup.oid;
      fields.push(`${alias}: object(oid: $${alias}) { ...blob }`);
    } else {
      declarations.push(`$${alias}: String!`);
      variables[alias] = lookup.expression;
      fields.push(`${alias}: object(expression: $${alias}) { ...blob }`);
    }
  });
  const query = [
    `query BlobBatch(${declarations.join(", ")}) {`,
    "  repository(owner: $owner, name: $name) {",
    ...fields.map((f) => `    ${f}`),
    "  }",
    "}",
    "fragment blob on Blob { oid text isBinary isTruncated byteSize }",
  ].join("\n");
  return { query, variables };
}

interface BlobNode {
  oid?: string;
  text?: string | null;
  isBinary?: boolean;
  isTruncated?: boolean;
  byteSize?: number;
}

/** Reads one batch; rejects with the request's error (the caller words it for the check run). */
export async function readBlobBatch(api: GitHubApi, repo: RepoRef, batch: readonly BlobLookup[], signal?: AbortSignal): Promise<Map<string, BlobLookupResult>> {
  const { query, variables } = blobBatchQuery(repo, batch);
  let data: { repository?: Record<string, BlobNode | null> | null } | undefined;
  try {
    data = await api.graphql<{ repository?: Record<string, BlobNode | null> | null }>(query, {
      ...variables,
      ...(signal ? { request: { signal } } : {}),
    });
  } catch (error) {
    // GraphQL answers 200 with `errors` for lookups it could not resolve (e.g. an expression whose
    // path is not there) and still returns the rest: keep what came back, treat the others as unknown.
    const partial = (error as { data?: typeof data } | null)?.data;
    if (!partial?.repository || !isGraphqlResponseError(error)) throw error;
    data = partial;
  }
  const repository = data?.repository;
  if (!repository) throw new Error(`GitHub's GraphQL API returned no repository ${repo.owner}/${repo.repo}`);
  const out = new Map<string, BlobLookupResult>();
  batch.forEach((lookup, i) => {
    const node = repository[`o${i}`];
    if (node === undefined) return; // not answered: the caller reads it another way
    if (node === null || node.oid === undefined) {
      // Null for an oid means GitHub does not have it (the tree said it exists): leave it to the REST read, which reports it.
      if ("expression" in lookup) out.set(lookup.key, { kind: "missing" });
      return;
    }
    if (typeof node.text === "string" && !node.isBinary && !node.isTruncated) out.set(lookup.key, { kind: "text", oid: node.oid, text: node.text });
    else out.set(lookup.key, { kind: "unreadable", oid: node.oid });
  });
  return out;
}

function isGraphqlResponseError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "GraphqlResponseError";
}

/** Runs `work` over `items` with at most `limit` at once; rejects with the first failure (the rest still settle). */
export async function inBatches<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}
