import ts from "typescript";
import { normalizeRepoPath } from "../../engine/names.js";

/** The part of a tsconfig.json that decides how a module specifier resolves. */
export interface PathMapping {
  /** Repository-relative folder non-relative specifiers resolve from (`baseUrl`), if set. */
  baseUrl?: string;
  /** `paths` patterns, with the folder their targets are relative to. */
  paths?: { patterns: Record<string, string[]>; baseDir: string };
}

/** A tsconfig.json larger than this is not read (it is configuration, not code). */
export const TSCONFIG_MAX_BYTES = 256 * 1024;
/** `extends` chains deeper than this are cut (TypeScript has no limit; a hostile chain would). */
export const TSCONFIG_MAX_EXTENDS = 8;

export type ReadFile = (path: string) => Promise<string | undefined>;

/**
 * Reads a tsconfig.json and the configs it `extends` inside the repository,
 * merging `baseUrl` and `paths` as TypeScript does (the nearest config that
 * sets a key wins; both are relative to the config that sets them). JSONC is
 * parsed with TypeScript's own scanner (comments, trailing commas), which is
 * linear in the text. `extends` naming a package outside the repository is
 * ignored: nothing is read from node_modules.
 */
export async function readPathMapping(path: string, read: ReadFile, resolvePackageFile?: (specifier: string) => string | undefined): Promise<PathMapping> {
  const mapping: PathMapping = {};
  const seen = new Set<string>();
  let current: string | undefined = path;
  // Walk child → parent; the first config that sets a key keeps it.
  const chain: string[] = [];
  for (let depth = 0; current && depth <= TSCONFIG_MAX_EXTENDS && !seen.has(current); depth++) {
    seen.add(current);
    chain.push(current);
    const json = parseJsonc(current, await read(current));
    if (!json) break;
    const dir = dirOf(current);
    const options = (json["compilerOptions"] ?? {}) as Record<string, unknown>;
    if (mapping.baseUrl === undefined && typeof options["baseUrl"] === "string") {
      const base = normalizeRepoPath(`${dir}/${options["baseUrl"]}`);
      if (base !== undefined) mapping.baseUrl = base;
    }
    if (mapping.paths === undefined && isRecord(options["paths"])) {
      const patterns: Record<string, string[]> = {};
      for (const [key, targets] of Object.entries(options["paths"])) {
        if (Array.isArray(targets)) patterns[key] = targets.filter((t): t is string => typeof t === "string");
      }
      mapping.paths = { patterns, baseDir: dir };
    }
    current = extendsTarget(dir, json["extends"], resolvePackageFile);
  }
  // `paths` without `baseUrl` resolve from the config that declares them; with one, from baseUrl.
  if (mapping.paths && mapping.baseUrl !== undefined) mapping.paths = { ...mapping.paths, baseDir: mapping.baseUrl };
  return mapping;
}

function extendsTarget(dir: string, value: unknown, resolvePackageFile?: (specifier: string) => string | undefined): string | undefined {
  // An array of bases: the last one has the highest priority among them, so follow it.
  const spec = Array.isArray(value) ? value.filter((v): v is string => typeof v === "string").at(-1) : typeof value === "string" ? value : undefined;
  if (!spec) return undefined;
  const withJson = (p: string) => (p.endsWith(".json") ? p : `${p}.json`);
  if (spec.startsWith(".") || spec.startsWith("/")) {
    const joined = normalizeRepoPath(spec.startsWith("/") ? spec : `${dir}/${spec}`);
    return joined === undefined ? undefined : withJson(joined);
  }
  return resolvePackageFile?.(spec);
}

/** A JSON-with-comments object, or undefined when the text is missing, too large or not an object. */
export function parseJsonc(path: string, text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined || text.length > TSCONFIG_MAX_BYTES) return undefined;
  // Most files (every package.json) are plain JSON: the native parser first, the compiler's JSONC reader for comments and trailing commas.
  try {
    const json: unknown = JSON.parse(text);
    return isRecord(json) ? json : undefined;
  } catch {
    const { config } = ts.parseConfigFileTextToJson(path, text) as { config?: unknown };
    return isRecord(config) ? config : undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}
