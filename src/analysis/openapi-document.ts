import { isMap, isScalar } from "yaml";
import type { RepoContext, ServiceContext } from "../engine/context.js";
import { normalizeRepoPath } from "../engine/names.js";
import type { Position } from "../engine/types.js";
import { parseYamlDocument } from "../engine/yaml-document.js";

/** The HTTP methods an OpenAPI path item may hold (OpenAPI 3.x). */
export const OPENAPI_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export interface OpenApiOperation {
  /** Lower-case method. */
  method: string;
  /** The path key as written (`/v1/invoices/{id}`). */
  path: string;
  /** Where the method key is. */
  line: number;
  column: number;
}

/** An OpenAPI file parsed once per check, with positions for every key. */
export interface OpenApiDocument {
  path: string;
  /** `undefined` when the file does not exist. */
  text: string | undefined;
  syntaxError?: { message: string } & Position;
  /** Plain data, when the file parses. */
  data: unknown;
  /** Every operation under `paths`, in file order. */
  operations: OpenApiOperation[];
  /** Position of a key (`["paths", "/v1/x", "get"]`) or of a sequence item; `exact: false` when only an ancestor exists. */
  locate(keyPath: readonly (string | number)[]): { position: Position; exact: boolean };
}

/** Parses an OpenAPI YAML (or JSON) file from the head, memoised per path for the whole check. */
export function openApiDocument(ctx: RepoContext, path: string): Promise<OpenApiDocument> {
  return ctx.memo(`openapi-document:${path}`, async () => parseOpenApi(path, await ctx.read(path)));
}

/** Where a service's spec lives: `contracts.openapi` of service.yaml, relative to the service folder (default `openapi.yaml`). */
export async function serviceSpecPath(ctx: ServiceContext): Promise<{ path: string; declaredAt?: { path: string } & Position; declared: boolean }> {
  const descriptor = await ctx.descriptor();
  const contracts = descriptor.data?.["contracts"];
  const declared = contracts && typeof contracts === "object" ? (contracts as Record<string, unknown>)["openapi"] : undefined;
  if (typeof declared === "string" && declared.trim()) {
    const resolved = normalizeRepoPath(`${ctx.service.dir}/${declared.trim()}`);
    return { path: resolved ?? ctx.path("openapi.yaml"), declaredAt: { path: descriptor.path, ...descriptor.valuePositionOf(["contracts", "openapi"]) }, declared: true };
  }
  return { path: ctx.path("openapi.yaml"), declared: false };
}

export function parseOpenApi(path: string, text: string | undefined): OpenApiDocument {
  const parsed = parseYamlDocument(path, text);
  const locate = (keyPath: readonly (string | number)[]) => parsed.locate(keyPath);
  const base = { path, text, data: parsed.data, locate, ...(parsed.syntaxError ? { syntaxError: parsed.syntaxError } : {}) };
  const doc = parsed.doc;
  if (!doc) return { ...base, operations: [] };
  const operations: OpenApiOperation[] = [];
  const paths = isMap(doc.contents) ? doc.contents.get("paths", true) : undefined;
  if (isMap(paths)) {
    for (const pathPair of paths.items) {
      if (!isScalar(pathPair.key) || !isMap(pathPair.value)) continue;
      const pathKey = String(pathPair.key.value);
      for (const opPair of pathPair.value.items) {
        if (!isScalar(opPair.key)) continue;
        const method = String(opPair.key.value).toLowerCase();
        if (!(OPENAPI_METHODS as readonly string[]).includes(method)) continue;
        const at = opPair.key.range ? parsed.pos(opPair.key.range[0]) : { line: 1, column: 1 };
        operations.push({ method, path: pathKey, ...at });
      }
    }
  }
  return { ...base, operations };
}
