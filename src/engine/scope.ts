import type { Config } from "./config.js";
import { serviceInfo, type ServiceInfo } from "./context.js";
import { parseServiceDescriptor } from "./service-descriptor.js";
import type { RepoSnapshot } from "./snapshot.js";

/** Repo-level files that the rules of every service read. */
export const FILES_EVERY_SERVICE_READS = ["sst.config.ts", "CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS"];
/** Repo-level files that the event rules of services with events read. */
export const EVENT_CONTRACT_FILES = ["packages/contracts/src/registry.ts", "packages/contracts/src/event-names.ts"];

export interface Scope {
  /** Services to check, sorted by name. */
  services: ServiceInfo[];
  /** Every service folder at the head. */
  allServices: ServiceInfo[];
  /** Service folders the pull request deletes. */
  deletedServices: string[];
}

/** Which services are in scope (SPEC section 2). */
export async function computeScope(snapshot: RepoSnapshot, config: Config): Promise<Scope> {
  const allNames = serviceFolders(snapshot.listFiles(), config);
  const allServices = [...allNames].sort().map((n) => serviceInfo(config.services_dir, n));
  const changed = snapshot.changedFiles;
  if (changed === undefined) return { services: allServices, allServices, deletedServices: [] };

  const inScope = new Set<string>();
  const touchedFolders = new Set<string>();
  const paths = changed.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path]));
  let everyService = false;
  let eventContracts = false;
  for (const path of paths) {
    const folder = serviceFolderOf(path, config);
    if (folder !== undefined) touchedFolders.add(folder);
    if (folder !== undefined && allNames.has(folder)) inScope.add(folder);
    if (FILES_EVERY_SERVICE_READS.includes(path)) everyService = true;
    if (EVENT_CONTRACT_FILES.includes(path)) eventContracts = true;
    const repoLevel = /^packages\/sdk-([^/]+)\//.exec(path) ?? /^docs\/(?:services|ai-overview)\/([^/]+)\.md$/.exec(path);
    if (repoLevel && allNames.has(repoLevel[1]!)) inScope.add(repoLevel[1]!);
  }
  if (everyService) for (const n of allNames) inScope.add(n);
  if (eventContracts) {
    for (const service of allServices) {
      if (inScope.has(service.name)) continue;
      if (await declaresEvents(snapshot, service)) inScope.add(service.name);
    }
  }
  const deletedServices = [...touchedFolders].filter((n) => !allNames.has(n) && isServiceName(n, config)).sort();
  return {
    services: allServices.filter((s) => inScope.has(s.name)),
    allServices,
    deletedServices,
  };
}

function isServiceName(folder: string, config: Config): boolean {
  return !folder.startsWith("_") && !folder.startsWith(".") && !config.ignored_folders.includes(folder);
}

/** The service folder a path lies in (only for paths *inside* a folder, not files directly under services/). */
export function serviceFolderOf(path: string, config: Config): string | undefined {
  const prefix = `${config.services_dir}/`;
  if (!path.startsWith(prefix)) return undefined;
  const rest = path.slice(prefix.length);
  const slash = rest.indexOf("/");
  return slash > 0 ? rest.slice(0, slash) : undefined;
}

function serviceFolders(files: readonly string[], config: Config): Set<string> {
  const names = new Set<string>();
  for (const path of files) {
    const folder = serviceFolderOf(path, config);
    if (folder !== undefined && isServiceName(folder, config)) names.add(folder);
  }
  return names;
}

async function declaresEvents(snapshot: RepoSnapshot, service: ServiceInfo): Promise<boolean> {
  const path = `${service.dir}/service.yaml`;
  const data = parseServiceDescriptor(path, await snapshot.readFile(path)).data;
  const contracts = data?.["contracts"] as Record<string, unknown> | undefined;
  const listed = (key: string) => Array.isArray(contracts?.[key]) && (contracts[key] as unknown[]).length > 0;
  return listed("events_published") || listed("events_consumed");
}
