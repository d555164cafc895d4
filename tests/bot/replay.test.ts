import { expect, test } from "vitest";
import { readCommentState } from "../../src/report/comment.js";
import { issueCommentPayload, pullRequestPayload } from "../support/bot-harness.js";
import { BOT_LOGIN } from "../support/fake-github.js";
import { replaceIn, type Scenario, useScenario } from "../support/scenario.js";

const SERVICE_YAML = "services/billing-ledger/service.yaml";
const CONFIG = ".github/platform-checks.yml";
const MANUAL = ["healthz-dev", "smoke-test", "alarms-routed", "event-round-trip", "on-call"];
const repo = "/repos/loop/platform";

let s: Scenario;
useScenario((next) => (s = next));

function tick(body: string, ids: readonly string[], mark = "x"): string {
  return body
    .split("\n")
    .map((line) => (ids.some((id) => line.includes(`pc-item:billing-ledger:${id} `)) ? line.replace(/^- \[[ xX]\]/, `- [${mark}]`) : line))
    .join("\n");
}

/** A person edits the sticky comment: GitHub stores the body, then sends issue_comment.edited. */
function edited(commentId: number, before: string, after: string) {
  s.fake.editComment(commentId, after);
  const payload = issueCommentPayload(s.fake, "edited", {
    number: 7,
    commentId,
    body: after,
    previousBody: before,
    user: { login: BOT_LOGIN, type: "Bot" },
    performedViaAppId: s.fake.appId,
  });
  payload["sender"] = { ...payload["sender"], login: "dev", type: "User" };
  return payload;
}

/** Puts `config` on main, the base branch the configuration is read from. */
function setBaseConfig(config: string) {
  const main = s.fake.branches.get("main")!;
  const files = Object.fromEntries([...s.fake.filesOf(main)].map(([path]) => [path, s.fake.readText(main, path)!]));
  s.fake.setBranch("main", s.fake.commit({ ...files, [CONFIG]: config }, [main]));
}

test("an old body pasted back after the base's config turned a warning into an error gets a full run, not green", async () => {
  // On main, schema problems are warnings; the pull request promotes billing-ledger with an owner that is no handle.
  setBaseConfig("rules:\n  service-yaml-schema: warning\n");
  const pull = s.push(7, (f) => {
    replaceIn(f, SERVICE_YAML, "status: beta", "status: stable");
    replaceIn(f, SERVICE_YAML, 'owner: "@loop/billing-team"', "owner: billing-team");
  });
  await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));
  const [comment] = s.fake.stickyComments(7);
  const firstBody = comment!.body;
  // Only the manual boxes stand between this head and green.
  expect(s.fake.checkRunsFor(pull.head.sha).map((r) => [r.conclusion, r.output.title])).toEqual([["failure", "1 error, 1 warning in billing-ledger"]]);

  // The platform team makes schema problems errors again.
  setBaseConfig("rules: {}\n");
  // Someone pastes the first body back from the comment's edit history, with every manual box ticked.
  const replayed = tick(firstBody, MANUAL);
  expect(readCommentState(replayed)?.headSha).toBe(pull.head.sha);
  s.fake.reset();
  await s.bot.deliver("issue_comment", edited(comment!.id, firstBody, replayed));

  // The signed report was for another configuration: the code is read again, and the run fails on the error.
  expect(s.fake.codeReads().length).toBeGreaterThan(0);
  const runs = s.fake.checkRunsFor(pull.head.sha);
  expect(runs.map((r) => r.conclusion)).toEqual(["failure", "failure"]);
  expect(runs[1]!.annotations.map((a) => [a.title, a.annotation_level])).toContainEqual(["service-yaml-schema", "failure"]);
  // The ticks a person set are still kept by the full run.
  const body = s.fake.stickyComments(7)[0]!.body;
  for (const id of MANUAL) expect(body).toMatch(new RegExp(`- \\[x\\] .*pc-item:billing-ledger:${id} `));
});

test("a tick made while a run is rewriting the comment is not lost", async () => {
  const pull = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "status: beta", "status: stable"));
  await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));
  const [comment] = s.fake.stickyComments(7);
  const allButOne = tick(comment!.body, MANUAL.slice(0, 4));
  await s.bot.deliver("issue_comment", edited(comment!.id, comment!.body, allButOne));
  const beforeRecheck = s.fake.stickyComments(7)[0]!.body;

  // The run of a new push is about to write the comment it rendered from the four ticks…
  const pushed = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: ledger"));
  const held = s.fake.hold((r) => r.method === "PATCH" && r.path === `${repo}/issues/comments/${comment!.id}`);
  await s.bot.receive("pull_request", pullRequestPayload(s.fake, "synchronize", pushed));
  await held.reached;
  // …when a person ticks the last box; GitHub stores it and sends the webhook.
  const lastTick = tick(beforeRecheck, ["on-call"]);
  await s.bot.receive("issue_comment", edited(comment!.id, beforeRecheck, lastTick));
  held.release();
  await s.bot.app.onIdle();

  // The run's write overwrote the tick, but the tick job applied the person's edit again.
  const body = s.fake.stickyComments(7)[0]!.body;
  for (const id of MANUAL) expect(body).toMatch(new RegExp(`- \\[x\\] .*pc-item:billing-ledger:${id} `));
  const runs = s.fake.checkRunsFor(pushed.head.sha);
  expect(runs.map((r) => r.conclusion)).toEqual(["failure", "success"]);
  expect(readCommentState(body)?.report.conclusion).toBe("success");
});
