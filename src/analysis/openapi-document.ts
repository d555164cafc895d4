import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { RepoContext, ServiceContext } from "../engine/context.js";
import type { Position } from "../engine/types.js";

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
    const resolved = normalize(`${ctx.service.dir}/${declared.trim()}`);
    return { path: resolved ?? ctx.path("openapi.yaml"), declaredAt: { path: descriptor.path, ...descriptor.valuePositionOf(["contracts", "openapi"]) }, declared: true };
  }
  return { path: ctx.path("openapi.yaml"), declared: false };
}

export function parseOpenApi(path: string, text: string | undefined): OpenApiDocument {
  const top: Position = { line: 1, column: 1 };
  if (text === undefined) return { path, text, data: undefined, operations: [], locate: () => ({ position: top, exact: false }) };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const error = doc.errors[0];
  if (error) {
    const at = pos(error.pos[0]);
    return { path, text, syntaxError: { message: error.message.split("\n")[0]!, ...at }, data: undefined, operations: [], locate: () => ({ position: at, exact: false }) };
  }
  const locate = (keyPath: readonly (string | number)[]) => locateIn(doc, keyPath, pos);
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
        const at = opPair.key.range ? pos(opPair.key.range[0]) : top;
        operations.push({ method, path: pathKey, ...at });
      }
    }
  }
  return { path, text, data: doc.toJS(), operations, locate };
}

function locateIn(doc: Document, keyPath: readonly (string | number)[], pos: (offset: number) => Position): { position: Position; exact: boolean } {
  let node: unknown = doc.contents;
  let best: Position = { line: 1, column: 1 };
  for (const key of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) return { position: best, exact: false };
      const keyNode = pair.key as { range?: [number, number, number] };
      if (keyNode.range) best = pos(keyNode.range[0]);
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number") {
      const item = node.items[key] as { range?: [number, number, number] } | undefined;
      if (!item) return { position: best, exact: false };
      if (item.range) best = pos(item.range[0]);
      node = item;
    } else return { position: best, exact: false };
  }
  return { position: best, exact: true };
}

function normalize(path: string): string | undefined {
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
