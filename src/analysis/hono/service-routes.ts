import type ts from "typescript";
import type { ServiceContext } from "../../engine/context.js";
import { workspacePackages } from "../workspace-packages.js";
import { interpretServiceApps } from "./app-model.js";
import type { ServiceRoutes } from "./model.js";

/** A service's source files the app model reads: code under `src/`, without declarations and tests. */
function isServiceSource(path: string): boolean {
  return /\.(c|m)?[jt]sx?$/.test(path) && !/\.d\.[cm]?ts$|\.(test|spec)\.[cm]?[jt]sx?$/.test(path) && !path.split("/").includes("__tests__");
}

/** The routes of a service, extracted once per check and shared by every rule that needs them. */
export function serviceRoutes(ctx: ServiceContext): Promise<ServiceRoutes> {
  return ctx.memo("routes", async () => {
    const srcDir = ctx.path("src/");
    const sources = ctx.files.filter((p) => p.startsWith(srcDir) && isServiceSource(p));
    const files = new Map<string, ts.SourceFile>();
    for (const [path, file] of await Promise.all(sources.map(async (p) => [p, await ctx.sourceFile(p)] as const))) {
      if (file) files.set(path, file);
    }
    const scopesModule = ctx.config.scopes_module;
    const scopesPackageDir = (await workspacePackages(ctx.repo)).byName.get(scopesModule)?.dir;
    return interpretServiceApps({ entryPath: ctx.path("src/index.ts"), files, scopesModule, scopesPackageDir });
  });
}
