import type { Logger } from "pino";
import { jobController, jobHead, jobKey, jobSupersedes, type AbortReason, type JobData, type JobProcessor } from "./job.js";
import { liveCheckId, type QueueStats, type WorkQueue } from "./work-queue.js";

export interface QueueOptions {
  /** A job still running after this long is aborted with `{ kind: "timeout" }`. */
  timeoutMs?: number;
  /** Jobs running at once in this process (default 1). */
  concurrency?: number;
  /** Seconds from enqueue to start, per job. */
  onWait?(seconds: number): void;
  log?: Logger;
}

interface Queued {
  data: JobData;
  enqueuedAt: number;
}

interface Lane {
  running?: { data: JobData; controller: AbortController };
  pending: Queued[];
}

/** How long a delivery id is remembered, and how many at most. */
const DELIVERY_TTL_MS = 24 * 60 * 60_000;
const MAX_DELIVERIES = 50_000;

/**
 * The in-process back end: a per-key serial queue with supersede, in this
 * process's memory. Webhook handlers enqueue and return at once; work runs off
 * the request path, one job at a time per pull request and at most
 * `concurrency` in all; a newer head aborts the running job for an older head
 * and drops queued ones, so older results never land after newer ones.
 * Nothing survives the process: on start the server completes the check runs
 * a previous process left in progress (interrupted-runs.ts).
 */
export class InProcessQueue implements WorkQueue {
  readonly backend = "in-process" as const;
  private readonly lanes = new Map<string, Lane>();
  private readonly tasks = new Set<Promise<unknown>>();
  private readonly deliveries = new Map<string, number>();
  private waiters: (() => void)[] = [];
  private runningCount = 0;
  private processor: JobProcessor | undefined;
  private log: Logger | undefined;
  private stopping = false;
  private readonly concurrency: number;

  constructor(private readonly options: QueueOptions = {}) {
    this.log = options.log;
    this.concurrency = Math.max(1, options.concurrency ?? 1);
  }

  start(processor: JobProcessor, log?: Logger): void {
    this.processor = processor;
    if (log) this.log = log;
    this.pumpAll();
  }

  async enqueue(data: JobData): Promise<void> {
    if (this.stopping) throw new Error("the queue is shutting down");
    const key = jobKey(data);
    const head = jobHead(data);
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { pending: [] };
      this.lanes.set(key, lane);
    }
    if (data.kind === "check") {
      if (jobSupersedes(data)) {
        const reason: AbortReason = { kind: "superseded", by: head };
        lane.pending = lane.pending.filter((p) => {
          if (p.data.kind !== "check" || jobHead(p.data) === head) return true;
          this.log?.info({ key, sha: jobHead(p.data), reason }, "queued check dropped before it started");
          return false;
        });
        const running = lane.running;
        if (running && running.data.kind === "check" && jobHead(running.data) !== head) {
          this.log?.info({ key, older: jobHead(running.data), newer: head }, "newer head supersedes the running check");
          running.controller.abort(reason);
        }
      }
      // A check of the same head already waiting covers this one.
      if (lane.pending.some((p) => p.data.kind === "check" && jobHead(p.data) === head)) {
        this.changed();
        return;
      }
    }
    lane.pending.push({ data, enqueuedAt: Date.now() });
    this.changed();
    this.pumpAll();
  }

  async firstDelivery(id: string): Promise<boolean> {
    const now = Date.now();
    const seen = this.deliveries.get(id);
    if (seen !== undefined && seen > now) return false;
    if (this.deliveries.size >= MAX_DELIVERIES) {
      // Insertion order is expiry order: drop the oldest.
      for (const [old, expires] of this.deliveries) {
        if (expires > now && this.deliveries.size < MAX_DELIVERIES) break;
        this.deliveries.delete(old);
      }
    }
    this.deliveries.set(id, now + DELIVERY_TTL_MS);
    return true;
  }

  async forgetDelivery(id: string): Promise<void> {
    this.deliveries.delete(id);
  }

  track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) => this.log?.error({ err: error }, "background task failed"))
      .finally(() => {
        this.tasks.delete(tracked);
        this.changed();
      });
    this.tasks.add(tracked);
  }

  async liveChecks(): Promise<Set<string>> {
    const live = new Set<string>();
    for (const [key, lane] of this.lanes) {
      for (const data of [lane.running?.data, ...lane.pending.map((p) => p.data)]) {
        if (data?.kind === "check") live.add(liveCheckId(key, jobHead(data)));
      }
    }
    return live;
  }

  async stats(): Promise<QueueStats> {
    return { waiting: this.waitingCount(), running: this.runningCount, runningHere: this.runningCount };
  }

  async ready(): Promise<boolean> {
    return !this.stopping;
  }

  /** Jobs waiting or running. */
  depth(): number {
    return this.waitingCount() + this.runningCount;
  }

  async onIdle(): Promise<void> {
    while (this.lanes.size > 0 || this.tasks.size > 0) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async shutdown(graceMs: number): Promise<void> {
    this.stopping = true;
    const timedOut = await Promise.race([
      this.onIdle().then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
    ]);
    if (!timedOut) return;
    // Queued jobs never showed a check run: dropping them leaves nothing in progress.
    // Running ones are aborted; the check job completes its run as interrupted.
    for (const [key, lane] of this.lanes) {
      for (const p of lane.pending) this.log?.info({ key, sha: jobHead(p.data) }, "queued job dropped: shutting down");
      lane.pending = [];
      lane.running?.controller.abort({ kind: "shutdown" } satisfies AbortReason);
    }
    this.changed();
    await Promise.race([this.onIdle(), new Promise((r) => setTimeout(r, 10_000).unref())]);
  }

  async exclusively(_name: string, _ttlMs: number, work: () => Promise<void>): Promise<boolean> {
    await work();
    return true;
  }

  private waitingCount(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.pending.length;
    return n;
  }

  private pumpAll(): void {
    if (!this.processor) return;
    for (const [key, lane] of this.lanes) {
      if (this.runningCount >= this.concurrency) return;
      if (!lane.running) this.pump(key, lane);
    }
  }

  private pump(key: string, lane: Lane): void {
    const next = lane.pending.shift();
    if (!next) {
      this.lanes.delete(key);
      this.changed();
      return;
    }
    const { controller, dispose } = jobController(this.options.timeoutMs);
    lane.running = { data: next.data, controller };
    this.runningCount++;
    this.options.onWait?.((Date.now() - next.enqueuedAt) / 1000);
    const processor = this.processor!;
    void (async () => {
      try {
        await processor(next.data, { signal: controller.signal, resumed: false });
      } catch (error) {
        this.log?.error({ err: error, key }, "job failed");
      } finally {
        dispose();
        lane.running = undefined;
        this.runningCount--;
        if (lane.pending.length === 0) this.lanes.delete(key);
        this.changed();
        this.pumpAll();
      }
    })();
  }

  private changed(): void {
    if (this.lanes.size === 0 && this.tasks.size === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
