import type ts from "typescript";
import { TsProgram } from "../analysis/ts/program.js";
import { workspacePackages } from "../analysis/workspace-packages.js";
import type { Config } from "./config.js";
import { MAX_SYNTAX_DEPTH, sizeProblem, syntaxDepth, type InputLimitMessageId } from "./input-limits.js";
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

/** What the engine host wants to know while a check runs (the worker reports it, so a stalled check names its file). */
export interface ContextObserver {
  /** A rule asked for a file's contents (also when cached): the file the check is busy with. */
  onRead?(path: string): void;
}

/** A file the engine did not read or analyse (see input-limits.ts), reported on the file. */
export interface InputLimitFinding {
  messageId: InputLimitMessageId;
  path: string;
  data: Record<string, string>;
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
  private readonly memos = new Map<string, Promise<unknown>>();
  private readonly depthChecked = new WeakMap<ts.SourceFile, boolean>();
  private program: TsProgram | undefined;
  private readonly sourcesByFolder = new Map<string, string[]>();
  private loadedCoveredServices = false;

  constructor(
    readonly snapshot: RepoSnapshot,
    readonly config: Config,
    /** Services this check covers. */
    readonly services: readonly ServiceInfo[],
    /** Every service folder at the head, in scope or not. */
    readonly allServices: readonly ServiceInfo[],
    /** Service folders the pull request deletes. */
    readonly deletedServices: readonly string[],
    private readonly observer: ContextObserver = {},
  ) {}

  private readonly limited = new Map<string, InputLimitFinding>();

  /**
   * Head contents, read once. A file over its kind's size limit reads as
   * absent, and is reported once (input-limits), so no parser ever sees it.
   */
  read(path: string): Promise<string | undefined> {
    this.observer.onRead?.(path);
    let p = this.reads.get(path);
    if (!p) {
      p = this.snapshot.readFile(path).then((text) => {
        const tooLarge = text === undefined ? undefined : sizeProblem(path, text);
        if (!tooLarge) return text;
        this.reportInputLimit("tooLarge", path, tooLarge);
        return undefined;
      });
      this.reads.set(path, p);
    }
    return p;
  }

  /** Records that a file was not read or not analysed; the engine reports it once per file. */
  reportInputLimit(messageId: InputLimitMessageId, path: string, data: Record<string, string>): void {
    if (!this.limited.has(path)) this.limited.set(path, { messageId, path, data: { path, ...data } });
  }

  /** Files not read or not analysed so far, for the report. */
  inputLimitFindings(): InputLimitFinding[] {
    return [...this.limited.values()];
  }

  /** Whether a parsed TypeScript file is shallow enough for the rules' walks; reports it when not. */
  withinSyntaxDepth(path: string, file: ts.SourceFile): boolean {
    // Measured once per file: every rule asks for the same parsed file.
    let within = this.depthChecked.get(file);
    if (within === undefined) {
      within = syntaxDepth(file) <= MAX_SYNTAX_DEPTH;
      this.depthChecked.set(file, within);
    }
    if (!within) this.reportInputLimit("tooDeep", path, { what: "expressions", limit: String(MAX_SYNTAX_DEPTH) });
    return within;
  }

  exists(path: string): boolean {
    return fileExists(this.snapshot, path);
  }

  filesUnder(dir: string): string[] {
    return filesUnder(this.snapshot, dir);
  }

  /**
   * A head file in this check's one TypeScript program, shared by every rule:
   * parsed once, with the repository files its imports reach, so names resolve
   * through the compiler's symbols (see src/analysis/ts/symbols.ts).
   */
  sourceFile(path: string): Promise<ts.SourceFile | undefined> {
    this.program ??= new TsProgram({
      read: (p) => this.read(p),
      exists: (p) => this.exists(p),
      workspace: () => workspacePackages(this),
    });
    return this.program.sourceFile(path, () => this.companionsOf(path)).then((file) => (file && this.withinSyntaxDepth(path, file) ? file : undefined));
  }

  /**
   * What enters the program with a file: the first time, the sources of every
   * service the check covers (its rules read them all); later, the sources of
   * the file's own service if it is another one. Tests and declarations never.
   */
  private companionsOf(path: string): string[] {
    const prefix = `${this.config.services_dir}/`;
    const own = path.startsWith(prefix) ? this.serviceSources(`${prefix}${path.slice(prefix.length).split("/")[0]}/src/`) : [];
    if (this.loadedCoveredServices) return own;
    this.loadedCoveredServices = true;
    // Each service's infra.ts and the root sst.config.ts are read by the infra rules: loading them in the
    // first batch saves the checker being rebuilt twice more (a fixed cost that dominated small repositories).
    const infra = [...this.services.map((s) => `${s.dir}/infra.ts`), "sst.config.ts"].filter((p) => this.exists(p));
    return [...own, ...this.services.flatMap((s) => this.serviceSources(`${s.dir}/src/`)), ...infra];
  }

  private serviceSources(src: string): string[] {
    let group = this.sourcesByFolder.get(src);
    if (!group) {
      group = this.filesUnder(src).filter((p) => /\.(c|m)?[jt]sx?$/.test(p) && !/\.d\.[cm]?ts$|\.(test|spec)\.[cm]?[jt]sx?$/.test(p));
      this.sourcesByFolder.set(src, group);
    }
    return group;
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

  sourceFile(path: string): Promise<ts.SourceFile | undefined> {
    return this.repo.sourceFile(path);
  }

  descriptor(): Promise<ServiceDescriptor> {
    return this.repo.descriptor(this.service);
  }

  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    return this.repo.memo(`${this.service.name}:${key}`, compute);
  }
}
