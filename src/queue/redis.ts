import { randomUUID } from "node:crypto";
import { DelayedError, Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { CheckTarget } from "../bot/target.js";
import { queueKey } from "../bot/target.js";
import { abortReason, jobController, jobHead, jobKey, jobSupersedes, type AbortReason, type JobData, type JobProcessor } from "./job.js";
import { liveCheckId, type QueueStats, type RunGuard, type WorkQueue } from "./work-queue.js";

export interface RedisQueueOptions {
  url: string;
  /** Namespaces every key (BullMQ's and ours), so that several deployments or tests share one Redis. */
  prefix?: string;
  timeoutMs?: number;
  /** Jobs running at once in this process. */
  concurrency?: number;
  /**
   * A worker that has not renewed a job's lock for this long is taken for dead:
   * the job goes back to the queue (BullMQ's stalled-job check runs at the same interval).
   */
  lockMs?: number;
  onWait?(seconds: number): void;
  onStalled?(): void;
  log?: Logger;
}

const DAY_SECONDS = 24 * 60 * 60;
/** A job whose pull request is busy in another replica tries again after this long. */
const BUSY_RETRY_MS = 250;
/** How many jobs `liveChecks` reads (the sweep skips what it cannot see, it never guesses). */
const LIVE_SCAN_LIMIT = 2000;

/** Deletes a lock only when it still holds our token. */
const RELEASE_LOCK = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
/** Extends a lock only when it still holds our token. */
const RENEW_LOCK = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

interface Running {
  key: string;
  data: JobData;
  controller: AbortController;
}

/**
 * The BullMQ back end. Jobs are stored in Redis before the webhook is answered
 * and any replica's worker takes them; BullMQ's stalled-job check gives the
 * job of a worker that died (`kill -9`, OOM) to another. Around BullMQ, in
 * Redis too:
 * - `latest:<pr>`: the newest head queued per pull request. A queued job for an
 *   older head is dropped when it is picked up; a running one is aborted
 *   through a pub/sub message to every replica; check jobs consult it (RunGuard)
 *   before writing a conclusion or the comment.
 * - `run:<pr>`: one job at a time per pull request, across replicas (a lock
 *   renewed while the job runs; a job finding it taken waits in BullMQ's
 *   delayed set).
 * - `pending:<pr>@<sha>`: a check of the same head already waiting covers a new one.
 * - `started:<job>`: the job ran before; the next attempt cleans up after it.
 * - `delivery:<id>`: deliveries seen within a day.
 */
export class RedisQueue implements WorkQueue {
  readonly backend = "redis" as const;
  readonly guard: RunGuard;
  private readonly prefix: string;
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly queue: Queue<JobData>;
  private worker: Worker<JobData> | undefined;
  private readonly running = new Map<string, Running>();
  private readonly tasks = new Set<Promise<unknown>>();
  private readonly lockMs: number;
  private log: Logger | undefined;
  private stopping = false;
  private readonly channel: string;

  constructor(private readonly options: RedisQueueOptions) {
    this.prefix = options.prefix ?? "platform-checks";
    this.lockMs = options.lockMs ?? 30_000;
    this.log = options.log;
    this.channel = `${this.prefix}:superseded`;
    // Commands fail fast while Redis is away (the webhook then answers 5xx and GitHub can redeliver);
    // the worker's own connection waits for Redis to come back, as BullMQ wants.
    this.commands = new Redis(options.url, { maxRetriesPerRequest: 1, connectTimeout: 5_000 });
    this.subscriber = new Redis(options.url, { maxRetriesPerRequest: null });
    for (const connection of [this.commands, this.subscriber]) {
      connection.on("error", (error: Error) => this.log?.warn({ err: error.message }, "redis connection error"));
    }
    this.queue = new Queue<JobData>("checks", { connection: this.commands, prefix: this.prefix });
    this.queue.on("error", (error) => this.log?.warn({ err: error.message }, "queue error"));
    this.guard = {
      supersededBy: (target) => this.newerHead(queueKey(target), target.headSha),
      commentWrite: (target, write) => this.commentWrite(target, write),
    };
  }

  start(processor: JobProcessor, log?: Logger): void {
    if (log) this.log = log;
    void this.subscriber.subscribe(this.channel).catch((error: unknown) => this.log?.error({ err: error }, "could not subscribe to supersede messages"));
    this.subscriber.on("message", (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const { key, by } = JSON.parse(message) as { key: string; by: string };
      for (const running of this.running.values()) {
        if (running.key === key && running.data.kind === "check" && jobHead(running.data) !== by) {
          this.log?.info({ key, older: jobHead(running.data), newer: by }, "newer head supersedes the running check");
          running.controller.abort({ kind: "superseded", by } satisfies AbortReason);
        }
      }
    });
    const connection = new Redis(this.options.url, { maxRetriesPerRequest: null });
    connection.on("error", (error: Error) => this.log?.warn({ err: error.message }, "redis worker connection error"));
    this.worker = new Worker<JobData>("checks", (job, token) => this.process(job, token, processor), {
      connection,
      prefix: this.prefix,
      concurrency: Math.max(1, this.options.concurrency ?? 1),
      lockDuration: this.lockMs,
      stalledInterval: this.lockMs,
      maxStalledCount: 2,
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 500 },
    });
    this.worker.on("error", (error) => this.log?.warn({ err: error.message }, "worker error"));
    this.worker.on("stalled", (jobId) => {
      this.options.onStalled?.();
      this.log?.warn({ jobId }, "a job's worker stopped answering; the job is back in the queue");
    });
    this.worker.on("failed", (job, error) => this.log?.warn({ jobId: job?.id, err: error.message }, "job attempt failed"));
  }

  async enqueue(data: JobData): Promise<void> {
    if (this.stopping) throw new Error("the queue is shutting down");
    const key = jobKey(data);
    const head = jobHead(data);
    if (data.kind === "check") {
      if (jobSupersedes(data)) {
        await this.commands.set(this.k("latest", key), head, "EX", 7 * DAY_SECONDS);
        await this.commands.publish(this.channel, JSON.stringify({ key, by: head }));
      }
      const pending = this.k("pending", liveCheckId(key, head));
      if ((await this.commands.set(pending, "1", "EX", DAY_SECONDS, "NX")) === null) return; // one already waits
      try {
        await this.add(data);
      } catch (error) {
        await this.commands.del(pending).catch(() => undefined);
        throw error;
      }
      return;
    }
    await this.add(data);
  }

  async firstDelivery(id: string): Promise<boolean> {
    return (await this.commands.set(this.k("delivery", id), "1", "EX", DAY_SECONDS, "NX")) !== null;
  }

  async forgetDelivery(id: string): Promise<void> {
    await this.commands.del(this.k("delivery", id));
  }

  track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) => this.log?.error({ err: error }, "background task failed"))
      .finally(() => this.tasks.delete(tracked));
    this.tasks.add(tracked);
  }

  async liveChecks(): Promise<Set<string>> {
    const jobs = await this.queue.getJobs(["active", "waiting", "delayed", "prioritized"], 0, LIVE_SCAN_LIMIT);
    const live = new Set<string>();
    for (const job of jobs) {
      const data = job?.data as JobData | undefined;
      if (data?.kind === "check") live.add(liveCheckId(jobKey(data), jobHead(data)));
    }
    return live;
  }

  async stats(): Promise<QueueStats> {
    const counts = await this.queue.getJobCounts("waiting", "active", "delayed", "prioritized");
    return {
      waiting: (counts["waiting"] ?? 0) + (counts["delayed"] ?? 0) + (counts["prioritized"] ?? 0),
      running: counts["active"] ?? 0,
      runningHere: this.running.size,
    };
  }

  async ready(): Promise<boolean> {
    if (this.stopping || this.commands.status !== "ready") return false;
    try {
      const answer = await Promise.race([this.commands.ping(), new Promise<undefined>((r) => setTimeout(() => r(undefined), 1_000).unref())]);
      return answer === "PONG";
    } catch {
      return false;
    }
  }

  /** Resolves once no job is waiting or running in any replica and this process tracks no task. */
  async onIdle(): Promise<void> {
    for (;;) {
      await Promise.all([...this.tasks]);
      const stats = await this.stats();
      if (stats.waiting === 0 && stats.running === 0 && this.running.size === 0 && this.tasks.size === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async shutdown(graceMs: number): Promise<void> {
    this.stopping = true;
    // Closing the worker stops it taking jobs and waits for the running ones.
    const closed = this.worker?.close() ?? Promise.resolve();
    const timedOut = await Promise.race([closed.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref())]);
    if (timedOut) {
      // The check job completes each aborted run; the job then fails this attempt and BullMQ puts it back for another replica.
      for (const running of this.running.values()) running.controller.abort({ kind: "shutdown" } satisfies AbortReason);
      await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000).unref())]);
    }
    await Promise.race([Promise.all([...this.tasks]), new Promise((r) => setTimeout(r, 5_000).unref())]);
    await this.queue.close().catch(() => undefined);
    this.subscriber.disconnect();
    this.commands.disconnect();
  }

  async exclusively(name: string, ttlMs: number, work: () => Promise<void>): Promise<boolean> {
    const lock = this.k("lock", name);
    const token = randomUUID();
    // The lock is left to expire: the interval it guards is also a rate limit across replicas.
    if ((await this.commands.set(lock, token, "PX", ttlMs, "NX")) === null) return false;
    await work();
    return true;
  }

  private async add(data: JobData): Promise<void> {
    await this.queue.add(data.kind, data, {
      // Attempts after the first come from a shutdown that returned the job; a worker that died is BullMQ's stalled check.
      attempts: 3,
      backoff: { type: "fixed", delay: 1_000 },
    });
  }

  private async process(job: Job<JobData>, token: string | undefined, processor: JobProcessor): Promise<void> {
    const data = job.data;
    const key = jobKey(data);
    const head = jobHead(data);
    const runLock = this.k("run", key);
    const lockToken = randomUUID();
    if ((await this.commands.set(runLock, lockToken, "PX", this.lockMs, "NX")) === null) {
      // Another replica works on this pull request: wait our turn.
      await job.moveToDelayed(Date.now() + BUSY_RETRY_MS, token);
      throw new DelayedError();
    }
    const renew = setInterval(() => {
      void this.commands.eval(RENEW_LOCK, 1, runLock, lockToken, String(this.lockMs)).catch(() => undefined);
    }, Math.max(100, Math.floor(this.lockMs / 3)));
    renew.unref();
    const { controller, dispose } = jobController(this.options.timeoutMs);
    const id = job.id ?? randomUUID();
    let shutdown = false;
    try {
      if (data.kind === "check") await this.commands.del(this.k("pending", liveCheckId(key, head)));
      const resumed = (await this.commands.set(this.k("started", id), "1", "EX", DAY_SECONDS, "NX")) === null;
      // Registered before the latest head is read, so that a supersede message arriving meanwhile is not missed.
      this.running.set(id, { key, data, controller });
      const newer = jobSupersedes(data) ? await this.newerHead(key, head) : undefined;
      if (newer !== undefined && !resumed) {
        this.log?.info({ key, sha: head, newer }, "queued check dropped before it started");
        await this.commands.del(this.k("started", id));
        return;
      }
      // A resumed job for an outdated head still runs, already aborted: it cleans up what its first attempt left in progress.
      if (newer !== undefined) controller.abort({ kind: "superseded", by: newer } satisfies AbortReason);
      this.options.onWait?.(Math.max(0, (job.processedOn ?? Date.now()) - job.timestamp) / 1000);
      try {
        await processor(data, { signal: controller.signal, resumed });
      } catch (error) {
        this.log?.error({ err: error, key }, "job failed");
      }
      shutdown = abortReason(controller.signal)?.kind === "shutdown";
    } finally {
      dispose();
      clearInterval(renew);
      this.running.delete(id);
      await this.commands.eval(RELEASE_LOCK, 1, runLock, lockToken).catch(() => undefined);
    }
    if (shutdown) throw new Error("interrupted by shutdown: back to the queue");
    await this.commands.del(this.k("started", id)).catch(() => undefined);
  }

  private async newerHead(key: string, head: string): Promise<string | undefined> {
    const latest = await this.commands.get(this.k("latest", key));
    return latest !== null && latest !== head ? latest : undefined;
  }

  private async commentWrite(target: CheckTarget, write: () => Promise<void>): Promise<void> {
    const key = queueKey(target);
    const lock = this.k("comment", key);
    const token = randomUUID();
    const deadline = Date.now() + 30_000;
    while ((await this.commands.set(lock, token, "PX", 30_000, "NX")) === null) {
      if (Date.now() > deadline) throw new Error(`the comment lock of ${key} stayed taken for 30 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    try {
      const newer = await this.newerHead(key, target.headSha);
      if (newer !== undefined) {
        this.log?.info({ key, sha: target.headSha, newer }, "a newer head was queued: its run writes the comment");
        return;
      }
      await write();
    } finally {
      await this.commands.eval(RELEASE_LOCK, 1, lock, token).catch(() => undefined);
    }
  }

  private k(kind: string, id: string): string {
    return `${this.prefix}:${kind}:${id}`;
  }
}
