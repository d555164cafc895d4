// Sends signed webhook deliveries and times each answer, on its own thread: the bench's main thread
// also runs the GitHub stand-in, which serves the checks those deliveries start, and a client sharing
// that event loop timed the stand-in's work as the server's. Plain JavaScript: it runs in a worker
// thread, which the bench's TypeScript source hooks do not reach.
import { createHmac, randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { parentPort, workerData } from "node:worker_threads";

/** Kept-alive connections, as fetch keeps them (node:http: fetch's own cost per request is larger). */
export function deliveryAgent() {
  return new Agent({ keepAlive: true, maxSockets: 64 });
}

/** One signed delivery; resolves with the answer's status and the time to its end, in ms. */
export function deliver(agent, url, secret, event, body) {
  const started = process.hrtime.bigint();
  const headers = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    "x-github-event": event,
    "x-github-delivery": randomUUID(),
    "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
  };
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/github/webhooks`, { method: "POST", headers, agent }, (response) => {
      response.resume();
      response.once("error", reject);
      response.once("end", () => resolve({ status: response.statusCode ?? 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.once("error", reject);
    req.end(body);
  });
}

/** Sends every payload as `pull_request`, `inFlight` at a time; each answer's time, and how many were not 2xx. */
export async function sendAll(agent, url, secret, payloads, inFlight) {
  const ackMs = [];
  let non2xx = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < payloads.length) {
        const { status, ms } = await deliver(agent, url, secret, "pull_request", payloads[next++]);
        ackMs.push(ms);
        if (status < 200 || status > 299) non2xx++;
      }
    }),
  );
  return { ackMs, non2xx };
}

// As a worker: workerData = { url, secret, phases: [{ payloads, inFlight }] }, phases one after the other on the same connections.
if (parentPort && workerData?.phases) {
  const agent = deliveryAgent();
  const results = [];
  for (const phase of workerData.phases) results.push(await sendAll(agent, workerData.url, workerData.secret, phase.payloads, phase.inFlight));
  agent.destroy();
  parentPort.postMessage(results);
}
