import { normalizeRepoPath } from "../../engine/names.js";
import type { Workspace, WorkspacePackage } from "../workspace-packages.js";
import { dirOf, parseJsonc, readPathMapping, type PathMapping, type ReadFile } from "./tsconfig.js";

/** File kinds the program parses. */
export const SOURCE_FILE = /\.(c|m)?[jt]sx?$/;
const TS_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
/** A built output a workspace package points at (`./dist/index.js`) is read from its source (`./src/index.ts`). */
const BUILD_FOLDERS = ["dist/", "build/", "lib/", "out/"];

interface PackageManifest {
  dir: string;
  imports?: unknown;
  exports?: unknown;
  main?: unknown;
  types?: unknown;
  module?: unknown;
}

export interface ModuleResolverHost {
  read: ReadFile;
  exists(path: string): boolean;
  workspace(): Promise<Workspace>;
}

/**
 * Resolves module specifiers to repository files the way a service's own
 * toolchain would, without node_modules: relative paths (`.js` naming `.ts`,
 * folders with an `index`), the nearest tsconfig.json's `paths`/`baseUrl`,
 * package.json `imports` (`#x`), and workspace packages by their package.json
 * name. Anything else (npm packages) is outside the repository and resolves to
 * nothing.
 *
 * Resolution is synchronous (the compiler asks for it while building the
 * program), so the configuration a file depends on is loaded beforehand with
 * `prepare(file)`.
 */
export class ModuleResolver {
  private readonly mappings = new Map<string, Promise<PathMapping | undefined>>();
  private readonly readyMappings = new Map<string, PathMapping | undefined>();
  private readonly manifests = new Map<string, Promise<PackageManifest | undefined>>();
  private readonly readyManifests = new Map<string, PackageManifest | undefined>();
  private workspace: Workspace | undefined;
  private workspaceReady: Promise<void> | undefined;

  constructor(private readonly host: ModuleResolverHost) {}

  /** Loads what resolving imports of `file` needs: its tsconfig chain, package.json and the workspace. */
  async prepare(file: string): Promise<void> {
    // Every workspace manifest once per check, not once per file (a loop of awaits per file was quadratic).
    this.workspaceReady ??= this.host.workspace().then(async (workspace) => {
      this.workspace = workspace;
      await Promise.all(workspace.packages.map((pkg) => this.loadManifest(pkg.manifestPath)));
    });
    await this.workspaceReady;
    const dir = dirOf(file);
    const tsconfig = this.nearest(dir, "tsconfig.json");
    if (tsconfig !== undefined && !this.readyMappings.has(tsconfig)) {
      let p = this.mappings.get(tsconfig);
      if (!p) {
        p = readPathMapping(tsconfig, this.host.read, (spec) => this.resolvePackageFile(spec));
        this.mappings.set(tsconfig, p);
      }
      this.readyMappings.set(tsconfig, await p);
    }
    const manifest = this.nearest(dir, "package.json");
    if (manifest !== undefined) await this.loadManifest(manifest);
  }

  /** The repository file `specifier` names from `fromFile`, or undefined (outside the repository, or missing). */
  resolve(specifier: string, fromFile: string): string | undefined {
    const dir = dirOf(fromFile);
    if (specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..") {
      const joined = normalizeRepoPath(`${dir}/${specifier}`);
      return joined === undefined ? undefined : this.file(joined);
    }
    if (specifier.startsWith("#")) return this.packageImport(specifier, dir);
    const mapped = this.tsconfigPath(specifier, dir);
    if (mapped !== undefined) return mapped;
    return this.workspacePackageFile(specifier);
  }

  private tsconfigPath(specifier: string, dir: string): string | undefined {
    const tsconfig = this.nearest(dir, "tsconfig.json");
    const mapping = tsconfig === undefined ? undefined : this.readyMappings.get(tsconfig);
    if (!mapping) return undefined;
    if (mapping.paths) {
      const match = bestPattern(Object.keys(mapping.paths.patterns), specifier);
      if (match) {
        for (const target of mapping.paths.patterns[match.pattern] ?? []) {
          const joined = normalizeRepoPath(`${mapping.paths.baseDir}/${target.replace("*", match.star)}`);
          const found = joined === undefined ? undefined : this.file(joined);
          if (found) return found;
        }
      }
    }
    if (mapping.baseUrl !== undefined) {
      const joined = normalizeRepoPath(`${mapping.baseUrl}/${specifier}`);
      return joined === undefined ? undefined : this.file(joined);
    }
    return undefined;
  }

  private packageImport(specifier: string, dir: string): string | undefined {
    const manifestPath = this.nearest(dir, "package.json");
    const manifest = manifestPath === undefined ? undefined : this.readyManifests.get(manifestPath);
    if (!manifest || !isRecord(manifest.imports)) return undefined;
    return this.subpathTarget(manifest, manifest.imports, specifier);
  }

  private workspacePackageFile(specifier: string): string | undefined {
    const pkg = this.packageNamed(specifier);
    if (!pkg) return undefined;
    const manifest = this.readyManifests.get(pkg.manifestPath) ?? { dir: pkg.dir };
    const subpath = `.${specifier.slice(pkg.name.length)}`;
    if (manifest.exports !== undefined) {
      const exportsMap = typeof manifest.exports === "string" || Array.isArray(manifest.exports) || !Object.keys(manifest.exports as object).some((k) => k.startsWith(".")) ? { ".": manifest.exports } : manifest.exports;
      const found = this.subpathTarget(manifest, exportsMap as Record<string, unknown>, subpath);
      if (found) return found;
    }
    if (subpath === ".") {
      for (const field of [manifest.types, manifest.module, manifest.main]) {
        if (typeof field !== "string") continue;
        const found = this.packageFile(manifest.dir, field);
        if (found) return found;
      }
      return this.file(`${pkg.dir}/src/index`) ?? this.file(`${pkg.dir}/index`);
    }
    const rest = subpath.slice(2);
    return this.file(`${pkg.dir}/${rest}`) ?? this.file(`${pkg.dir}/src/${rest}`);
  }

  /** `exports` / `imports` lookup: exact keys, then the longest `*` pattern; condition objects pick types, import, default. */
  private subpathTarget(manifest: PackageManifest, map: Record<string, unknown>, key: string): string | undefined {
    let target: unknown = map[key];
    let star = "";
    if (target === undefined) {
      const match = bestPattern(Object.keys(map).filter((k) => k.includes("*")), key);
      if (!match) return undefined;
      target = map[match.pattern];
      star = match.star;
    }
    for (const candidate of conditionTargets(target)) {
      const found = this.packageFile(manifest.dir, candidate.replace("*", star));
      if (found) return found;
    }
    return undefined;
  }

  private packageFile(dir: string, target: string): string | undefined {
    if (!target.startsWith("./")) return undefined; // a bare target points into node_modules
    const relative = target.slice(2);
    const direct = normalizeRepoPath(`${dir}/${relative}`);
    if (direct === undefined) return undefined;
    const found = this.file(direct);
    if (found) return found;
    const build = BUILD_FOLDERS.find((f) => relative.startsWith(f));
    if (!build) return undefined;
    const source = normalizeRepoPath(`${dir}/src/${relative.slice(build.length).replace(/\.d\.ts$/, ".ts")}`);
    return source === undefined ? undefined : this.file(source);
  }

  /** A repository source file for a path as written: itself, with an extension, `.js` naming `.ts`, or a folder's index. */
  private file(path: string): string | undefined {
    if (path.split("/").includes("node_modules")) return undefined;
    const jsMatch = /\.(m|c)?jsx?$/.exec(path);
    if (jsMatch) {
      const stem = path.slice(0, -jsMatch[0].length);
      const m = jsMatch[1] ?? "";
      for (const ext of [`.${m}ts`, ...(m === "" ? [".tsx"] : [])]) if (this.host.exists(stem + ext)) return stem + ext;
    }
    if (SOURCE_FILE.test(path) && this.host.exists(path)) return path;
    for (const ext of TS_EXTENSIONS) if (this.host.exists(path + ext)) return path + ext;
    for (const ext of TS_EXTENSIONS) if (this.host.exists(`${path}/index${ext}`)) return `${path}/index${ext}`;
    return undefined;
  }

  /** A package file named like `extends: "@repo/tsconfig/base.json"`. */
  private resolvePackageFile(specifier: string): string | undefined {
    const pkg = this.packageNamed(specifier);
    if (!pkg) return undefined;
    const rest = specifier.slice(pkg.name.length + 1) || "tsconfig.json";
    const path = normalizeRepoPath(`${pkg.dir}/${rest.endsWith(".json") ? rest : `${rest}.json`}`);
    return path !== undefined && this.host.exists(path) ? path : undefined;
  }

  /** The workspace package a specifier names (`@scope/pkg`, `@scope/pkg/sub/path`): the longest package name it starts with. */
  private packageNamed(specifier: string): WorkspacePackage | undefined {
    const byName = this.workspace?.byName;
    if (!byName) return undefined;
    for (let end = specifier.length; end > 0; end = specifier.lastIndexOf("/", end - 1)) {
      const pkg = byName.get(specifier.slice(0, end));
      if (pkg) return pkg;
    }
    return undefined;
  }

  /** The nearest `name` in `dir` or a parent folder, inside the repository. */
  private nearest(dir: string, name: string): string | undefined {
    for (let current: string | undefined = dir; current !== undefined; current = current === "" ? undefined : dirOf(current)) {
      const candidate = current === "" ? name : `${current}/${name}`;
      if (this.host.exists(candidate)) return candidate;
    }
    return undefined;
  }

  private async loadManifest(path: string): Promise<void> {
    if (this.readyManifests.has(path)) return;
    let p = this.manifests.get(path);
    if (!p) {
      p = this.host.read(path).then((text) => {
        const json = parseJsonc(path, text);
        return json ? { dir: dirOf(path), imports: json["imports"], exports: json["exports"], main: json["main"], types: json["types"], module: json["module"] } : undefined;
      });
      this.manifests.set(path, p);
    }
    this.readyManifests.set(path, await p);
  }
}

/** The matching pattern with the longest prefix before `*` (TypeScript's and Node's rule), exact keys first. */
function bestPattern(patterns: readonly string[], specifier: string): { pattern: string; star: string } | undefined {
  if (patterns.includes(specifier)) return { pattern: specifier, star: "" };
  let best: { pattern: string; star: string } | undefined;
  for (const pattern of patterns) {
    const star = pattern.indexOf("*");
    if (star < 0) continue;
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    if (specifier.length < prefix.length + suffix.length || !specifier.startsWith(prefix) || !specifier.endsWith(suffix)) continue;
    if (!best || prefix.length > best.pattern.indexOf("*")) best = { pattern, star: specifier.slice(prefix.length, specifier.length - suffix.length) };
  }
  return best;
}

/** The string targets of an `exports`/`imports` entry, in the order a TypeScript-aware bundler would try them. */
function conditionTargets(target: unknown, depth = 0): string[] {
  if (typeof target === "string") return [target];
  if (depth > 4) return [];
  if (Array.isArray(target)) return target.flatMap((t) => conditionTargets(t, depth + 1));
  if (!isRecord(target)) return [];
  const order = ["types", "import", "node", "default", "require"];
  const keys = [...order.filter((k) => k in target), ...Object.keys(target).filter((k) => !order.includes(k))];
  return keys.flatMap((k) => conditionTargets(target[k], depth + 1));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
