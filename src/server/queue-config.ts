import { checkConcurrency } from "../engine/concurrency.js";
import type { BotMetrics } from "../bot/metrics.js";
import { InProcessQueue } from "../queue/in-process.js";
import { RedisQueue } from "../queue/redis.js";
import type { WorkQueue } from "../queue/work-queue.js";

/** How the server runs its queue, from the environment (docs/deploy.md lists the variables). */
export interface QueueSettings {
  /** BullMQ on this Redis; the in-process queue when absent. */
  redisUrl: string | undefined;
  prefix: string;
  concurrency: number;
  runTimeoutMs: number;
  lockMs: number;
  shutdownGraceMs: number;
  /** 0: no sweep for interrupted runs. */
  sweepIntervalMs: number;
  /** How much lower the check workers' scheduling priority is than the main thread's (nice increment, 0–19). */
  workerNice: number;
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback * 1000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number of seconds, at least ${min}; got "${raw}"`);
  return Math.round(n * 1000);
}

/** `CHECK_WORKER_NICE`: default 10, so that webhooks are answered first when checks keep every core busy. */
function niceIncrement(env: NodeJS.ProcessEnv): number {
  const raw = env.CHECK_WORKER_NICE?.trim();
  if (!raw) return 10;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 19) throw new Error(`CHECK_WORKER_NICE must be a whole number from 0 to 19; got "${raw}"`);
  return n;
}

export function queueSettings(env: NodeJS.ProcessEnv): QueueSettings {
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  return {
    redisUrl,
    prefix: env.QUEUE_PREFIX?.trim() || "platform-checks",
    concurrency: checkConcurrency(env),
    runTimeoutMs: seconds(env, "RUN_TIMEOUT_SECONDS", 600, 1),
    lockMs: seconds(env, "QUEUE_LOCK_SECONDS", 30, 1),
    shutdownGraceMs: seconds(env, "SHUTDOWN_GRACE_SECONDS", 20, 0),
    sweepIntervalMs: seconds(env, "SWEEP_INTERVAL_SECONDS", 300, 0),
    workerNice: niceIncrement(env),
  };
}

export function createQueue(settings: QueueSettings, metrics: BotMetrics): WorkQueue {
  const onWait = (s: number) => metrics.queueWait.observe(s);
  if (!settings.redisUrl) return new InProcessQueue({ timeoutMs: settings.runTimeoutMs, concurrency: settings.concurrency, onWait });
  return new RedisQueue({
    url: settings.redisUrl,
    prefix: settings.prefix,
    timeoutMs: settings.runTimeoutMs,
    concurrency: settings.concurrency,
    lockMs: settings.lockMs,
    onWait,
    onStalled: () => metrics.stalledJobs.inc(),
  });
}
