/**
 * End to end: builds the project, starts the real server process (what
 * `npm start` runs: `node dist/server/main.js`) configured only through the
 * environment, points it at the fake GitHub through GHE_HOST/GHE_PROTOCOL, and
 * sends it signed webhooks over HTTP.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEFAULT_CONFIG } from "../../src/engine/config.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { runChecks } from "../../src/engine/run.js";
import { readCommentState } from "../../src/report/comment.js";
import { RULES } from "../../src/rules/index.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { pullRequestPayload } from "../support/bot-harness.js";
import { FakeGitHub, type FakePull } from "../support/fake-github.js";
import { buildServer, startServer, waitFor as waitForServer, type ServerProcess } from "./server-process.js";

const SERVICE_YAML = "services/billing-ledger/service.yaml";

let fake: FakeGitHub;
let server: ServerProcess;
let baseUrl = "";

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  return waitForServer(what, probe, timeoutMs, () => server.tail());
}

async function sendWebhook(event: string, payload: unknown, secret?: string): Promise<{ status: number; ms: number }> {
  return server.send(event, payload, secret === undefined ? {} : { secret });
}

/** What the engine concludes in-process for the same files: the bot must report the same. */
async function expectedConclusion(head: Record<string, string>, base: Record<string, string>) {
  const report = await runChecks({ snapshot: new MemorySnapshot({ files: head, base }), config: DEFAULT_CONFIG, rules: RULES });
  return report;
}

function filesAt(sha: string): Record<string, string> {
  return Object.fromEntries([...fake.filesOf(sha).keys()].map((p) => [p, fake.readText(sha, p)!]));
}

function push(number: number, edit: (files: Record<string, string>) => void): FakePull {
  const parent = fake.pulls.get(number)?.head.sha ?? fake.branches.get("main")!;
  const files = filesAt(parent);
  edit(files);
  return fake.setPull(number, { headSha: fake.commit(files, [parent]) });
}

beforeAll(async () => {
  await buildServer();
  fake = await new FakeGitHub({ appId: 31337 }).start();
  fake.setBranch("main", fake.commit(exampleFiles()));
  // No interrupted-run sweep here (replicas.e2e.test.ts covers it): every request the fake sees comes from a webhook.
  server = await startServer(fake, { SWEEP_INTERVAL_SECONDS: "0" });
  baseUrl = server.baseUrl;
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await fake?.stop();
});

test("health and metrics are served, logs are pino JSON, and a badly signed webhook is refused", async () => {
  const health = await fetch(`${baseUrl}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: "ok", queue: "in-process", queueDepth: 0 });
  const ready = await fetch(`${baseUrl}/readyz`);
  expect(ready.status).toBe(200);
  const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
  expect(metrics).toContain("platform_checks_queue_depth");
  expect(metrics).toContain("platform_checks_github_api_errors_total");
  expect(metrics).toContain("platform_checks_queue_wait_seconds");
  expect(metrics).toContain("platform_checks_stalled_jobs_total");

  const refused = await sendWebhook("pull_request", { action: "opened" }, "wrong-secret");
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expect(fake.requests).toEqual([]);

  const firstLine = server.output.join("").split("\n").find((l) => l.trim().startsWith("{"));
  expect(() => JSON.parse(firstLine!)).not.toThrow();
});

test("pull_request.opened becomes a completed check run and one comment; a second push edits that same comment", async () => {
  const base = filesAt(fake.branches.get("main")!);
  const first = push(12, (f) => (f[SERVICE_YAML] = f[SERVICE_YAML]!.replace("status: beta", "status: gamma")));

  const answered = await sendWebhook("pull_request", pullRequestPayload(fake, "opened", first));
  expect(answered.status).toBe(200);
  expect(answered.ms).toBeLessThan(5_000); // answered at once; the work runs off the request path

  const run = await waitFor("the first check run to complete", () => fake.checkRunsFor(first.head.sha).find((r) => r.status === "completed"));
  const expected = await expectedConclusion(filesAt(first.head.sha), base);
  expect(expected.conclusion).toBe("failure");
  expect(run.conclusion).toBe("failure");
  expect(run.name).toBe("Loop Platform / pre-merge");
  expect(run.annotations).toHaveLength(expected.findings.length);
  expect(run.annotations).toContainEqual(expect.objectContaining({ path: SERVICE_YAML, start_line: 5, title: "service-yaml-schema" }));

  const comment = await waitFor("the comment", () => fake.stickyComments(12)[0]);
  expect(readCommentState(comment.body)?.headSha).toBe(first.head.sha);

  const second = push(12, (f) => (f[SERVICE_YAML] = f[SERVICE_YAML]!.replace("status: gamma", "status: beta").replace("team: billing", "team: ledger")));
  expect((await sendWebhook("pull_request", pullRequestPayload(fake, "synchronize", second))).status).toBe(200);

  const rerun = await waitFor("the second check run to complete", () => fake.checkRunsFor(second.head.sha).find((r) => r.status === "completed"));
  expect(rerun.conclusion).toBe((await expectedConclusion(filesAt(second.head.sha), base)).conclusion);
  await waitFor("the comment to be rewritten for the new head", () => readCommentState(fake.stickyComments(12)[0]?.body)?.headSha === second.head.sha || undefined);

  expect(fake.stickyComments(12)).toHaveLength(1);
  expect(fake.stickyComments(12)[0]!.id).toBe(comment.id);
  expect(fake.calls((r) => r.path.includes("/comments") && r.method === "POST")).toHaveLength(1);
  expect(fake.calls((r) => r.method === "PATCH" && r.path === `/repos/loop/platform/issues/comments/${comment.id}`)).toHaveLength(1);
  expect(fake.checkRuns.filter((r) => r.status !== "completed")).toEqual([]);
  expect(fake.unexpected()).toEqual([]);

  // The job records its metrics after it writes the comment: wait for them rather than race the server.
  const synchronizeRecorded = /platform_checks_run_duration_seconds_count\{trigger="pull_request.synchronize"\} 1/;
  const metrics = await waitFor("the second run's metrics", async () => {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    return synchronizeRecorded.test(text) ? text : undefined;
  }, 10_000);
  expect(metrics).toMatch(/platform_checks_runs_total\{conclusion="failure",trigger="pull_request.opened"\} 1/);
}, 120_000);

test("SIGTERM stops the server cleanly", async () => {
  expect(await server.stop()).toBe(0);
}, 30_000);
