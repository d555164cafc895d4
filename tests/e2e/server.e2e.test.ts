/**
 * End to end: builds the project, starts the real server process (what
 * `npm start` runs: `node dist/server/main.js`) configured only through the
 * environment, points it at the fake GitHub through GHE_HOST/GHE_PROTOCOL, and
 * sends it signed webhooks over HTTP.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEFAULT_CONFIG } from "../../src/engine/config.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { runChecks } from "../../src/engine/run.js";
import { readCommentState } from "../../src/report/comment.js";
import { RULES } from "../../src/rules/index.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { pullRequestPayload, testPrivateKey } from "../support/bot-harness.js";
import { FakeGitHub, type FakePull } from "../support/fake-github.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SECRET = "e2e-webhook-secret";
const SERVICE_YAML = "services/billing-ledger/service.yaml";

let fake: FakeGitHub;
let child: ChildProcess | undefined;
let baseUrl = "";
const output: string[] = [];

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

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}\n--- server output ---\n${output.slice(-40).join("")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function sendWebhook(event: string, payload: unknown, secret = SECRET): Promise<{ status: number; ms: number }> {
  const body = JSON.stringify(payload);
  const started = Date.now();
  const response = await fetch(`${baseUrl}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
    body,
  });
  await response.text();
  return { status: response.status, ms: Date.now() - started };
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
  // Build once, as `npm start` does (its prestart). Type errors elsewhere are the typecheck's
  // business (npm test runs it first); tsc still emits, and the server must start from dist.
  try {
    execFileSync(process.execPath, [fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url)), "-p", "tsconfig.build.json"], {
      cwd: ROOT,
      stdio: "pipe",
    });
  } catch (error) {
    if (!existsSync(`${ROOT}/dist/server/main.js`)) throw error;
  }

  fake = await new FakeGitHub({ appId: 31337 }).start();
  fake.setBranch("main", fake.commit(exampleFiles()));

  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ["dist/server/main.js"], {
    cwd: ROOT,
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
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  await waitFor("the server to answer /healthz", async () => {
    if (child!.exitCode !== null) throw new Error(`server exited with ${child!.exitCode}\n${output.join("")}`);
    try {
      return (await fetch(`${baseUrl}/healthz`)).ok || undefined;
    } catch {
      return undefined;
    }
  });
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child!.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
  await fake?.stop();
});

test("health and metrics are served, logs are pino JSON, and a badly signed webhook is refused", async () => {
  const health = await fetch(`${baseUrl}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: "ok" });
  const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
  expect(metrics).toContain("platform_checks_queue_depth");
  expect(metrics).toContain("platform_checks_github_api_errors_total");

  const refused = await sendWebhook("pull_request", { action: "opened" }, "wrong-secret");
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expect(fake.requests).toEqual([]);

  const firstLine = output.join("").split("\n").find((l) => l.trim().startsWith("{"));
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
  const exited = new Promise<number | null>((r) => child!.once("exit", (code) => r(code)));
  child!.kill("SIGTERM");
  expect(await exited).toBe(0);
}, 30_000);
