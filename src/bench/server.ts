// The real server (`node dist/server/main.js`, what `npm start` runs) on loopback, pointed at the
// GitHub stand-in: how fast it acknowledges signed webhooks, and how long a check takes end to end.
import { once } from "node:events";
import { getPriority, setPriority } from "node:os";
import { Worker } from "node:worker_threads";
import { SECRET, startServer, waitFor } from "../../tests/e2e/server-process.js";
import { pullRequestPayload } from "../../tests/support/bot-harness.js";
import { FakeGitHub, type FakePull } from "../../tests/support/fake-github.js";
import { deliver, deliveryAgent, type SendResult } from "./delivery-sender.mjs";
import { median, percentile } from "./figures.js";

export interface WebhookAckResult {
  deliveries: number;
  concurrency: number;
  /** Time to the HTTP response of each delivery, ms. */
  ackMs: number[];
  /** The first half, sent one after the other. */
  sequentialMs: number[];
  /** The second half, `concurrency` in flight. */
  burstMs: number[];
  non2xx: number;
  /** Deliveries whose check run completed. */
  runsCompleted: number;
  /** From the first delivery to the last check run completed, ms. */
  drainMs: number;
}

export interface EndToEndResult {
  latencyMs: number;
  /** Octokit's throttling on (as in production: writes and GraphQL queries one second apart) or off. */
  throttle: boolean;
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
  const mainSha = fake.commit(files);
  fake.setBranch("main", mainSha);
  const push = (number: number, tag: string): FakePull => {
    const parent = fake.pulls.get(number)?.head.sha ?? mainSha;
    const head = { ...files, [options.editPath]: `${files[options.editPath]}\n// ${tag}\n` };
    return fake.setPull(number, { headSha: fake.commit(head, [parent]) });
  };
  const endToEnd: EndToEndResult[] = [];
  const agent = deliveryAgent();
  // End to end: one pull request touching one service, pushed and checked, at each simulated latency.
  const measureEndToEnd = async (url: string, throttle: boolean) => {
    for (const latencyMs of options.latencies) {
      const ms: number[] = [];
      let requests = 0;
      for (let i = 0; i < options.repetitions; i++) {
        const pull = push(1, `e2e ${throttle} ${latencyMs} ${i}`);
        const body = JSON.stringify(pullRequestPayload(fake, fake.checkRunsFor(pull.base.sha).length === 0 && endToEnd.length === 0 && i === 0 ? "opened" : "synchronize", pull));
        fake.reset();
        fake.latencyMs = latencyMs;
        const sent = Date.now();
        await deliver(agent, url, SECRET, "pull_request", body);
        const run = await waitFor("the check run to complete", () => fake.checkRunsFor(pull.head.sha).find((r) => r.status === "completed"), 120_000);
        // The bot stamps completed_at as it sends the completion (same clock, millisecond precision), so polling adds nothing.
        ms.push((run.completed_at ? Date.parse(run.completed_at) : Date.now()) - sent);
        // The comment write follows the check run; let it land before the next push.
        await waitFor("the comment", () => fake.requests.some((r) => r.method !== "GET" && r.path.includes("/issues/")), 30_000).catch(() => undefined);
        fake.latencyMs = 0;
        requests = fake.requests.filter((r) => !/\/access_tokens$/.test(r.path)).length;
      }
      endToEnd.push({ latencyMs, throttle, ms, requestsPerCheck: requests });
      note(`  end to end at ${latencyMs} ms per request, throttling ${throttle ? "on" : "off"}: median ${median(ms).toFixed(0)} ms`);
    }
  };

  try {
    // Acknowledgement: many pull requests opened at once, each delivery signed as GitHub signs it. The stand-in
    // has no rate limits, so this server runs without octokit's one-write-a-second spacing: every run can finish.
    let ack: WebhookAckResult;
    const unthrottled = await startServer(fake, { LOG_LEVEL: "warn", GITHUB_THROTTLE: "off" });
    try {
      const pulls = Array.from({ length: options.deliveries }, (_, i) => push(1000 + i, `ack ${i}`));
      const payloads = pulls.map((pull) => JSON.stringify(pullRequestPayload(fake, "opened", pull)));
      // Two ways of sending "as fast as the client can": one after the other (each answer before the next
      // delivery), then many in flight at once (a burst, as when a push fans out to many pull requests).
      const half = Math.ceil(payloads.length / 2);
      const started = Date.now();
      const [sequential, burst] = await sendFromOwnThread(unthrottled.baseUrl, [
        { payloads: payloads.slice(0, half), inFlight: 1 },
        { payloads: payloads.slice(half), inFlight: options.concurrency },
      ]);
      const ackMs = [...sequential.ackMs, ...burst.ackMs];
      const non2xx = sequential.non2xx + burst.non2xx;
      note(`  ${options.deliveries} deliveries acknowledged in ${Date.now() - started} ms (the stand-in at nice ${getPriority()}, the server at its own); waiting for their check runs…`);
      const completed = () => pulls.filter((p) => fake.checkRunsFor(p.head.sha).some((r) => r.status === "completed")).length;
      await waitFor("every delivery's check run to complete", () => completed() === pulls.length, 240_000).catch(() => {
        const statuses = fake.checkRuns.reduce<Record<string, number>>((acc, r) => ({ ...acc, [`${r.status}/${r.conclusion}`]: (acc[`${r.status}/${r.conclusion}`] ?? 0) + 1 }), {});
        note(`  not all check runs completed in 240 s: ${JSON.stringify(statuses)}; server output:\n${unthrottled.tail()}`);
      });
      ack = {
        deliveries: options.deliveries,
        concurrency: options.concurrency,
        ackMs,
        sequentialMs: sequential.ackMs,
        burstMs: burst.ackMs,
        non2xx,
        runsCompleted: completed(),
        drainMs: Date.now() - started,
      };
      await measureEndToEnd(unthrottled.baseUrl, false);
    } finally {
      await unthrottled.stop();
    }
    const production = await startServer(fake, { LOG_LEVEL: "warn" });
    try {
      await measureEndToEnd(production.baseUrl, true);
    } finally {
      await production.stop();
    }
    return { ack, endToEnd };
  } finally {
    agent.destroy();
    await fake.stop();
  }
}

interface SendPhase {
  payloads: string[];
  inFlight: number;
}

/**
 * The acknowledgement deliveries, sent and timed on a thread of their own (delivery-sender.mjs): this
 * thread serves the GitHub stand-in, busy answering the checks the deliveries start, and a client on
 * its event loop measured those waits as the server's.
 */
async function sendFromOwnThread(url: string, phases: [SendPhase, SendPhase]): Promise<[SendResult, SendResult]> {
  const worker = new Worker(new URL("./delivery-sender.mjs", import.meta.url), { workerData: { url, secret: SECRET, phases } });
  // The sender thread exists now, at the bench's priority; the stand-in's thread steps down below the
  // server under test (see standInBehindServer).
  standInBehindServer();
  try {
    const [results] = (await once(worker, "message")) as [[SendResult, SendResult]];
    return results;
  } finally {
    await worker.terminate();
  }
}

export function ackSummary(ms: readonly number[]): { p50: number; p99: number } {
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

/** Niceness of the thread serving the GitHub stand-in once the acknowledgement burst starts. */
export const STAND_IN_NICE = 10;

/**
 * Lowers this thread (the GitHub stand-in's) below the server it measures. In production GitHub
 * does not share the bot's cores; here the stand-in answering the burst's checks competed with the
 * server's main thread on a two-core machine, and its CPU time showed up as the server's answer time
 * (BENCHMARKS.md, "Webhook acknowledgement: where the time goes"). On Linux niceness is per thread:
 * the server (its own process) and the sender thread, both started before, keep theirs. It cannot
 * be raised back without privileges, so the sections after this one run the stand-in at this
 * priority too (they time nothing against it but end to end, which throttling dominates).
 */
function standInBehindServer(): void {
  try {
    const current = getPriority();
    if (current < STAND_IN_NICE) setPriority(STAND_IN_NICE);
  } catch {
    // Not permitted on this platform: measured as before, stand-in at the bench's priority.
  }
}
