import { Project, ScriptKind, type SourceFile } from "ts-morph";
import type { Config } from "./config.js";
import { camelName } from "./names.js";
import { parseServiceDescriptor, type ServiceDescriptor } from "./service-descriptor.js";
import { fileExists, filesUnder, type RepoSnapshot } from "./snapshot.js";

export interface ServiceInfo {
  /** Folder name, e.g. `billing-ledger`. */
  name: string;
  /** Repository-relative folder, e.g. `services/billing-ledger`. */
  dir: string;
  /** `billingLedger`. */
  camelName: string;
}

export function serviceInfo(servicesDir: string, name: string): ServiceInfo {
  return { name, dir: `${servicesDir}/${name}`, camelName: camelName(name) };
}

/**
 * What every rule can read: the snapshot, the configuration, the services, and
 * caches shared by all rules of one check (each file is read and parsed once).
 */
export class RepoContext {
  private readonly reads = new Map<string, Promise<string | undefined>>();
  private readonly parsed = new Map<string, Promise<SourceFile | undefined>>();
  private readonly memos = new Map<string, Promise<unknown>>();
  private project: Project | undefined;

  constructor(
    readonly snapshot: RepoSnapshot,
    readonly config: Config,
    /** Services this check covers. */
    readonly services: readonly ServiceInfo[],
    /** Every service folder at the head, in scope or not. */
    readonly allServices: readonly ServiceInfo[],
    /** Service folders the pull request deletes. */
    readonly deletedServices: readonly string[],
  ) {}

  /** Head contents, read once. */
  read(path: string): Promise<string | undefined> {
    let p = this.reads.get(path);
    if (!p) {
      p = this.snapshot.readFile(path);
      this.reads.set(path, p);
    }
    return p;
  }

  exists(path: string): boolean {
    return fileExists(this.snapshot, path);
  }

  filesUnder(dir: string): string[] {
    return filesUnder(this.snapshot, dir);
  }

  /**
   * The TypeScript AST of a head file, parsed once per check and shared by
   * every rule. Syntax only: no type checker, no lib files, no module resolution.
   */
  sourceFile(path: string): Promise<SourceFile | undefined> {
    let p = this.parsed.get(path);
    if (!p) {
      p = this.read(path).then((text) => {
        if (text === undefined) return undefined;
        this.project ??= new Project({
          useInMemoryFileSystem: true,
          skipAddingFilesFromTsConfig: true,
          skipFileDependencyResolution: true,
          skipLoadingLibFiles: true,
          compilerOptions: { noLib: true, noResolve: true, allowJs: true },
        });
        return this.project.createSourceFile(`/${path}`, text, {
          overwrite: true,
          scriptKind: /\.(c|m)?jsx?$/.test(path) ? ScriptKind.JS : /x$/.test(path) ? ScriptKind.TSX : ScriptKind.TS,
        });
      });
      this.parsed.set(path, p);
    }
    return p;
  }

  /** Memoises an analysis shared by several rules (e.g. a service's routes) for this check. */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let p = this.memos.get(key) as Promise<T> | undefined;
    if (!p) {
      p = compute();
      this.memos.set(key, p);
    }
    return p;
  }

  /** A service's parsed `service.yaml`. */
  descriptor(service: ServiceInfo): Promise<ServiceDescriptor> {
    const path = `${service.dir}/service.yaml`;
    return this.memo(`descriptor:${path}`, async () => parseServiceDescriptor(path, await this.read(path)));
  }

  /** A view of this context for one service. */
  forService(service: ServiceInfo): ServiceContext {
    return new ServiceContext(this, service);
  }
}

/** What a service rule reads: the repo context plus the service it runs for. */
export class ServiceContext {
  constructor(
    readonly repo: RepoContext,
    readonly service: ServiceInfo,
  ) {}

  get config(): Config {
    return this.repo.config;
  }

  get snapshot(): RepoSnapshot {
    return this.repo.snapshot;
  }

  /** Every head file of the service, repository-relative. */
  get files(): string[] {
    return this.repo.filesUnder(this.service.dir);
  }

  /** Repository-relative path of a file inside the service folder. */
  path(relative: string): string {
    return `${this.service.dir}/${relative.replace(/^\.\//, "")}`;
  }

  read(path: string): Promise<string | undefined> {
    return this.repo.read(path);
  }

  sourceFile(path: string): Promise<SourceFile | undefined> {
    return this.repo.sourceFile(path);
  }

  descriptor(): Promise<ServiceDescriptor> {
    return this.repo.descriptor(this.service);
  }

  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    return this.repo.memo(`${this.service.name}:${key}`, compute);
  }
}
