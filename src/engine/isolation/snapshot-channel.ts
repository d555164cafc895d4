import type { MessagePort } from "node:worker_threads";
import { SnapshotReadError, type ChangedFile, type RepoSnapshot, type SnapshotPrefetch } from "../snapshot.js";
import { WhereaboutsBoard, type Whereabouts } from "./whereabouts.js";

/**
 * A RepoSnapshot across a thread boundary. The snapshot itself stays on the
 * main thread (the GitHub one needs octokit, its cache and its abort signal);
 * the worker holds a `ChannelSnapshot` that asks for reads over a
 * MessagePort. Any snapshot works: GitHub, working tree, memory.
 *
 * A snapshot that can hand over its prefetched texts (`TextPrefetching`) sends
 * the files the rules will read in one message; only the reads the prefetch
 * did not cover cost a round trip each.
 */

export type ReadOp = "readFile" | "readBaseFile" | "treeSha";

/**
 * Texts read in bulk, by path; `undefined` for a file known not to exist. A
 * file the snapshot could not read cheaply (too large, unreadable) is left
 * out: it is read when asked.
 */
export interface PrefetchedTexts {
  head: Map<string, string | undefined>;
  base: Map<string, string | undefined>;
}

/**
 * A snapshot that reads the files of a prefetch in bulk and hands their texts
 * over, so a worker gets them in one message. It does what `prefetch` would
 * (and replaces it): a text it leaves out is read on demand, as before.
 */
export interface TextPrefetching {
  prefetchTexts(files: SnapshotPrefetch): Promise<PrefetchedTexts>;
}

export function prefetchesTexts(snapshot: RepoSnapshot): snapshot is RepoSnapshot & TextPrefetching {
  return typeof (snapshot as Partial<TextPrefetching>).prefetchTexts === "function";
}

/** Worker → main. */
export type WorkerMessage =
  /** The worker has started on the check (its clock starts). */
  | { type: "started" }
  | { type: "read"; id: number; op: ReadOp; path: string }
  /** The files the rules will read, for a snapshot that fetches them in batches (see prefetch.ts). */
  | { type: "prefetch"; id: number; files: SnapshotPrefetch };

/** A failed read as it crosses the boundary. `failureId` lets the main thread rethrow the very error its snapshot threw. */
export interface ReadFailure {
  path: string;
  reason: string;
  retryable: boolean;
  failureId: number;
}

/** Main → worker. */
export type MainMessage =
  | { type: "value"; id: number; value: string | undefined }
  | { type: "texts"; id: number; texts: PrefetchedTexts }
  | { type: "failed"; id: number; failure: ReadFailure };

/** What the worker needs up front: the synchronous parts of the snapshot. */
export interface SnapshotShape {
  files: readonly string[];
  changedFiles: readonly ChangedFile[] | undefined;
  submodules: readonly string[];
  /** What the snapshot does with a prefetch: hand over the texts, fetch them (forwarded), or nothing. */
  prefetch: "texts" | "forward" | "none";
}

export function snapshotShape(snapshot: RepoSnapshot): SnapshotShape {
  return {
    files: [...snapshot.listFiles()],
    changedFiles: snapshot.changedFiles === undefined ? undefined : [...snapshot.changedFiles],
    submodules: [...(snapshot.listSubmodules?.() ?? [])],
    prefetch: prefetchesTexts(snapshot) ? "texts" : typeof snapshot.prefetch === "function" ? "forward" : "none",
  };
}

/** A SnapshotReadError that came over the channel: its `failureId` names the original on the main thread. */
export class ChannelReadError extends SnapshotReadError {
  constructor(readonly failure: ReadFailure) {
    super(failure.path, failure.reason, failure.retryable);
  }
}

type Answer = string | undefined | PrefetchedTexts;

/** The worker's side: prefetched texts from one message, other reads from the main thread, one request id per read. */
export class ChannelSnapshot implements RepoSnapshot {
  readonly changedFiles: readonly ChangedFile[] | undefined;
  readonly prefetch?: (files: SnapshotPrefetch) => Promise<void>;
  private readonly files: readonly string[];
  private readonly submodules: readonly string[];
  /** Texts handed over by the prefetch, each dropped once read (the engine keeps its own cache). */
  private held: PrefetchedTexts = { head: new Map(), base: new Map() };
  private readonly pending = new Map<number, { resolve: (value: Answer) => void; reject: (error: Error) => void }>();
  private nextId = 1;

  constructor(
    private readonly port: MessagePort,
    shape: SnapshotShape,
    /** Where the worker notes what it is busy with, for the main thread to read if the check is stopped. */
    readonly board: WhereaboutsBoard,
  ) {
    this.files = shape.files;
    this.submodules = shape.submodules;
    this.changedFiles = shape.changedFiles;
    if (shape.prefetch !== "none") {
      this.prefetch = async (files) => {
        const answer = await this.request({ type: "prefetch", id: this.nextId++, files });
        if (answer !== undefined && typeof answer !== "string") this.held = answer;
      };
    }
    port.on("message", (message: MainMessage) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.type === "value") waiting.resolve(message.value);
      else if (message.type === "texts") waiting.resolve(message.texts);
      else waiting.reject(new ChannelReadError(message.failure));
    });
    port.postMessage({ type: "started" } satisfies WorkerMessage);
  }

  listFiles(): readonly string[] {
    return this.files;
  }

  listSubmodules(): readonly string[] {
    return this.submodules;
  }

  readFile(path: string): Promise<string | undefined> {
    this.board.path = path;
    return this.take(this.held.head, path) ?? this.ask("readFile", path);
  }

  readBaseFile(path: string): Promise<string | undefined> {
    this.board.path = path;
    return this.take(this.held.base, path) ?? this.ask("readBaseFile", path);
  }

  treeSha(dir: string): Promise<string | undefined> {
    return this.ask("treeSha", dir);
  }

  close(): void {
    this.port.close();
  }

  private take(texts: Map<string, string | undefined>, path: string): Promise<string | undefined> | undefined {
    if (!texts.has(path)) return undefined;
    const text = texts.get(path);
    texts.delete(path);
    return Promise.resolve(text);
  }

  private ask(op: ReadOp, path: string): Promise<string | undefined> {
    return this.request({ type: "read", id: this.nextId++, op, path }) as Promise<string | undefined>;
  }

  private request(message: Extract<WorkerMessage, { id: number }>): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      this.port.postMessage(message);
    });
  }
}

/**
 * The main thread's side: answers a worker's reads from the real snapshot and
 * keeps the errors it threw, so the caller gets the original back (with its
 * cause) when the worker aborts on one.
 */
export class SnapshotServer {
  private readonly failures = new Map<number, unknown>();
  private nextFailureId = 1;

  constructor(
    private readonly snapshot: RepoSnapshot,
    private readonly port: MessagePort,
    /** What the worker noted it was busy with. */
    private readonly board: WhereaboutsBoard,
    /** Called on the worker's first message: it has started on the check. */
    onStarted: () => void = () => {},
  ) {
    let started = false;
    port.on("message", (message: WorkerMessage) => {
      if (!started) {
        started = true;
        onStarted();
      }
      if (message.type !== "started") this.handle(message);
    });
  }

  /** What the check was busy with when last heard from. */
  get whereabouts(): Whereabouts {
    return this.board.read();
  }

  /** The error the snapshot threw for a failure the worker reported. */
  original(failure: ReadFailure): unknown {
    return this.failures.get(failure.failureId) ?? new SnapshotReadError(failure.path, failure.reason, failure.retryable);
  }

  close(): void {
    this.port.close();
  }

  private handle(message: Exclude<WorkerMessage, { type: "started" }>): void {
    const path = message.type === "read" ? message.path : "(the files the rules read, fetched together)";
    // Through a promise even if the snapshot throws synchronously: every request gets an answer.
    const answer = Promise.resolve().then((): Promise<Answer> => (message.type === "read" ? this.snapshot[message.op](path) : this.prefetch(message.files)));
    answer.then(
      (value) => this.reply(value === undefined || typeof value === "string" ? { type: "value", id: message.id, value } : { type: "texts", id: message.id, texts: value }),
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

  private async prefetch(files: SnapshotPrefetch): Promise<PrefetchedTexts | undefined> {
    if (prefetchesTexts(this.snapshot)) return this.snapshot.prefetchTexts(files);
    await this.snapshot.prefetch?.(files);
    return undefined;
  }

  private reply(message: MainMessage): void {
    try {
      this.port.postMessage(message);
    } catch {
      // the worker is gone (budget exceeded, check aborted): nobody is waiting
    }
  }
}
