import type { ChangedFile } from "../engine/snapshot.js";
import type { GitHubApi, RepoRef } from "./api.js";

/** A commit's tree as the rules need it: every file's blob sha and every folder's tree sha, by path. */
export interface RepoTree {
  /** The root tree sha. */
  sha: string;
  blobs: Map<string, string>;
  /** Blob sizes in bytes by path, where GitHub listed them (to size GraphQL batches). */
  sizes: Map<string, number>;
  trees: Map<string, string>;
  /** Submodule paths (git "commit" entries): nothing the rules can read, but a service folder can be one. */
  submodules: string[];
  /**
   * Folders whose contents were not listed: too large for GitHub to list
   * even on their own, and not read by the rules (see `loadTree`).
   */
  skipped: string[];
}

export interface LoadTreeOptions extends RepoRef {
  /** A commit or tree sha. */
  ref: string;
  /**
   * When GitHub truncates the recursive listing (over 100,000 entries or
   * 7 MB), a folder too large to list even on its own is walked level by
   * level only when this returns true.
   */
  wanted: (dir: string) => boolean;
  signal?: AbortSignal | undefined;
}

/**
 * Lists a commit's tree with one recursive request; when GitHub truncates
 * it, lists it folder by folder instead (one recursive request per folder),
 * going level by level into huge folders only where the rules read.
 */
export async function loadTree(api: GitHubApi, options: LoadTreeOptions): Promise<RepoTree> {
  const { owner, repo, signal } = options;
  const fetchTree = async (treeSha: string, recursive: boolean) =>
    (
      await api.rest.git.getTree({
        owner,
        repo,
        tree_sha: treeSha,
        ...(recursive ? { recursive: "1" } : {}),
        ...(signal ? { request: { signal } } : {}),
      })
    ).data;

  const top = await fetchTree(options.ref, true);
  const tree: RepoTree = { sha: top.sha, blobs: new Map(), sizes: new Map(), trees: new Map([["", top.sha]]), submodules: [], skipped: [] };
  const add = (prefix: string, entries: typeof top.tree) => {
    for (const entry of entries) {
      if (!entry.path || !entry.sha) continue;
      const path = prefix ? `${prefix}/${entry.path}` : entry.path;
      if (entry.type === "blob") {
        tree.blobs.set(path, entry.sha);
        if (typeof entry.size === "number") tree.sizes.set(path, entry.size);
      }
      else if (entry.type === "tree") tree.trees.set(path, entry.sha);
      else if (entry.type === "commit") tree.submodules.push(path);
    }
  };
  if (!top.truncated) {
    add("", top.tree);
    return tree;
  }

  // Truncated: list level by level; each folder is fetched recursively on its own (usually
  // small enough to come back whole). A folder that is itself too large is walked further
  // only if the rules read it; otherwise it is left out and reported.
  const walk = async (treeSha: string, prefix: string): Promise<void> => {
    const level = await fetchTree(treeSha, false);
    add(prefix, level.tree);
    for (const entry of level.tree) {
      if (entry.type !== "tree" || !entry.path || !entry.sha) continue;
      const path = prefix ? `${prefix}/${entry.path}` : entry.path;
      const sub = await fetchTree(entry.sha, true);
      if (!sub.truncated) add(path, sub.tree);
      else if (options.wanted(path)) await walk(entry.sha, path);
      else tree.skipped.push(path);
    }
  };
  await walk(top.sha, "");
  return tree;
}

/** The files that differ between two trees (what a diff of the two commits lists), sorted by path. */
export function diffTrees(base: RepoTree, head: RepoTree): ChangedFile[] {
  const out: ChangedFile[] = [];
  for (const [path, sha] of head.blobs) {
    const before = base.blobs.get(path);
    if (before === undefined) out.push({ path, status: "added" });
    else if (before !== sha) out.push({ path, status: "modified" });
  }
  for (const path of base.blobs.keys()) {
    if (!head.blobs.has(path)) out.push({ path, status: "removed" });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The folders the rules read (SPEC section 1), as a predicate for `loadTree`:
 * true for those folders, everything inside them, and their ancestors.
 */
export function rulesReadFolder(servicesDir: string): (dir: string) => boolean {
  const roots = [servicesDir, "packages/contracts", "docs", ".github", ".changeset"];
  return (dir) =>
    roots.some((root) => dir === root || dir.startsWith(`${root}/`) || root.startsWith(`${dir}/`)) ||
    dir === "packages" ||
    /^packages\/sdk-[^/]+(\/|$)/.test(dir);
}

/**
 * How deep one GraphQL query lists a tree. GraphQL fragments cannot recurse,
 * so the query spells out this many levels; a folder deeper than that is
 * listed with one REST request of its own (rare: hand-written monorepos are
 * shallower).
 */
export const GRAPHQL_TREE_DEPTH = 10;

/**
 * Several commits' trees in one GraphQL request, where REST needs one
 * recursive request per commit: used when a big change has to be worked out
 * by diffing the head against the merge base (issue 10's request budget).
 */
export async function loadTreesInOneQuery(api: GitHubApi, options: RepoRef & { commits: readonly string[]; wanted: (dir: string) => boolean; signal?: AbortSignal | undefined }): Promise<RepoTree[]> {
  const { owner, repo, commits, signal } = options;
  const variables: Record<string, string> = { owner, name: repo };
  commits.forEach((sha, i) => (variables[`c${i}`] = sha));
  const data = await api.graphql<{ repository: Record<string, { tree?: GraphqlTree } | null> | null }>(treesQuery(commits.length), {
    ...variables,
    ...(signal ? { request: { signal } } : {}),
  });
  return Promise.all(
    commits.map(async (sha, i) => {
      const root = data.repository?.[`c${i}`]?.tree;
      if (!root) throw Object.assign(new Error(`commit ${sha} not found in ${owner}/${repo}`), { status: 404 });
      const tree: RepoTree = { sha: root.oid, blobs: new Map(), sizes: new Map(), trees: new Map([["", root.oid]]), submodules: [], skipped: [] };
      const deeper: { path: string; sha: string }[] = [];
      const add = (prefix: string, level: GraphqlTree) => {
        for (const entry of level.entries ?? []) {
          const path = prefix ? `${prefix}/${entry.name}` : entry.name;
          if (entry.type === "blob") {
            tree.blobs.set(path, entry.oid);
            if (typeof entry.size === "number") tree.sizes.set(path, entry.size);
          } else if (entry.type === "tree") {
            tree.trees.set(path, entry.oid);
            if (entry.object?.entries) add(path, entry.object);
            else deeper.push({ path, sha: entry.oid });
          } else if (entry.type === "commit") {
            tree.submodules.push(path);
          }
        }
      };
      add("", root);
      for (const folder of deeper) {
        const sub = await loadTree(api, { owner, repo, ref: folder.sha, wanted: (dir) => options.wanted(`${folder.path}/${dir}`), signal });
        for (const [path, blob] of sub.blobs) tree.blobs.set(`${folder.path}/${path}`, blob);
        for (const [path, size] of sub.sizes) tree.sizes.set(`${folder.path}/${path}`, size);
        for (const [path, sub_] of sub.trees) if (path) tree.trees.set(`${folder.path}/${path}`, sub_);
        tree.submodules.push(...sub.submodules.map((p) => `${folder.path}/${p}`));
        tree.skipped.push(...sub.skipped.map((p) => `${folder.path}/${p}`));
      }
      return tree;
    }),
  );
}

interface GraphqlTree {
  oid: string;
  entries?: { name: string; type: string; oid: string; size?: number; object?: GraphqlTree | null }[];
}

/** `c0: object(oid: $c0) { ... on Commit { tree { oid ...L1 } } }`, with levels L1…L(depth) spelled out. */
export function treesQuery(commits: number, depth = GRAPHQL_TREE_DEPTH): string {
  const declarations = ["$owner: String!", "$name: String!", ...Array.from({ length: commits }, (_, i) => `$c${i}: GitObjectID!`)];
  const fields = Array.from({ length: commits }, (_, i) => `    c${i}: object(oid: $c${i}) { ... on Commit { tree { oid ...L1 } } }`);
  const levels = Array.from({ length: depth }, (_, i) => {
    const next = i + 1 < depth ? ` object { ...L${i + 2} }` : "";
    return `fragment L${i + 1} on Tree { entries { name type oid size${next} } }`;
  });
  return [`query Trees(${declarations.join(", ")}) {`, "  repository(owner: $owner, name: $name) {", ...fields, "  }", "}", ...levels].join("\n");
}
