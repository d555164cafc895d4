import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * What the bot counts, on its own registry (so that several apps in one
 * process, as in tests, do not collide). The server exposes it at /metrics.
 */
export class BotMetrics {
  readonly registry: Registry;
  /** Finished runs by conclusion (success, failure, cancelled) and trigger. */
  readonly runs: Counter<"conclusion" | "trigger">;
  readonly runDuration: Histogram<"trigger">;
  /** Jobs waiting or running, over all pull requests. */
  readonly queueDepth: Gauge;
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
    });
    this.apiErrors = new Counter({
      name: "platform_checks_github_api_errors_total",
      help: "GitHub API requests that failed, by HTTP status",
      labelNames: ["status"],
      registers: [registry],
    });
  }
}
