import ts from "typescript";
import type { ServiceContext } from "../../engine/context.js";
import { staticPropertyName, unwrap } from "../ts/syntax.js";
import { evaluateString } from "../ts/values.js";
import { descendants } from "../ts/walk.js";

const CONFIG_FILES = ["drizzle.config.ts", "drizzle.config.mts", "drizzle.config.cts"];

/** What a service's drizzle.config.ts says about where things are, as service-relative paths (`./` and trailing `/` removed). */
export interface DrizzleConfig {
  /** `out`: the migrations folder, when it is a string inside the service. */
  out: string | undefined;
  /** `schema`: files, folders or globs (`src/db/schema/*`), the ones that are strings inside the service. */
  schema: string[];
}

/**
 * The service's drizzle.config.ts, read statically: `defineConfig({ … })`
 * or a plain exported object, values that are strings or constants holding
 * them. Values outside the service (`../shared`) or computed at run time are
 * left out.
 */
export function drizzleConfig(ctx: ServiceContext): Promise<DrizzleConfig> {
  return ctx.memo("drizzle-config", async () => {
    const path = CONFIG_FILES.map((name) => ctx.path(name)).find((p) => ctx.files.includes(p));
    const file = path ? await ctx.sourceFile(path) : undefined;
    const config: DrizzleConfig = { out: undefined, schema: [] };
    if (!file) return config;
    for (const property of descendants(file, ts.isPropertyAssignment)) {
      const key = staticPropertyName(property.name);
      if (key === "out" && config.out === undefined) config.out = servicePath(property.initializer);
      if (key === "schema" && config.schema.length === 0) {
        const value = unwrap(property.initializer);
        const items = ts.isArrayLiteralExpression(value) ? value.elements : [value];
        config.schema = items.map(servicePath).filter((p): p is string => p !== undefined);
      }
    }
    return config;
  });
}

function servicePath(node: ts.Node): string | undefined {
  const value = evaluateString(node);
  if (!("value" in value)) return undefined;
  const path = value.value.replace(/^(?:\.\/)+/, "").replace(/\/+$/, "");
  return path && !path.startsWith("/") && !path.split("/").includes("..") ? path : undefined;
}

/** Whether a service-relative file path is named by a config `schema` entry: the file, a file under the folder, or a glob match (`*`, `**`). */
export function matchesSchemaEntry(entry: string, path: string): boolean {
  if (!/[*?]/.test(entry)) return path === entry || path.startsWith(`${entry}/`);
  const pattern = entry
    .split(/(\*\*\/?|\*|\?)/)
    .map((part) => (part === "**/" ? "(?:.*/)?" : part === "**" ? ".*" : part === "*" ? "[^/]*" : part === "?" ? "[^/]" : part.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${pattern}$`).test(path);
}
