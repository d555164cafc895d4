// The real server (`node dist/server/main.js`, what `npm start` runs) on loopback, pointed at the
// GitHub stand-in: how fast it acknowledges signed webhooks, and how long a check takes end to end.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";
import { pullRequestPayload, testPrivateKey } from "../../tests/support/bot-harness.js";
import { FakeGitHub, type FakePull } from "../../tests/support/fake-github.js";
import { median, percentile } from "./figures.js";
import { projectRoot } from "./synthetic.js";

const SECRET = "bench-webhook-secret";

export interface WebhookAckResult {
  deliveries: number;
  concurrency: number;
  /** Time to the HTTP response of each delivery, ms. */
  ackMs: number[];
  non2xx: number;
  /** Deliveries whose check run completed. */
  runsCompleted: number;
  /** From the first delivery to the last check run completed, ms. */
  drainMs: number;
}

export interface EndToEndResult {
  latencyMs: number;
  /** Webhook sent → check run completed, one per repetition. */
  ms: number[];
  requestsPerCheck: number;
}

export async function serverFigures(
  files: Record<string, string>,
  options: { deliveries: number; concurrency: number; repetitions: number; latencies: readonly number[]; editPath: string },
  note: (line: string) => void,
): Promise<{ ack: WebhookAckResult; endToEnd: EndToEndResult[] }> {
  const fake = await new FakeGitHub({ appId: 4711 }).start();
  const server = await startServer(fake);
  try {
    const mainSha = fake.commit(files);
    fake.setBranch("main", mainSha);
    const push = (number: number, tag: string): FakePull => {
      const parent = fake.pulls.get(number)?.head.sha ?? mainSha;
      const head = { ...files, [options.editPath]: `${files[options.editPath]}\n// ${tag}\n` };
      return fake.setPull(number, { headSha: fake.commit(head, [parent]) });
    };

    // Acknowledgement: many pull requests opened at once, each delivery signed as GitHub signs it.
    const pulls = Array.from({ length: options.deliveries }, (_, i) => push(1000 + i, `ack ${i}`));
    const payloads = pulls.map((pull) => JSON.stringify(pullRequestPayload(fake, "opened", pull)));
    const ackMs: number[] = [];
    let non2xx = 0;
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < payloads.length) {
          const body = payloads[next++]!;
          const { status, ms } = await deliver(server.url, "pull_request", body);
          ackMs.push(ms);
          if (status < 200 || status > 299) non2xx++;
        }
      }),
    );
    note(`  ${options.deliveries} deliveries acknowledged in ${Date.now() - started} ms; waiting for their check runs…`);
    const completed = () => pulls.filter((p) => fake.checkRunsFor(p.head.sha).some((r) => r.status === "completed")).length;
    await waitFor(() => completed() === pulls.length, 240_000);
    const ack: WebhookAckResult = { deliveries: options.deliveries, concurrency: options.concurrency, ackMs, non2xx, runsCompleted: completed(), drainMs: Date.now() - started };

    // End to end: one pull request touching one service, pushed and checked, at each simulated latency.
    const endToEnd: EndToEndResult[] = [];
    for (const latencyMs of options.latencies) {
      const ms: number[] = [];
      let requests = 0;
      for (let i = 0; i < options.repetitions; i++) {
        const pull = push(1, `e2e ${latencyMs} ${i}`);
        const body = JSON.stringify(pullRequestPayload(fake, i === 0 && latencyMs === options.latencies[0] ? "opened" : "synchronize", pull));
        fake.reset();
        fake.latencyMs = latencyMs;
        const sent = Date.now();
        await deliver(server.url, "pull_request", body);
        await waitFor(() => fake.checkRunsFor(pull.head.sha).some((r) => r.status === "completed"), 120_000);
        ms.push(Date.now() - sent);
        // The comment write follows the check run; let it land before the next push.
        await waitFor(() => fake.requests.some((r) => r.method !== "GET" && r.path.includes("/issues/")), 30_000).catch(() => undefined);
        fake.latencyMs = 0;
        requests = fake.requests.filter((r) => !/\/access_tokens$/.test(r.path)).length;
      }
      endToEnd.push({ latencyMs, ms, requestsPerCheck: requests });
      note(`  end to end at ${latencyMs} ms per request: median ${median(ms).toFixed(0)} ms`);
    }
    return { ack, endToEnd };
  } finally {
    await server.stop();
    await fake.stop();
  }
}

async function deliver(url: string, event: string, body: string): Promise<{ status: number; ms: number }> {
  const started = process.hrtime.bigint();
  const response = await fetch(`${url}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
    body,
  });
  await response.arrayBuffer();
  return { status: response.status, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

async function startServer(fake: FakeGitHub): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [join(projectRoot(), "dist/server/main.js")], {
    cwd: projectRoot(),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      APP_ID: String(fake.appId),
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: fake.host,
      GHE_PROTOCOL: "http",
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`bench: the server exited with ${child.exitCode}\n${output.join("").slice(-3000)}`);
    try {
      return (await fetch(`${url}/healthz`)).ok;
    } catch {
      return false;
    }
  }, 60_000);
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(probe: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`bench: timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function ackSummary(ack: WebhookAckResult): { p50: number; p99: number } {
  return { p50: percentile(ack.ackMs, 50), p99: percentile(ack.ackMs, 99) };
}
