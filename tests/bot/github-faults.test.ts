import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createApp, type PlatformChecksApp } from "../../src/bot/app.js";
import { botOctokit } from "../../src/github/api.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { pullRequestPayload, testPrivateKey } from "../support/bot-harness.js";
import { FakeGitHub, type FakePull, type RecordedRequest } from "../support/fake-github.js";
import { BOT_TEST_RULES, onlyLoopback, replaceIn } from "../support/scenario.js";

/**
 * Fault injection against the local GitHub stand-in, with the client the
 * server runs (octokit's retry and throttling plugins as `botOctokit`
 * configures them), shrunk in time: 5xx bursts, slow answers, dropped
 * connections and secondary rate limits with `retry-after`. Whatever GitHub
 * does, the check run ends completed, and a failure is titled with what
 * GitHub answered and that `/recheck` retries.
 */

const SERVICE_YAML = "services/billing-ledger/service.yaml";
const RETRY = "; comment /recheck to retry";

// The throttling plugin spaces writes one second apart per installation, as in production: allow for it.
vi.setConfig({ testTimeout: 60_000 });

let fake: FakeGitHub;
let app: PlatformChecksApp;
let probot: Probot;

onlyLoopback();
beforeEach(async () => {
  fake = await new FakeGitHub().start();
  fake.setBranch("main", fake.commit(exampleFiles()));
  probot = new Probot({
    appId: fake.appId,
    privateKey: testPrivateKey(),
    secret: "test-secret",
    baseUrl: fake.apiUrl,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    // The production client, on a test clock: 2 retries 5 ms apart, a 250 ms request timeout, a retry-after second of 20 ms.
    Octokit: botOctokit({ retries: 2, retryBaseMs: 5, requestTimeoutMs: 250, secondMs: 20, rateLimitRetries: 2, maxRetryAfterSeconds: 5 }),
  });
  app = createApp({ appId: fake.appId, rules: BOT_TEST_RULES });
  await probot.load(app);
});
afterEach(async () => {
  // Whatever GitHub did, nothing is left in progress.
  expect(fake.checkRuns.filter((r) => r.status !== "completed")).toEqual([]);
  expect(fake.unexpected()).toEqual([]);
  await fake.stop();
});

function push(number = 7): FakePull {
  const previous = fake.pulls.get(number);
  const parent = previous?.head.sha ?? fake.branches.get("main")!;
  const files = Object.fromEntries([...fake.filesOf(parent)].map(([path]) => [path, fake.readText(parent, path)!]));
  replaceIn(files, SERVICE_YAML, /team: \w+/, `team: t${fake.requests.length}`);
  return fake.setPull(number, { headSha: fake.commit(files, [parent]) });
}

async function open(pull: FakePull, action = "opened"): Promise<void> {
  await probot.receive({ id: randomUUID(), name: "pull_request", payload: pullRequestPayload(fake, action, pull) } as never);
  await app.onIdle();
}

const headTree = (pull: FakePull) => (r: RecordedRequest) => r.method === "GET" && r.path.endsWith(`/git/trees/${pull.head.sha}`);
const attempts = (match: (r: RecordedRequest) => boolean) => fake.requests.filter(match).length;

describe("5xx", () => {
  test("a burst shorter than the retries is absorbed: the run succeeds", async () => {
    const pull = push();
    fake.failWhen(headTree(pull), 502, 2);
    await open(pull);
    expect(fake.checkRunsFor(pull.head.sha)).toMatchObject([{ conclusion: "success" }]);
    expect(attempts(headTree(pull))).toBe(3);
  });

  test("GitHub failing for good ends the run failure, titled with its answer, and leaves the comment alone", async () => {
    const first = push();
    await open(first);
    const [comment] = fake.stickyComments(7);
    expect(comment).toBeDefined();

    const second = push();
    fake.failWhen(headTree(second), 503);
    await open(second, "synchronize");

    const [run] = fake.checkRunsFor(second.head.sha);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure", output: { title: `Could not finish: GitHub answered 503 Service Unavailable${RETRY}` } });
    expect(run!.output.summary).toContain("Nothing in the pull request caused this");
    expect(run!.output.summary).toMatch(/GET \/(api\/v3\/)?repos\/loop\/platform\/git\/trees\//);
    expect(run!.annotations).toEqual([]);
    expect(attempts(headTree(second))).toBe(3);
    // No rule crash reaches the comment: it still shows the last run that could finish.
    expect(fake.stickyComments(7)).toEqual([comment]);
  });

  test("a file read that failed is not remembered as the file's failure: the next run reads it again", async () => {
    const pull = push();
    const codeRead = (r: RecordedRequest) => r.path === "/graphql" || r.path.includes("/git/blobs/");
    fake.failWhen(codeRead, 502);
    await open(pull);
    const [failed] = fake.checkRunsFor(pull.head.sha);
    expect(failed).toMatchObject({ conclusion: "failure" });
    expect(failed!.output.title).toMatch(/^Could not finish: GitHub answered 502 Bad Gateway.*; comment \/recheck to retry$/);
    expect(failed!.output.title).not.toMatch(/internal error/);

    fake.clearFaults(); // GitHub is back
    await open(pull, "synchronize");
    expect(fake.checkRunsFor(pull.head.sha).map((r) => r.conclusion)).toEqual(["failure", "success"]);
  });
});

describe("slow answers and dropped connections", () => {
  test("one answer slower than the request timeout is retried", async () => {
    const pull = push();
    fake.slowWhen(headTree(pull), 1_000, 1);
    await open(pull);
    expect(fake.checkRunsFor(pull.head.sha)).toMatchObject([{ conclusion: "success" }]);
    expect(attempts(headTree(pull))).toBe(2);
  });

  test("GitHub that never answers in time ends the run failure, saying so", async () => {
    const pull = push();
    fake.slowWhen(headTree(pull), 1_000);
    await open(pull);
    expect(fake.checkRunsFor(pull.head.sha)).toMatchObject([
      { status: "completed", conclusion: "failure", output: { title: `Could not finish: GitHub did not answer within 250 ms${RETRY}` } },
    ]);
  });

  test("a dropped connection is retried; connections that keep dropping end the run failure", async () => {
    const ok = push(7);
    fake.dropWhen(headTree(ok), 1);
    await open(ok);
    expect(fake.checkRunsFor(ok.head.sha)).toMatchObject([{ conclusion: "success" }]);

    const bad = push(8);
    fake.dropWhen(headTree(bad));
    await probot.receive({ id: randomUUID(), name: "pull_request", payload: pullRequestPayload(fake, "opened", bad) } as never);
    await app.onIdle();
    const [run] = fake.checkRunsFor(bad.head.sha);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.title).toMatch(new RegExp(`^Could not finish: the connection to GitHub failed \\(.+\\)${RETRY.replace("/", "\\/")}$`));
  });
});

describe("secondary rate limits", () => {
  test("a 403 with retry-after is waited out and retried", async () => {
    const pull = push();
    fake.rateLimitWhen(headTree(pull), 1, 1);
    const started = Date.now();
    await open(pull);
    expect(fake.checkRunsFor(pull.head.sha)).toMatchObject([{ conclusion: "success" }]);
    expect(attempts(headTree(pull))).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20); // one retry-after second on the test clock
  });

  test.each([403, 429] as const)("a %i rate limit that does not lift ends the run failure naming it", async (status) => {
    const pull = push();
    fake.rateLimitWhen(headTree(pull), 1, Infinity, status);
    await open(pull);
    expect(fake.checkRunsFor(pull.head.sha)).toMatchObject([
      { status: "completed", conclusion: "failure", output: { title: `Could not finish: GitHub's secondary rate limit (${status}, retry after 1 s)${RETRY}` } },
    ]);
    expect(attempts(headTree(pull))).toBe(3);
  });

  test("a retry-after longer than the bot waits is not waited for", async () => {
    const pull = push();
    fake.rateLimitWhen(headTree(pull), 3600);
    await open(pull);
    expect(fake.checkRunsFor(pull.head.sha)[0]!.output.title).toBe(`Could not finish: GitHub's secondary rate limit (403, retry after 3600 s)${RETRY}`);
    expect(attempts(headTree(pull))).toBe(1);
  });
});

describe("the writes themselves", () => {
  test("a 5xx burst on completing the check run is retried, so it still ends completed with the result", async () => {
    const pull = push();
    fake.failWhen((r) => r.method === "PATCH" && r.path.includes("/check-runs/"), 500, 2);
    await open(pull);
    expect(fake.checkRunsFor(pull.head.sha)).toMatchObject([{ status: "completed", conclusion: "success" }]);
  });
});
