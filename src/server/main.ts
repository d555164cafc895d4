/**
 * `npm start`: the Probot server, configured from the environment alone —
 * APP_ID, PRIVATE_KEY (PEM text or a path) or PRIVATE_KEY_PATH,
 * WEBHOOK_SECRET, GHE_HOST / GHE_PROTOCOL (GitHub Enterprise or a local
 * stand-in), PORT, HOST, LOG_LEVEL; and for the queue REDIS_URL (BullMQ;
 * in-process without it), CHECK_CONCURRENCY, RUN_TIMEOUT_SECONDS,
 * QUEUE_LOCK_SECONDS, SHUTDOWN_GRACE_SECONDS, SWEEP_INTERVAL_SECONDS,
 * QUEUE_PREFIX, CHECK_WORKER_NICE (docs/deploy.md). Webhooks arrive at /api/github/webhooks;
 * GET /healthz, GET /readyz and GET /metrics are served beside them. Without
 * APP_ID and a private key (outside production) Probot's own app-registration
 * flow starts instead, using app.yml.
 */
import { collectDefaultMetrics } from "prom-client";
import { run } from "probot";
import { createApp } from "../bot/app.js";
import { CheckPool } from "../engine/isolation/run-isolated.js";
import { BotOctokit } from "../github/api.js";
import { BotMetrics } from "../bot/metrics.js";
import { healthHandler, metricsHandler, readinessHandler } from "./handlers.js";
import { defaultLogFormat, normalisePrivateKeyEnv } from "./env.js";
import { createQueue, queueSettings } from "./queue-config.js";

normalisePrivateKeyEnv(process.env);
defaultLogFormat(process.env);

const settings = queueSettings(process.env);
const metrics = new BotMetrics();
collectDefaultMetrics({ register: metrics.registry, prefix: "platform_checks_" });
const appId = Number(process.env.APP_ID);
const queue = createQueue(settings, metrics);
// The main thread answers webhooks; checks run in worker threads at a lower priority, started now
// (before the server listens) and kept: neither a busy check nor a starting worker delays an answer.
const checkPool = new CheckPool({ threads: settings.concurrency, minThreads: settings.concurrency, niceIncrement: settings.workerNice });
const app = createApp({
  metrics,
  queue,
  checkPool,
  runTimeoutMs: settings.runTimeoutMs,
  ...(settings.sweepIntervalMs > 0 ? { sweep: { intervalMs: settings.sweepIntervalMs } } : {}),
  ...(Number.isInteger(appId) && appId > 0 ? { appId } : {}),
  ...(process.env.WEBHOOK_SECRET ? { stateSecret: process.env.WEBHOOK_SECRET } : {}),
});

const server = await run(async (probot, options) => {
  options.addHandler(healthHandler(queue));
  options.addHandler(readinessHandler(queue));
  options.addHandler(metricsHandler(metrics.registry));
  await app(probot, options);
  probot.log.info({ queue: queue.backend, concurrency: settings.concurrency }, "platform-checks started");
}, { Octokit: BotOctokit });

/**
 * On SIGTERM (docker stop, Kubernetes) stop taking webhooks and jobs, let
 * running checks finish within the grace period, then complete the rest as
 * interrupted (in-process) or hand them back to the queue (Redis).
 */
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    try {
      await server.stop();
      await app.shutdown(settings.shutdownGraceMs);
      await checkPool.close();
    } finally {
      process.exit(0);
    }
  })();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
