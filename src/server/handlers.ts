import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { WorkQueue } from "../queue/work-queue.js";

/** Probot's handler shape: returns true when it answered the request. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

function pathOf(req: IncomingMessage): string {
  return (req.url ?? "").split("?")[0] ?? "";
}

/** `GET /healthz`: the process is up and serving (liveness). The queue's numbers are for a quick look; Redis being away does not fail it. */
export function healthHandler(queue: WorkQueue): Handler {
  return async (req, res) => {
    if (req.method !== "GET" || pathOf(req) !== "/healthz") return false;
    const stats = await queue.stats().catch(() => undefined);
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        status: "ok",
        queue: queue.backend,
        ...(stats ? { queueDepth: stats.waiting + stats.running, running: stats.runningHere } : {}),
      }),
    );
    return true;
  };
}

/** `GET /readyz`: 200 while the bot can take work; 503 while Redis is unreachable or the process is shutting down (so a load balancer stops sending it webhooks). */
export function readinessHandler(queue: WorkQueue): Handler {
  return async (req, res) => {
    if (req.method !== "GET" || pathOf(req) !== "/readyz") return false;
    const ready = await queue.ready().catch(() => false);
    res.writeHead(ready ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ ready, queue: queue.backend }));
    return true;
  };
}

/** `GET /metrics`: Prometheus text format. */
export function metricsHandler(registry: Registry): Handler {
  return async (req, res) => {
    if (req.method !== "GET" || pathOf(req) !== "/metrics") return false;
    const body = await registry.metrics();
    res.writeHead(200, { "content-type": registry.contentType }).end(body);
    return true;
  };
}
