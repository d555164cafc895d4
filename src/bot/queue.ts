import type { Logger } from "pino";

/** Why a job's signal was aborted. */
export type AbortReason =
  | { kind: "superseded"; by: string }
  | { kind: "timeout"; afterMs: number }
  | { kind: "shutdown" };

export interface Job {
  /** One job at a time per key: a pull request (`owner/repo#12`) or a merge group head. */
  key: string;
  /** The head sha the job is about. */
  headSha: string;
  /** A full check (superseded by a newer head) or a checklist tick (cheap, never superseded). */
  kind: "check" | "tick";
  /**
   * The job checks the latest head (a push, `/recheck`), so it supersedes
   * work on any other head of the same key. A re-run of an older head
   * (the Re-run button on an old commit) does not.
   */
  supersedes: boolean;
  /** Does the work; must handle its own errors. `signal` aborts with an AbortReason. */
  run(signal: AbortSignal): Promise<void>;
  /** Told when the job is dropped before it started (a newer head was queued). */
  dropped?(reason: AbortReason): void;
}

interface Lane {
  running?: { job: Job; controller: AbortController };
  pending: Job[];
}

export interface QueueOptions {
  /** A job still running after this long is aborted with `{ kind: "timeout" }`. */
  timeoutMs?: number;
  onDepthChange?(depth: number): void;
  log?: Logger;
}

/**
 * Per-key serial queue with supersede. Webhook handlers enqueue and return at
 * once; work runs off the request path, one job at a time per pull request,
 * and a newer head aborts the running job for an older head and drops queued
 * ones, so older results never land after newer ones.
 */
export class RunQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly tasks = new Set<Promise<unknown>>();
  private waiters: (() => void)[] = [];
  private log: Logger | undefined;

  constructor(private readonly options: QueueOptions = {}) {
    this.log = options.log;
  }

  /** Where failures of jobs and background tasks are logged (the app's logger, once Probot hands it over). */
  setLogger(log: Logger): void {
    this.log = log;
  }

  enqueue(job: Job): void {
    let lane = this.lanes.get(job.key);
    if (!lane) {
      lane = { pending: [] };
      this.lanes.set(job.key, lane);
    }
    if (job.kind === "check") {
      if (job.supersedes) {
        const reason: AbortReason = { kind: "superseded", by: job.headSha };
        lane.pending = lane.pending.filter((p) => {
          if (p.kind !== "check" || p.headSha === job.headSha) return true;
          p.dropped?.(reason);
          return false;
        });
        const running = lane.running;
        if (running && running.job.kind === "check" && running.job.headSha !== job.headSha) {
          this.log?.info({ key: job.key, older: running.job.headSha, newer: job.headSha }, "newer head supersedes the running check");
          running.controller.abort(reason);
        }
      }
      // A check of the same head already waiting covers this one.
      if (lane.pending.some((p) => p.kind === "check" && p.headSha === job.headSha)) {
        this.changed();
        return;
      }
    }
    lane.pending.push(job);
    this.changed();
    this.pump(job.key, lane);
  }

  /** Tracks fire-and-forget work (a permission check, a pull request lookup) so that `onIdle` waits for it. */
  track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) => this.log?.error({ err: error }, "background task failed"))
      .finally(() => {
        this.tasks.delete(tracked);
        this.changed();
      });
    this.tasks.add(tracked);
  }

  /** Jobs waiting or running. */
  depth(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.pending.length + (lane.running ? 1 : 0);
    return n;
  }

  /** Resolves once nothing is queued, running or tracked. */
  async onIdle(): Promise<void> {
    while (this.lanes.size > 0 || this.tasks.size > 0) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Aborts every running job (queued ones are dropped): used on shutdown. */
  abortAll(reason: AbortReason): void {
    for (const lane of this.lanes.values()) {
      for (const job of lane.pending) job.dropped?.(reason);
      lane.pending = [];
      lane.running?.controller.abort(reason);
    }
    this.changed();
  }

  private pump(key: string, lane: Lane): void {
    if (lane.running) return;
    const job = lane.pending.shift();
    if (!job) {
      this.lanes.delete(key);
      this.changed();
      return;
    }
    const controller = new AbortController();
    lane.running = { job, controller };
    const timeoutMs = this.options.timeoutMs;
    const timer =
      timeoutMs !== undefined ? setTimeout(() => controller.abort({ kind: "timeout", afterMs: timeoutMs } satisfies AbortReason), timeoutMs) : undefined;
    timer?.unref?.();
    void (async () => {
      try {
        await job.run(controller.signal);
      } catch (error) {
        this.log?.error({ err: error, key }, "job failed");
      } finally {
        if (timer) clearTimeout(timer);
        lane.running = undefined;
        this.pump(key, lane);
        this.changed();
      }
    })();
  }

  private changed(): void {
    this.options.onDepthChange?.(this.depth());
    if (this.lanes.size === 0 && this.tasks.size === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}

export function abortReason(signal: AbortSignal): AbortReason | undefined {
  if (!signal.aborted) return undefined;
  const reason = signal.reason as AbortReason | undefined;
  return reason && typeof reason === "object" && "kind" in reason ? reason : { kind: "shutdown" };
}
