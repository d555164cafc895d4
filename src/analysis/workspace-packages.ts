import picomatch from "picomatch";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import type { RepoContext } from "../engine/context.js";
import type { Position } from "../engine/types.js";

/** A package of the pnpm workspace, found through its package.json. */
export interface WorkspacePackage {
  /** The package.json `name`, e.g. `@services/billing-ledger`. */
  name: string;
  /** Repository-relative folder, e.g. `services/billing-ledger`. */
  dir: string;
  /** Repository-relative path of its package.json. */
  manifestPath: string;
  /** Where the top-level `"name"` key sits in package.json (worked out only when a finding needs it). */
  namePosition(): Position;
  /** The service folder name when the package is a service (`services/<name>`), else null. */
  service: string | null;
}

export interface Workspace {
  packages: WorkspacePackage[];
  /** By package name. */
  byName: ReadonlyMap<string, WorkspacePackage>;
  /** The package that owns a repository-relative path (the deepest package folder containing it). */
  packageOf(path: string): WorkspacePackage | undefined;
}

/**
 * The workspace's packages: package.json files whose folder matches the
 * `packages:` globs of `pnpm-workspace.yaml` (negations with `!` exclude),
 * else the root package.json `workspaces`, else `<services_dir>/*` and
 * `packages/*`. Scaffold folders of the services folder (`_template`) and
 * configured ignored folders are not packages anyone releases.
 */
export function workspacePackages(ctx: RepoContext): Promise<Workspace> {
  return ctx.memo("workspace-packages", async () => {
    const { include, exclude } = await workspaceGlobs(ctx);
    const included = include.length > 0 ? picomatch(include) : () => false;
    const excluded = exclude.length > 0 ? picomatch(exclude) : () => false;
    const packages: WorkspacePackage[] = [];
    for (const manifestPath of ctx.snapshot.listFiles()) {
      if (!manifestPath.endsWith("/package.json") || manifestPath.split("/").includes("node_modules")) continue;
      const dir = manifestPath.slice(0, -"/package.json".length);
      if (!included(dir) || excluded(dir) || isScaffold(ctx, dir)) continue;
      const text = await ctx.read(manifestPath);
      const name = text === undefined ? undefined : manifestName(text);
      if (name === undefined) continue; // a package.json without a name is not a releasable package
      packages.push({ name, dir, manifestPath, namePosition: () => namePosition(text!), service: serviceOf(ctx, dir) });
    }
    const byName = new Map(packages.map((p) => [p.name, p]));
    const deepestFirst = [...packages].sort((a, b) => b.dir.length - a.dir.length);
    return {
      packages,
      byName,
      packageOf: (path) => deepestFirst.find((p) => path.startsWith(`${p.dir}/`)),
    };
  });
}

async function workspaceGlobs(ctx: RepoContext): Promise<{ include: string[]; exclude: string[] }> {
  const split = (globs: string[]) => ({
    include: globs.filter((g) => !g.startsWith("!")).map(normaliseGlob),
    exclude: globs.filter((g) => g.startsWith("!")).map((g) => normaliseGlob(g.slice(1))),
  });
  const pnpm = await ctx.read("pnpm-workspace.yaml");
  if (pnpm !== undefined) {
    let packages: unknown;
    try {
      packages = (parseDocument(pnpm).toJS() as { packages?: unknown } | null)?.packages;
    } catch {
      // An unparseable pnpm-workspace.yaml falls through to the next source.
    }
    if (Array.isArray(packages)) return split(packages.filter((g): g is string => typeof g === "string"));
  }
  const root = await ctx.read("package.json");
  if (root !== undefined) {
    try {
      const json = JSON.parse(root) as { workspaces?: unknown };
      const workspaces = Array.isArray(json.workspaces) ? json.workspaces : (json.workspaces as { packages?: unknown } | undefined)?.packages;
      if (Array.isArray(workspaces)) return split(workspaces.filter((g): g is string => typeof g === "string"));
    } catch {
      // An unparseable root package.json falls back to the default layout.
    }
  }
  return split([`${ctx.config.services_dir}/*`, "packages/*"]);
}

/** `./services/*` and `services/*\/` both mean the folder glob `services/*`. */
function normaliseGlob(glob: string): string {
  return glob.trim().replace(/^\.\//, "").replace(/\/+$/, "");
}

function isScaffold(ctx: RepoContext, dir: string): boolean {
  const prefix = `${ctx.config.services_dir}/`;
  if (!dir.startsWith(prefix)) return false;
  const folder = dir.slice(prefix.length);
  return !folder.includes("/") && (folder.startsWith("_") || ctx.config.ignored_folders.includes(folder));
}

function serviceOf(ctx: RepoContext, dir: string): string | null {
  const prefix = `${ctx.config.services_dir}/`;
  if (!dir.startsWith(prefix)) return null;
  const folder = dir.slice(prefix.length);
  return folder.includes("/") ? null : folder;
}

function manifestName(text: string): string | undefined {
  try {
    const json: unknown = JSON.parse(text);
    const name = json !== null && typeof json === "object" ? (json as { name?: unknown }).name : undefined;
    return typeof name === "string" && name.trim() !== "" ? name : undefined;
  } catch {
    return undefined; // not valid JSON: pnpm would refuse it too
  }
}

/** Position of the top-level `"name"` key (JSON is YAML, so the YAML parser gives positions). */
function namePosition(text: string): Position {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const pair = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === "name") : undefined;
  const offset = pair && isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
