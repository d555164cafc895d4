import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { WorkQueue } from "../queue/work-queue.js";

/**
 * What the bot counts, on its own registry (so that several apps in one
 * process, as in tests, do not collide). The server exposes it at /metrics.
 */
export class BotMetrics {
  readonly registry: Registry;
  /** Finished runs by conclusion (success, failure, cancelled) and trigger. */
  readonly runs: Counter<"conclusion" | "trigger">;
  readonly runDuration: Histogram<"trigger">;
  /** Jobs waiting or running, over all pull requests (all replicas, with Redis); read from the queue at each scrape. */
  readonly queueDepth: Gauge;
  /** Jobs waiting to start, and jobs running in this process. */
  readonly queueWaiting: Gauge;
  readonly jobsRunning: Gauge;
  /** Time from enqueue to start. */
  readonly queueWait: Histogram;
  /** Jobs whose worker stopped answering (died) and that went back to the queue. */
  readonly stalledJobs: Counter;
  /** Check runs found left in progress by an interrupted run and completed as failures. */
  readonly interruptedRuns: Counter;
  /** Webhook deliveries seen before and ignored. */
  readonly duplicateDeliveries: Counter;
  private queue: WorkQueue | undefined;
  /** GitHub API requests that failed, by HTTP status (`network` when there was no response). 404s are answers, not errors. */
  readonly apiErrors: Counter<"status">;

  constructor(registry = new Registry()) {
    this.registry = registry;
    this.runs = new Counter({
      name: "platform_checks_runs_total",
      help: "Check runs completed, by conclusion and trigger",
      labelNames: ["conclusion", "trigger"],
      registers: [registry],
    });
    this.runDuration = new Histogram({
      name: "platform_checks_run_duration_seconds",
      help: "Time from starting a check run to completing it",
      labelNames: ["trigger"],
      buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
      registers: [registry],
    });
    this.queueDepth = new Gauge({
      name: "platform_checks_queue_depth",
      help: "Jobs waiting or running",
      registers: [registry],
      // Registered before the two gauges below, so one read of the queue serves all three.
      collect: () => this.readQueue(),
    });
    this.queueWaiting = new Gauge({
      name: "platform_checks_queue_waiting",
      help: "Jobs waiting to start",
      registers: [registry],
    });
    this.jobsRunning = new Gauge({
      name: "platform_checks_jobs_running",
      help: "Jobs running in this process",
      registers: [registry],
    });
    this.queueWait = new Histogram({
      name: "platform_checks_queue_wait_seconds",
      help: "Time a job waited in the queue before it started",
      buckets: [0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
      registers: [registry],
    });
    this.stalledJobs = new Counter({
      name: "platform_checks_stalled_jobs_total",
      help: "Jobs whose worker stopped answering and that went back to the queue",
      registers: [registry],
    });
    this.interruptedRuns = new Counter({
      name: "platform_checks_interrupted_runs_total",
      help: "Check runs left in progress by an interrupted run and completed as failures",
      registers: [registry],
    });
    this.duplicateDeliveries = new Counter({
      name: "platform_checks_duplicate_deliveries_total",
      help: "Webhook deliveries seen before and ignored",
      registers: [registry],
    });
    this.apiErrors = new Counter({
      name: "platform_checks_github_api_errors_total",
      help: "GitHub API requests that failed, by HTTP status",
      labelNames: ["status"],
      registers: [registry],
    });
  }

  /** The queue whose depth is read at each scrape (for Redis, over every replica). */
  observe(queue: WorkQueue): void {
    this.queue = queue;
  }

  private async readQueue(): Promise<void> {
    if (!this.queue) return;
    try {
      const stats = await this.queue.stats();
      this.queueDepth.set(stats.waiting + stats.running);
      this.queueWaiting.set(stats.waiting);
      this.jobsRunning.set(stats.runningHere);
    } catch {
      // Redis unreachable: keep the last values; /readyz says so.
    }
  }
}
