/**
 * `npm start`: the Probot server, configured from the environment alone —
 * APP_ID, PRIVATE_KEY (PEM text or a path) or PRIVATE_KEY_PATH,
 * WEBHOOK_SECRET, GHE_HOST / GHE_PROTOCOL (GitHub Enterprise or a local
 * stand-in), PORT, HOST, LOG_LEVEL. Webhooks arrive at /api/github/webhooks;
 * GET /healthz and GET /metrics are served beside them. Without APP_ID and a
 * private key (outside production) Probot's own app-registration flow starts
 * instead, using app.yml.
 */
import { collectDefaultMetrics } from "prom-client";
import { run } from "probot";
import { createApp } from "../bot/app.js";
import { BotMetrics } from "../bot/metrics.js";
import { healthHandler, metricsHandler } from "./handlers.js";
import { defaultLogFormat, normalisePrivateKeyEnv } from "./env.js";

normalisePrivateKeyEnv(process.env);
defaultLogFormat(process.env);

const metrics = new BotMetrics();
collectDefaultMetrics({ register: metrics.registry, prefix: "platform_checks_" });
const appId = Number(process.env.APP_ID);
const app = createApp({
  metrics,
  ...(Number.isInteger(appId) && appId > 0 ? { appId } : {}),
  ...(process.env.WEBHOOK_SECRET ? { stateSecret: process.env.WEBHOOK_SECRET } : {}),
});

const server = await run(async (probot, options) => {
  options.addHandler(healthHandler(app.queue));
  options.addHandler(metricsHandler(metrics.registry));
  await app(probot, options);
});

/** On SIGTERM (docker stop, Kubernetes) stop taking webhooks and let running checks finish or fail cleanly. */
process.once("SIGTERM", () => {
  void (async () => {
    try {
      await server.stop();
      await app.shutdown(20_000);
    } finally {
      process.exit(0);
    }
  })();
});
