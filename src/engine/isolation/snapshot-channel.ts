import type { MessagePort } from "node:worker_threads";
import { SnapshotReadError, type ChangedFile, type RepoSnapshot, type SnapshotPrefetch } from "../snapshot.js";

/**
 * A RepoSnapshot across a thread boundary. The snapshot itself stays on the
 * main thread (the GitHub one needs octokit, its cache and its abort signal);
 * the worker holds a `ChannelSnapshot` that asks for each read over a
 * MessagePort. Any snapshot works: GitHub, working tree, memory.
 */

export type ReadOp = "readFile" | "readBaseFile" | "treeSha";

/** Worker → main. */
export type WorkerMessage =
  | { type: "read"; id: number; op: ReadOp; path: string }
  /** The files the rules will read, for a snapshot that fetches them in batches (see prefetch.ts). */
  | { type: "prefetch"; id: number; files: SnapshotPrefetch }
  /** The check is busy with this file (a rule asked for it, cached or not). */
  | { type: "busy"; path: string }
  | { type: "rule"; rule: string; service: string | null };

/** A failed read as it crosses the boundary. `failureId` lets the main thread rethrow the very error its snapshot threw. */
export interface ReadFailure {
  path: string;
  reason: string;
  retryable: boolean;
  failureId: number;
}

/** Main → worker. */
export type MainMessage = { type: "value"; id: number; value: string | undefined } | { type: "failed"; id: number; failure: ReadFailure };

/** What the worker needs up front: the synchronous parts of the snapshot. */
export interface SnapshotShape {
  files: readonly string[];
  changedFiles: readonly ChangedFile[] | undefined;
  submodules: readonly string[];
  /** Whether the snapshot has a `prefetch` worth forwarding. */
  prefetches: boolean;
}

export function snapshotShape(snapshot: RepoSnapshot): SnapshotShape {
  return {
    files: [...snapshot.listFiles()],
    changedFiles: snapshot.changedFiles === undefined ? undefined : [...snapshot.changedFiles],
    submodules: [...(snapshot.listSubmodules?.() ?? [])],
    prefetches: typeof snapshot.prefetch === "function",
  };
}

/** A SnapshotReadError that came over the channel: its `failureId` names the original on the main thread. */
export class ChannelReadError extends SnapshotReadError {
  constructor(readonly failure: ReadFailure) {
    super(failure.path, failure.reason, failure.retryable);
  }
}

/** The worker's side: reads go to the main thread, one request id per read. */
export class ChannelSnapshot implements RepoSnapshot {
  readonly changedFiles: readonly ChangedFile[] | undefined;
  readonly prefetch?: (files: SnapshotPrefetch) => Promise<void>;
  private readonly files: readonly string[];
  private readonly submodules: readonly string[];
  private readonly pending = new Map<number, { resolve: (value: string | undefined) => void; reject: (error: Error) => void }>();
  private nextId = 1;

  constructor(
    private readonly port: MessagePort,
    shape: SnapshotShape,
  ) {
    this.files = shape.files;
    this.submodules = shape.submodules;
    this.changedFiles = shape.changedFiles;
    if (shape.prefetches) this.prefetch = async (files) => void (await this.request({ type: "prefetch", id: this.nextId++, files }));
    port.on("message", (message: MainMessage) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.type === "value") waiting.resolve(message.value);
      else waiting.reject(new ChannelReadError(message.failure));
    });
  }

  listFiles(): readonly string[] {
    return this.files;
  }

  listSubmodules(): readonly string[] {
    return this.submodules;
  }

  readFile(path: string): Promise<string | undefined> {
    return this.ask("readFile", path);
  }

  readBaseFile(path: string): Promise<string | undefined> {
    return this.ask("readBaseFile", path);
  }

  treeSha(dir: string): Promise<string | undefined> {
    return this.ask("treeSha", dir);
  }

  /** Tells the main thread what the check is busy with. */
  tell(message: Exclude<WorkerMessage, { type: "read" }>): void {
    this.port.postMessage(message);
  }

  close(): void {
    this.port.close();
  }

  private ask(op: ReadOp, path: string): Promise<string | undefined> {
    return this.request({ type: "read", id: this.nextId++, op, path });
  }

  private request(message: Extract<WorkerMessage, { id: number }>): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      this.port.postMessage(message);
    });
  }
}

/** What the check was busy with when last heard from. */
export interface Whereabouts {
  path?: string;
  rule?: string;
  service?: string | null;
}

/**
 * The main thread's side: answers a worker's reads from the real snapshot and
 * keeps the errors it threw, so the caller gets the original back (with its
 * cause) when the worker aborts on one.
 */
export class SnapshotServer {
  readonly whereabouts: Whereabouts = {};
  private readonly failures = new Map<number, unknown>();
  private nextFailureId = 1;

  constructor(
    private readonly snapshot: RepoSnapshot,
    private readonly port: MessagePort,
    /** Called on the worker's first message: it has started on the check. */
    onStarted: () => void = () => {},
  ) {
    let started = false;
    port.on("message", (message: WorkerMessage) => {
      if (!started) {
        started = true;
        onStarted();
      }
      this.handle(message);
    });
  }

  /** The error the snapshot threw for a failure the worker reported. */
  original(failure: ReadFailure): unknown {
    return this.failures.get(failure.failureId) ?? new SnapshotReadError(failure.path, failure.reason, failure.retryable);
  }

  close(): void {
    this.port.close();
  }

  private handle(message: WorkerMessage): void {
    if (message.type === "busy") {
      this.whereabouts.path = message.path;
      return;
    }
    if (message.type === "rule") {
      this.whereabouts.rule = message.rule;
      this.whereabouts.service = message.service;
      return;
    }
    const path = message.type === "read" ? message.path : "(the files the rules read, fetched together)";
    if (message.type === "read" && message.op !== "treeSha") this.whereabouts.path = path;
    // Through a promise even if the snapshot throws synchronously: every request gets an answer.
    const answer = Promise.resolve().then(() =>
      message.type === "read" ? this.snapshot[message.op](path) : this.snapshot.prefetch!(message.files).then(() => undefined),
    );
    answer.then(
      (value) => this.reply({ type: "value", id: message.id, value }),
      (error: unknown) => {
        const failureId = this.nextFailureId++;
        this.failures.set(failureId, error);
        const failure =
          error instanceof SnapshotReadError
            ? { path: error.path, reason: error.reason, retryable: error.retryable, failureId }
            : { path, reason: error instanceof Error ? error.message : String(error), retryable: false, failureId };
        this.reply({ type: "failed", id: message.id, failure });
      },
    );
  }

  private reply(message: MainMessage): void {
    try {
      this.port.postMessage(message);
    } catch {
      // the worker is gone (budget exceeded, check aborted): nobody is waiting
    }
  }
}
