// Module hooks for the engine's own TypeScript sources (see source-entry.mjs):
// `./x.js` specifiers resolve to `./x.ts` beside them, and `.ts` files are
// compiled by Node's own TypeScript transform (type stripping plus parameter
// properties), with no type checking. Only ever applied to this repository's
// src/, never to a repository under check.
import { readFile } from "node:fs/promises";
import { stripTypeScriptTypes } from "node:module";

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromSource = context.parentURL?.endsWith(".ts") && specifier.startsWith(".") && specifier.endsWith(".js");
    if (!fromSource || error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
    return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return nextLoad(url, context);
  const source = stripTypeScriptTypes(await readFile(new URL(url), "utf8"), { mode: "transform", sourceMap: true, sourceUrl: url });
  return { format: "module", source, shortCircuit: true };
}
