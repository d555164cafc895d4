import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { RunQueue } from "../bot/queue.js";

/** Probot's handler shape: returns true when it answered the request. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

function pathOf(req: IncomingMessage): string {
  return (req.url ?? "").split("?")[0] ?? "";
}

/** `GET /healthz`: the process is up and serving (queue depth included for a quick look). */
export function healthHandler(queue: RunQueue): Handler {
  return (req, res) => {
    if (req.method !== "GET" || pathOf(req) !== "/healthz") return false;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok", queueDepth: queue.depth() }));
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
