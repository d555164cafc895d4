import { expect, test } from "vitest";
import { readCommentState } from "../../src/report/comment.js";
import { pullRequestPayload } from "../support/bot-harness.js";
import { replaceIn, type Scenario, useScenario } from "../support/scenario.js";

const SERVICE_YAML = "services/billing-ledger/service.yaml";
const repo = "/repos/loop/platform";

let s: Scenario;
useScenario((next) => (s = next));

const broken = (f: Record<string, string>) => replaceIn(f, SERVICE_YAML, "status: beta", "status: gamma");
const fixed = (f: Record<string, string>) => {
  f[SERVICE_YAML] = f[SERVICE_YAML]!.replace(/status: \w+/, "status: beta").replace(/team: \w+/, "team: ledger");
};

test("a newer push cancels the running check of the older head, and only the newer result reaches the comment", async () => {
  const first = s.push(7, broken);
  const held = s.fake.hold((r) => r.path === `${repo}/git/trees/${first.head.sha}`);
  await s.bot.receive("pull_request", pullRequestPayload(s.fake, "opened", first));
  await held.reached;

  const second = s.push(7, fixed);
  await s.bot.receive("pull_request", pullRequestPayload(s.fake, "synchronize", second));
  held.release();
  await s.bot.app.onIdle();

  const [older] = s.fake.checkRunsFor(first.head.sha);
  expect(older).toMatchObject({ status: "completed", conclusion: "cancelled", output: { title: `Superseded by a newer push (${second.head.sha.slice(0, 7)})` } });
  expect(s.fake.checkRunsFor(second.head.sha)[0]).toMatchObject({ status: "completed", conclusion: "success" });
  // The older run wrote nothing to the pull request.
  expect(s.fake.calls((r) => r.path.includes("/comments") && r.method !== "GET")).toEqual([`POST ${repo}/issues/7/comments`]);
  expect(readCommentState(s.fake.stickyComments(7)[0]!.body)?.headSha).toBe(second.head.sha);
});

test("a check queued behind a running one is dropped when a newer head arrives: it never shows a check run", async () => {
  const first = s.push(7, broken);
  const held = s.fake.hold((r) => r.path === `${repo}/git/trees/${first.head.sha}`);
  await s.bot.receive("pull_request", pullRequestPayload(s.fake, "opened", first));
  await held.reached;

  // Same head again (/recheck-like): queued behind the running one, not a second run in parallel.
  await s.bot.receive("pull_request", pullRequestPayload(s.fake, "reopened", first));
  expect(s.bot.app.queue.depth()).toBe(2);
  const middle = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: middle"));
  await s.bot.receive("pull_request", pullRequestPayload(s.fake, "synchronize", middle));
  const last = s.push(7, fixed);
  await s.bot.receive("pull_request", pullRequestPayload(s.fake, "synchronize", last));
  expect(s.bot.app.queue.depth()).toBe(2); // the running (aborted) one and the newest
  held.release();
  await s.bot.app.onIdle();

  expect(s.fake.checkRunsFor(first.head.sha).map((r) => r.conclusion)).toEqual(["cancelled"]);
  expect(s.fake.checkRunsFor(middle.head.sha)).toEqual([]);
  expect(s.fake.checkRunsFor(last.head.sha).map((r) => r.conclusion)).toEqual(["success"]);
  expect(s.fake.stickyComments(7)).toHaveLength(1);
});

test("a run that finds the pull request moved on (before its webhook arrived) completes as superseded and leaves the comment alone", async () => {
  const first = s.push(7, broken);
  // The run's freshness check: the pull request's head and comments, in one GraphQL query.
  const held = s.fake.hold((r) => r.path === "/graphql" && String(r.body?.query).includes("query PullState"));
  await s.bot.receive("pull_request", pullRequestPayload(s.fake, "opened", first));
  await held.reached;
  const second = s.push(7, fixed); // pushed, but its webhook is late
  held.release();
  await s.bot.app.onIdle();

  expect(s.fake.checkRunsFor(first.head.sha)[0]).toMatchObject({ status: "completed", conclusion: "cancelled" });
  expect(s.fake.comments).toEqual([]);

  await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "synchronize", second));
  expect(s.fake.checkRunsFor(second.head.sha)[0]).toMatchObject({ conclusion: "success" });
  expect(s.fake.stickyComments(7)).toHaveLength(1);
});

test("pull requests do not wait for each other", async () => {
  const a = s.push(7, broken);
  const held = s.fake.hold((r) => r.path === `${repo}/git/trees/${a.head.sha}`);
  await s.bot.receive("pull_request", pullRequestPayload(s.fake, "opened", a));
  await held.reached;

  const b = s.push(8, fixed);
  await s.bot.receive("pull_request", pullRequestPayload(s.fake, "opened", b));
  await vitestWaitFor(() => s.fake.checkRunsFor(b.head.sha)[0]?.status === "completed");
  expect(s.fake.checkRunsFor(a.head.sha)[0]!.status).toBe("in_progress");
  held.release();
  await s.bot.app.onIdle();
  expect(s.fake.checkRunsFor(a.head.sha)[0]!.status).toBe("completed");
});

async function vitestWaitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
