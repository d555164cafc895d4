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
  /** Folders under the services folder that look like services but cannot be checked (reported, never skipped silently). */
  uncheckable: UncheckableFolder[];
}

export interface UncheckableFolder {
  /** Repository-relative, e.g. `services/.billing`. */
  dir: string;
  kind: "hidden" | "submodule";
}

/** Findings about folders that cannot be checked: an engine pseudo-rule, like input-limits. */
export const serviceFoldersMeta = {
  id: "service-folders",
  title: "Every folder under the services folder can be checked",
  messages: {
    hidden:
      "{{dir}} is not checked: its name starts with `.`, so it is not taken for a service. Give the service a kebab-case name, or move the folder out of {{servicesDir}}/ (or list it in `ignored_folders`).",
    submodule:
      "{{dir}} is a git submodule: its code lives in another repository, so it cannot be checked here. Commit the service's files in this repository, or move it out of {{servicesDir}}/ (or list it in `ignored_folders`).",
  },
} as const;

/** Which services are in scope (SPEC section 2). */
export async function computeScope(snapshot: RepoSnapshot, config: Config): Promise<Scope> {
  const allNames = serviceFolders(snapshot.listFiles(), config);
  const allServices = [...allNames].sort().map((n) => serviceInfo(config.services_dir, n));
  const changed = snapshot.changedFiles;
  const uncheckable = uncheckableFolders(snapshot, config);
  if (changed === undefined) return { services: allServices, allServices, deletedServices: [], uncheckable };

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
  // A pull request hears about the folders it touches (a submodule's change is listed under its path).
  const touched = (dir: string) => paths.some((p) => p === dir || p.startsWith(`${dir}/`));
  return {
    services: allServices.filter((s) => inScope.has(s.name)),
    allServices,
    deletedServices,
    uncheckable: uncheckable.filter((f) => touched(f.dir)),
  };
}

/** Hidden folders (`services/.x`) and submodules directly under the services folder, sorted. */
function uncheckableFolders(snapshot: RepoSnapshot, config: Config): UncheckableFolder[] {
  const prefix = `${config.services_dir}/`;
  const ignored = (name: string) => config.ignored_folders.includes(name);
  const hidden = new Set<string>();
  for (const path of snapshot.listFiles()) {
    const folder = serviceFolderOf(path, config);
    if (folder?.startsWith(".") && !ignored(folder)) hidden.add(folder);
  }
  const submodules = (snapshot.listSubmodules?.() ?? []).filter((p) => {
    const name = p.startsWith(prefix) ? p.slice(prefix.length) : "";
    return name !== "" && !name.includes("/") && !name.startsWith("_") && !ignored(name);
  });
  return [
    ...[...hidden].map((name) => ({ dir: `${prefix}${name}`, kind: "hidden" as const })),
    ...submodules.map((dir) => ({ dir, kind: "submodule" as const })),
  ].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
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
