import type { Position } from "./types.js";
import { parseYamlDocument } from "./yaml-document.js";

/** `service.yaml` read once per check and shared by every rule that needs it. */
export interface ServiceDescriptor {
  path: string;
  /** `undefined` when the file does not exist. */
  text: string | undefined;
  /** The first YAML syntax error, if any. */
  syntaxError?: { message: string } & Position;
  /** Plain data (`undefined` when missing, unparseable or not a mapping). */
  data: Record<string, unknown> | undefined;
  /** Position of a key (e.g. `["contracts", "openapi"]`), or of its nearest existing parent, or line 1. */
  positionOf(keyPath: readonly (string | number)[]): Position;
  /** Position of a value in a sequence or mapping (e.g. `["brand_scope", 2]`); falls back like positionOf. */
  valuePositionOf(keyPath: readonly (string | number)[]): Position;
}

/** Parses a YAML mapping (service.yaml; also package.json and front matter, which are YAML too). */
export function parseServiceDescriptor(path: string, text: string | undefined): ServiceDescriptor {
  const parsed = parseYamlDocument(path, text);
  const data = parsed.data;
  return {
    path,
    text,
    ...(parsed.syntaxError ? { syntaxError: parsed.syntaxError } : {}),
    data: data !== null && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined,
    positionOf: (keyPath) => parsed.locate(keyPath, "key").position,
    valuePositionOf: (keyPath) => parsed.locate(keyPath, "value").position,
  };
}
