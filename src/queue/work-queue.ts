import type { Logger } from "pino";
import type { CheckTarget } from "../bot/target.js";
import type { JobData, JobProcessor } from "./job.js";

/** What /healthz and /metrics show about the queue. */
export interface QueueStats {
  /** Jobs waiting to start (all replicas, for Redis). */
  waiting: number;
  /** Jobs running (all replicas, for Redis). */
  running: number;
  /** Jobs running in this process. */
  runningHere: number;
}

/**
 * What a check job asks before it writes results, when other replicas may be
 * working on the same pull request (see `BotDeps.guard`).
 */
export interface RunGuard {
  /** The newer head queued for the target's pull request, or undefined while the target is still the latest. */
  supersededBy(target: CheckTarget): Promise<string | undefined>;
  /**
   * Runs `write` (the sticky comment) holding the pull request's comment lock,
   * unless a newer head has been queued meanwhile; so an older result never
   * lands after a newer one and two replicas never both create the comment.
   */
  commentWrite(target: CheckTarget, write: () => Promise<void>): Promise<void>;
}

/**
 * The bot's work queue. Two back ends behave alike (tests/bot/queue-behaviour.ts):
 * in-process (no REDIS_URL) and BullMQ on Redis. Both run one job at a time per
 * key, at most `concurrency` jobs at once per process, let a newer head abort
 * older work and drop queued older heads, abort a job that runs past the
 * timeout, and remember deliveries for a day.
 */
export interface WorkQueue {
  readonly backend: "in-process" | "redis";
  /** Set for back ends shared between replicas; the in-process queue needs none (it serialises each pull request itself). */
  readonly guard?: RunGuard;
  /** Starts taking jobs. */
  start(processor: JobProcessor, log?: Logger): void;
  /** Resolves once the job is stored: durably, for Redis. */
  enqueue(data: JobData): Promise<void>;
  /** True the first time a webhook delivery id is seen (within a day); false for a redelivery. */
  firstDelivery(id: string): Promise<boolean>;
  /** Lets a delivery be seen again (its job could not be enqueued, so GitHub's redelivery must run). */
  forgetDelivery(id: string): Promise<void>;
  /** Tracks fire-and-forget work (a permission check, a pull request lookup) so that `onIdle` waits for it. */
  track(work: Promise<unknown>): void;
  /** `key@sha` of every check queued or running anywhere. */
  liveChecks(): Promise<Set<string>>;
  stats(): Promise<QueueStats>;
  /** False while the back end cannot take work (Redis unreachable) or the queue is shutting down. */
  ready(): Promise<boolean>;
  /** Resolves once nothing is queued, running or tracked. */
  onIdle(): Promise<void>;
  /**
   * Stops taking jobs and lets running ones finish within `graceMs`; the rest
   * are aborted (reason `shutdown`): the check job then completes its run, and
   * Redis puts the job back in the queue for another replica.
   */
  shutdown(graceMs: number): Promise<void>;
  /** Runs `work` in at most one replica at a time (the interrupted-run sweep); false when another holds it. */
  exclusively(name: string, ttlMs: number, work: () => Promise<void>): Promise<boolean>;
}

export function liveCheckId(key: string, headSha: string): string {
  return `${key}@${headSha}`;
}
