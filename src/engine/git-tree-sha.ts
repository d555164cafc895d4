import { createHash } from "node:crypto";

/**
 * Computes the git tree sha of a folder from its files, as `git write-tree`
 * would for regular (100644) files and symbolic links (120000, whose blob is
 * the link's target path). Lets the in-memory and working-tree snapshots
 * answer `treeSha` without a git object database.
 */
export function gitTreeSha(files: ReadonlyMap<string, string | Buffer | SymbolicLink>): string {
  type Dir = Map<string, Dir | Blob>;
  const root: Dir = new Map();
  for (const [path, content] of files) {
    const parts = path.split("/");
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.get(part);
      if (!(next instanceof Map)) {
        next = new Map();
        dir.set(part, next);
      }
      dir = next;
    }
    const link = isSymbolicLink(content);
    dir.set(parts[parts.length - 1]!, { sha: gitBlobSha(link ? content.target : content), mode: link ? "120000" : "100644" });
  }
  return writeTree(root);
}

/** A symbolic link as git stores it: its target path is the blob. */
export interface SymbolicLink {
  target: Buffer;
}

interface Blob {
  sha: string;
  mode: "100644" | "120000";
}

function isSymbolicLink(content: string | Buffer | SymbolicLink): content is SymbolicLink {
  return typeof content === "object" && !Buffer.isBuffer(content);
}

export function gitBlobSha(content: string | Buffer): string {
  const body = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return sha1(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body]));
}

function writeTree(dir: Map<string, unknown>): string {
  // Git sorts entries by name, with trees compared as if their name ended in "/".
  const entries = [...dir.entries()].map(([name, value]) => {
    const isTree = value instanceof Map;
    const blob = value as Blob;
    return { name, isTree, sha: isTree ? writeTree(value as Map<string, unknown>) : blob.sha, mode: isTree ? "40000" : blob.mode };
  });
  entries.sort((a, b) => {
    const ka = a.isTree ? `${a.name}/` : a.name;
    const kb = b.isTree ? `${b.name}/` : b.name;
    return Buffer.compare(Buffer.from(ka), Buffer.from(kb));
  });
  const body = Buffer.concat(
    entries.map((e) =>
      Buffer.concat([Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.sha, "hex")]),
    ),
  );
  return sha1(Buffer.concat([Buffer.from(`tree ${body.length}\0`), body]));
}

function sha1(data: Buffer): string {
  return createHash("sha1").update(data).digest("hex");
}
