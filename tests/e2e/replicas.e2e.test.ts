/**
 * Durable work across replicas (issue 9), end to end: two real server
 * processes (`node dist/server/main.js`) share one real redis-server and the
 * local GitHub stand-in; and the in-process back end restarted after `kill -9`.
 * Heavy on a small machine: few tests, generous timeouts.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readCommentState } from "../../src/report/comment.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { issueCommentPayload, pullRequestPayload } from "../support/bot-harness.js";
import { FakeGitHub, type FakePull } from "../support/fake-github.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { buildServer, startServer, waitFor, type ServerProcess } from "./server-process.js";

const SERVICE_YAML = "services/billing-ledger/service.yaml";
const repoPath = "/repos/loop/platform";

let fake: FakeGitHub;
let redis: TestRedis;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  await buildServer();
  redis = await startRedis();
  fake = await new FakeGitHub({ appId: 31337 }).start();
  fake.setBranch("main", fake.commit(exampleFiles()));
}, 240_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await fake?.stop();
  await redis?.stop();
}, 60_000);

function filesAt(sha: string): Record<string, string> {
  return Object.fromEntries([...fake.filesOf(sha).keys()].map((p) => [p, fake.readText(sha, p)!]));
}

/** A new commit on pull request `number`, with the team name in service.yaml changed to `team`. */
function push(number: number, team: string): FakePull {
  const parent = fake.pulls.get(number)?.head.sha ?? fake.branches.get("main")!;
  const files = filesAt(parent);
  files[SERVICE_YAML] = files[SERVICE_YAML]!.replace(/team: [\w-]+/, `team: ${team}`);
  return fake.setPull(number, { headSha: fake.commit(files, [parent]) });
}

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServer(fake, env);
  servers.push(server);
  return server;
}

const tails = () => servers.map((s) => s.tail()).join("\n");

/** Nothing waiting or running in the queue any replica sees. */
async function idle(server: ServerProcess): Promise<boolean> {
  const health = await server.json("/healthz");
  return health.queueDepth === 0;
}

describe("BullMQ on Redis, two replicas", () => {
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    const env = {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `e2e-${randomUUID()}`,
      CHECK_CONCURRENCY: "1",
      // A dead replica's job is taken over after this long (the default is 30 s).
      QUEUE_LOCK_SECONDS: "10",
    };
    [a, b] = await Promise.all([start(env), start(env)]);
    await waitFor("both replicas to be ready", async () => (await a.json("/readyz")).ready && (await b.json("/readyz")).ready, 30_000, tails);
  }, 120_000);

  test("a burst of pushes to one pull request, alternating replicas, ends with one result for the newest head and one comment", async () => {
    const heads: FakePull[] = [];
    for (let i = 0; i < 5; i++) {
      const pull = push(21, `burst-${i}`);
      heads.push(pull);
      const answered = await (i % 2 === 0 ? a : b).send("pull_request", pullRequestPayload(fake, i === 0 ? "opened" : "synchronize", pull));
      expect(answered.status).toBe(200);
    }
    const newest = heads.at(-1)!.head.sha;
    await waitFor("the newest head's run and comment", () => fake.checkRunsFor(newest).some((r) => r.status === "completed") && readCommentState(fake.stickyComments(21)[0]?.body)?.headSha === newest, 120_000, tails);
    await waitFor("both replicas to go idle", async () => (await idle(a)) && (await idle(b)), 60_000, tails);

    const newestRuns = fake.checkRunsFor(newest);
    expect(newestRuns).toHaveLength(1);
    expect(newestRuns[0]!.status).toBe("completed");
    expect(newestRuns[0]!.output.title).not.toMatch(/Could not finish|Superseded/);
    for (const older of heads.slice(0, -1)) {
      for (const run of fake.checkRunsFor(older.head.sha)) expect(run).toMatchObject({ status: "completed", conclusion: "cancelled" });
    }
    expect(fake.stickyComments(21)).toHaveLength(1);
    expect(fake.calls((r) => r.method === "POST" && r.path === `${repoPath}/issues/21/comments`)).toHaveLength(1);
    expect(fake.checkRuns.filter((r) => r.status !== "completed")).toEqual([]);
  }, 240_000);

  test("the same delivery sent to both replicas runs once", async () => {
    const pull = push(22, "once");
    const delivery = randomUUID();
    const payload = pullRequestPayload(fake, "opened", pull);
    const answers = await Promise.all([a.send("pull_request", payload, { delivery }), b.send("pull_request", payload, { delivery })]);
    expect(answers.map((x) => x.status)).toEqual([200, 200]);
    await waitFor("the run", () => fake.checkRunsFor(pull.head.sha).some((r) => r.status === "completed"), 120_000, tails);
    await waitFor("both replicas to go idle", async () => (await idle(a)) && (await idle(b)), 60_000, tails);
    expect(fake.checkRunsFor(pull.head.sha)).toHaveLength(1);
    const duplicates = await Promise.all([a, b].map(async (s) => /platform_checks_duplicate_deliveries_total (\d+)/.exec(await s.text("/metrics"))?.[1]));
    expect(duplicates.map(Number).reduce((x, y) => x + y, 0)).toBe(1);
  }, 240_000);

  test("/recheck is answered once its check is stored, and the other replica may run it", async () => {
    const pull = fake.pulls.get(22)!;
    const before = fake.checkRunsFor(pull.head.sha).length;
    fake.permissions.set("octocat", { permission: "write", role_name: "write" });
    const comment = issueCommentPayload(fake, "created", { number: 22, commentId: 4242, body: "/recheck", user: { login: "octocat", type: "User" } });
    expect((await b.send("issue_comment", comment)).status).toBe(200);
    // Answered after the permission check, the reaction and the lookup: the job is in Redis already.
    expect(fake.reactions).toContainEqual({ commentId: 4242, content: "+1" });
    await waitFor("the re-run", () => fake.checkRunsFor(pull.head.sha).filter((r) => r.status === "completed").length > before, 120_000, tails);
    await waitFor("both replicas to go idle", async () => (await idle(a)) && (await idle(b)), 60_000, tails);
    expect(fake.checkRunsFor(pull.head.sha)).toHaveLength(before + 1);
  }, 240_000);

  test("kill -9 of the replica running a job: the other replica completes it, and no run stays in progress", async () => {
    const pull = push(23, "kill");
    const held = fake.hold((r) => r.method === "GET" && r.path.includes(pull.head.sha));
    expect((await a.send("pull_request", pullRequestPayload(fake, "opened", pull))).status).toBe(200);
    await held.reached;
    const running = await waitFor("a replica to report the running job", async () => {
      for (const server of [a, b]) if ((await server.json("/healthz")).running > 0) return server;
      return undefined;
    }, 30_000, tails);
    const survivor = running === a ? b : a;
    await running.kill9();
    held.release();

    const interrupted = (r: { output: { title?: string } }) => /interrupted.*\/recheck/.test(r.output.title ?? "");
    await waitFor("a completed run for the head from the surviving replica", () => fake.checkRunsFor(pull.head.sha).find((r) => r.status === "completed" && !interrupted(r)), 120_000, tails);
    await waitFor("no run left in progress", () => fake.checkRunsFor(pull.head.sha).every((r) => r.status === "completed"), 30_000, tails);
    // The dead replica's run is completed as interrupted, then the head is checked again, once.
    const runs = fake.checkRunsFor(pull.head.sha);
    expect(runs).toHaveLength(2);
    expect(runs.filter(interrupted)).toEqual([expect.objectContaining({ status: "completed", conclusion: "failure" })]);
    expect(runs.find((r) => !interrupted(r))!.output.title).not.toMatch(/Could not finish/);
    expect(await survivor.text("/metrics")).toMatch(/platform_checks_stalled_jobs_total [1-9]/);
    await waitFor("the comment for the head", () => readCommentState(fake.stickyComments(23)[0]?.body)?.headSha === pull.head.sha, 30_000, tails);
    expect(fake.stickyComments(23)).toHaveLength(1);
  }, 240_000);
});

describe("in-process queue", () => {
  test("a restart after kill -9 leaves no check run in progress", async () => {
    const first = await start({ SWEEP_INTERVAL_SECONDS: "300" });
    const pull = push(31, "billing");
    const held = fake.hold((r) => r.method === "GET" && r.path.includes(pull.head.sha));
    expect((await first.send("pull_request", pullRequestPayload(fake, "opened", pull))).status).toBe(200);
    await held.reached;
    expect(fake.checkRunsFor(pull.head.sha).map((r) => r.status)).toEqual(["in_progress"]);
    await first.kill9();
    held.release();

    const second = await start({ SWEEP_INTERVAL_SECONDS: "300" });
    await waitFor("the sweep on start to complete the interrupted run", () => fake.checkRunsFor(pull.head.sha).every((r) => r.status === "completed"), 60_000, tails);
    expect(fake.checkRunsFor(pull.head.sha)[0]).toMatchObject({ conclusion: "failure" });
    expect(fake.checkRunsFor(pull.head.sha)[0]!.output.title).toMatch(/interrupted.*\/recheck/);
    // Counted once GitHub has answered the update: wait for it rather than race the server.
    await waitFor("the interrupted run to be counted", async () => /platform_checks_interrupted_runs_total 1\n/.test(await second.text("/metrics")), 10_000, tails);
    expect(await second.stop()).toBe(0);
  }, 180_000);
});
