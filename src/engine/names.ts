/** `billing-ledger` → `billingLedger` (SPEC section 1). */
export function camelName(folder: string): string {
  return folder.replace(/[-_]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `example.created.v1` → `EXAMPLE_CREATED_V1`. */
export function eventConstantName(event: string): string {
  return event.replace(/[.\-]/g, "_").toUpperCase();
}

export function isKebabCase(name: string): boolean {
  return /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name);
}

/** Joins repository-relative path segments and normalises `.`/`..`; returns undefined when it escapes the root. */
export function joinRepoPath(dir: string, relative: string): string | undefined {
  return normalizeRepoPath(`${dir}/${relative}`);
}

/** Drops empty and `.` segments and applies `..`; undefined when the path climbs above the root. */
export function normalizeRepoPath(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join("/");
}
