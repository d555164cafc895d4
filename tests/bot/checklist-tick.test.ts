import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createApp } from "../../src/bot/app.js";
import { stateBinding } from "../../src/bot/check-job.js";
import { CommentSigner } from "../../src/bot/comment-signature.js";
import { DEFAULT_CONFIG } from "../../src/engine/config.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { runChecks } from "../../src/engine/run.js";
import { readCommentState, renderComment } from "../../src/report/comment.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { INSTALLATION_ID, issueCommentPayload, pullRequestPayload, testPrivateKey } from "../support/bot-harness.js";
import { BOT_LOGIN, FakeGitHub } from "../support/fake-github.js";
import { BOT_TEST_RULES, replaceIn, type Scenario, useScenario } from "../support/scenario.js";

const SERVICE_YAML = "services/billing-ledger/service.yaml";
const repo = "/repos/loop/platform";
const MANUAL = ["healthz-dev", "smoke-test", "alarms-routed", "event-round-trip", "on-call"];

/** Ticks the manual boxes with these ids, as a person would in GitHub's editor. */
function tick(body: string, ids: readonly string[], mark = "x"): string {
  return body
    .split("\n")
    .map((line) => (ids.some((id) => line.includes(`pc-item:billing-ledger:${id} `)) ? line.replace(/^- \[[ xX]\]/, `- [${mark}]`) : line))
    .join("\n");
}

const promote = (f: Record<string, string>) => replaceIn(f, SERVICE_YAML, "status: beta", "status: stable");

describe("ticking boxes in the sticky comment (fake GitHub)", () => {
  let s: Scenario;
  useScenario((next) => (s = next));

  /** Opens a pull request promoting billing-ledger to stable; returns it and the bot's comment. */
  async function openPromotion() {
    const pull = s.push(7, promote);
    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));
    const [comment] = s.fake.stickyComments(7);
    return { pull, comment: comment! };
  }

  /** A person edits the comment: GitHub stores it, then sends issue_comment.edited. */
  async function personEdits(commentId: number, body: string, options: { sender?: { login: string; type: string }; author?: { login: string; type: string } } = {}) {
    const before = s.fake.comments.find((c) => c.id === commentId)!.body;
    s.fake.editComment(commentId, body);
    s.fake.reset();
    const payload = issueCommentPayload(s.fake, "edited", {
      number: 7,
      commentId,
      body,
      previousBody: before,
      user: options.author ?? { login: BOT_LOGIN, type: "Bot" },
      performedViaAppId: s.fake.appId,
    });
    payload["sender"] = { ...payload["sender"], ...(options.sender ?? { login: "dev", type: "User" }) };
    await s.bot.deliver("issue_comment", payload);
  }

  test("ticking the last manual box of a promoted service turns the check green without a push or any code read", async () => {
    const { pull, comment } = await openPromotion();
    const [first] = s.fake.checkRunsFor(pull.head.sha);
    expect(first).toMatchObject({ conclusion: "failure", output: { title: "1 error in billing-ledger" } });
    expect(first!.annotations).toEqual([expect.objectContaining({ title: "production-readiness-checklist", path: SERVICE_YAML, start_line: 5 })]);

    await personEdits(comment.id, tick(comment.body, MANUAL));

    expect(s.fake.codeReads()).toEqual([]);
    // (The installation token is cached from the first run.)
    expect(s.fake.calls()).toEqual([
      `GET ${repo}/issues/comments/${comment.id}`,
      `GET ${repo}/pulls/7`,
      `GET ${repo}/contents/.github%2Fplatform-checks.yml`,
      "GET /repos/loop/.github/contents/.github%2Fplatform-checks.yml",
      `POST ${repo}/check-runs`,
      expect.stringMatching(`^PATCH ${repo}/check-runs/\\d+$`),
      `PATCH ${repo}/issues/comments/${comment.id}`,
    ]);
    const runs = s.fake.checkRunsFor(pull.head.sha);
    expect(runs).toHaveLength(2);
    expect(runs[1]).toMatchObject({ name: "Loop Platform / pre-merge", status: "completed", conclusion: "success" });
    expect(runs[1]!.annotations).toEqual([]);
    const updated = s.fake.stickyComments(7)[0]!.body;
    for (const id of MANUAL) expect(updated).toMatch(new RegExp(`- \\[x\\] .*pc-item:billing-ledger:${id} `));
    expect(readCommentState(updated)?.report.conclusion).toBe("success");
  });

  test("ticking some boxes keeps it red and names what is left; unticking turns it red again", async () => {
    const { pull, comment } = await openPromotion();
    await personEdits(comment.id, tick(comment.body, MANUAL.slice(0, 4)));
    const runs = s.fake.checkRunsFor(pull.head.sha);
    expect(runs.map((r) => r.conclusion)).toEqual(["failure", "failure"]);
    expect(runs[1]!.annotations[0].message).toContain('"on-call rotation has the runbook" (manual)');
    expect(runs[1]!.annotations[0].message).toContain("1 checklist item(s)");

    const all = tick(s.fake.stickyComments(7)[0]!.body, MANUAL);
    await personEdits(comment.id, all);
    await personEdits(comment.id, tick(all, ["smoke-test"], " "));
    expect(s.fake.checkRunsFor(pull.head.sha).map((r) => r.conclusion)).toEqual(["failure", "failure", "success", "failure"]);
  });

  test("ticks survive the bot rewriting the comment after a push", async () => {
    const { comment } = await openPromotion();
    await personEdits(comment.id, tick(comment.body, MANUAL));
    const pushed = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: ledger"));
    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "synchronize", pushed));

    expect(s.fake.checkRunsFor(pushed.head.sha)).toMatchObject([{ status: "completed", conclusion: "success" }]);
    const body = s.fake.stickyComments(7)[0]!.body;
    for (const id of MANUAL) expect(body).toMatch(new RegExp(`- \\[x\\] .*pc-item:billing-ledger:${id} `));
    expect(readCommentState(body)?.headSha).toBe(pushed.head.sha);
  });

  test("a tick on a service that is not promoted updates the comment but not the check run", async () => {
    const pull = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: ledger"));
    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));
    const [comment] = s.fake.stickyComments(7);
    await personEdits(comment!.id, tick(comment!.body, ["on-call"]));
    expect(s.fake.checkRunsFor(pull.head.sha)).toHaveLength(1);
    expect(s.fake.calls((r) => r.method !== "GET")).toEqual([`PATCH ${repo}/issues/comments/${comment!.id}`]);
  });

  test("edits by bots, edits of other comments, comments only quoting the marker, and edits that tick nothing are ignored", async () => {
    const { comment } = await openPromotion();
    const ticked = tick(comment.body, MANUAL);

    await personEdits(comment.id, ticked, { sender: { login: "some-bot[bot]", type: "Bot" } });
    expect(s.fake.requests).toEqual([]);

    const human = s.fake.addComment(7, "LGTM");
    s.fake.editComment(human.id, "LGTM!");
    const other = issueCommentPayload(s.fake, "edited", { number: 7, commentId: human.id, body: "LGTM!", previousBody: "LGTM", user: { login: "dev", type: "User" } });
    await s.bot.deliver("issue_comment", other);
    expect(s.fake.requests).toEqual([]);

    const quoting = s.fake.addComment(7, "> quoted", { login: "dev", type: "User" });
    await personEdits(quoting.id, ticked, { author: { login: "dev", type: "User" } });
    expect(s.fake.requests).toEqual([]);

    s.fake.editComment(comment.id, comment.body);
    await personEdits(comment.id, comment.body.replace("Production-readiness", "Production readiness"));
    expect(s.fake.requests).toEqual([]);
  });

  test("a comment without an embedded report (too large to carry one) gets a full re-run that keeps the ticks", async () => {
    const { pull, comment } = await openPromotion();
    const withoutState = tick(comment.body, MANUAL).replace(/<!-- platform-checks:state [^>]* -->/, "");
    expect(withoutState).not.toBe(tick(comment.body, MANUAL));
    await personEdits(comment.id, withoutState);
    expect(s.fake.codeReads().length).toBeGreaterThan(0);
    expect(s.fake.checkRunsFor(pull.head.sha).map((r) => r.conclusion)).toEqual(["failure", "success"]);
    expect(readCommentState(s.fake.stickyComments(7)[0]!.body)?.report.conclusion).toBe("success");
  });

  test("a report edited by hand in the comment is not trusted: the tick costs a full re-run from the code", async () => {
    const { pull, comment } = await openPromotion();
    const state = readCommentState(comment.body)!;
    // Someone rewrites the embedded report so that nothing gates the merge, keeping the bot's signature line.
    const forged = { ...state.report, checklists: state.report.checklists.map((c) => ({ ...c, gated: false })) };
    const signature = /<!-- platform-checks:signature [0-9a-f]+ -->/.exec(comment.body)![0];
    const body = `${tick(renderComment(forged, { headSha: state.headSha })!, ["on-call"])}${signature}\n`;
    expect(readCommentState(body)?.report.checklists[0]!.gated).toBe(false);
    await personEdits(comment.id, body);

    expect(s.fake.codeReads().length).toBeGreaterThan(0);
    expect(s.fake.checkRunsFor(pull.head.sha).map((r) => r.conclusion)).toEqual(["failure", "failure"]);
    expect(s.fake.checkRunsFor(pull.head.sha)[1]!.annotations[0].message).toContain("4 checklist item(s)");
  });

  test("ticks on the comment of an older head are left to the run of the newer head", async () => {
    const { comment } = await openPromotion();
    s.push(7, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: ledger")); // pushed; its run has not written yet
    await personEdits(comment.id, tick(comment.body, MANUAL));
    expect(s.fake.calls()).toEqual([`GET ${repo}/issues/comments/${comment.id}`, `GET ${repo}/pulls/7`]);
  });
});

describe("ticking boxes, with nock: no code is fetched", () => {
  const api = "https://api.github.com";
  const fake = new FakeGitHub(); // payload helpers only

  beforeAll(() => nock.disableNetConnect());
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  test("exactly: comment, pull request, config, new check run, comment update — and never a tree or a blob", async () => {
    // The comment as the bot wrote it after checking a promotion.
    const base = exampleFiles();
    const head = { ...base };
    promote(head);
    const headSha = "a".repeat(40);
    const report = await runChecks({ snapshot: new MemorySnapshot({ files: head, base }), config: DEFAULT_CONFIG, rules: BOT_TEST_RULES });
    expect(report.conclusion).toBe("failure");
    const { headSha: _, ...binding } = stateBinding({ owner: "loop", repo: "platform", pullNumber: 7, headSha, baseSha: "b".repeat(40) }, DEFAULT_CONFIG, { rules: BOT_TEST_RULES });
    const written = new CommentSigner("state-secret").sign(renderComment(report, { headSha, binding, config: DEFAULT_CONFIG })!);
    const ticked = tick(written, MANUAL);

    const unmatched: string[] = [];
    nock.emitter.on("no match", (req: { method?: string; path?: string; href?: string }) => unmatched.push(`${req.method} ${req.path ?? req.href}`));
    const bodies: Record<string, any> = {};
    const scope = nock(api)
      .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
      .reply(201, { token: "ghs_test", expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {} })
      .get("/repos/loop/platform/issues/comments/900")
      .reply(200, { id: 900, body: ticked, user: { login: BOT_LOGIN, type: "Bot" }, performed_via_github_app: { id: fake.appId } })
      .get("/repos/loop/platform/pulls/7")
      .reply(200, { number: 7, state: "open", head: { sha: headSha, ref: "promote" }, base: { sha: "b".repeat(40), ref: "main" } })
      .get("/repos/loop/platform/contents/.github%2Fplatform-checks.yml")
      .query({ ref: "main" })
      .reply(404, { message: "Not Found" })
      .get("/repos/loop/.github/contents/.github%2Fplatform-checks.yml")
      .reply(404, { message: "Not Found" })
      .post("/repos/loop/platform/check-runs", (b) => ((bodies["create"] = b), true))
      .reply(201, { id: 31 })
      .patch("/repos/loop/platform/check-runs/31", (b) => ((bodies["complete"] = b), true))
      .reply(200, { id: 31 })
      .patch("/repos/loop/platform/issues/comments/900", (b) => ((bodies["comment"] = b), true))
      .reply(200, { id: 900 });

    const probot = new Probot({
      appId: fake.appId,
      privateKey: testPrivateKey(),
      log: pino({ level: "silent" }),
      Octokit: ProbotOctokit.defaults((o: Record<string, any>) => ({ ...o, retry: { enabled: false }, throttle: { ...o["throttle"], enabled: false } })),
    });
    const app = createApp({ appId: fake.appId, rules: BOT_TEST_RULES, stateSecret: "state-secret" });
    await probot.load(app);
    const payload = issueCommentPayload(fake, "edited", {
      number: 7,
      commentId: 900,
      body: ticked,
      previousBody: written,
      user: { login: BOT_LOGIN, type: "Bot" },
      performedViaAppId: fake.appId,
    });
    payload["sender"] = { ...payload["sender"], login: "dev", type: "User" };
    await probot.receive({ id: "2", name: "issue_comment", payload } as never);
    await app.onIdle();

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(bodies["create"]).toMatchObject({ name: "Loop Platform / pre-merge", head_sha: headSha, status: "in_progress" });
    expect(bodies["complete"]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(readCommentState(bodies["comment"].body)?.report.conclusion).toBe("success");
  });
});

describe("a tick whose check run cannot be completed (fake GitHub)", () => {
  let s: Scenario;
  useScenario((next) => (s = next));

  test("is completed as a failure that says why, never left in progress", async () => {
    const pull = s.push(7, promote);
    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));
    const [comment] = s.fake.stickyComments(7);
    const before = comment!.body;
    const ticked = tick(before, MANUAL);
    s.fake.editComment(comment!.id, ticked);
    // The tick's own check run: its completion with the result fails once, the failure report goes through.
    const completions = (r: { method: string; path: string; body: any }) => r.method === "PATCH" && r.path.includes("/check-runs/") && r.body?.conclusion === "success";
    s.fake.failWhen(completions, 502, 1);
    const payload = issueCommentPayload(s.fake, "edited", { number: 7, commentId: comment!.id, body: ticked, previousBody: before, user: { login: BOT_LOGIN, type: "Bot" }, performedViaAppId: s.fake.appId });
    payload["sender"] = { ...payload["sender"], login: "dev", type: "User" };
    await s.bot.deliver("issue_comment", payload);

    const runs = s.fake.checkRunsFor(pull.head.sha);
    expect(runs.map((r) => r.status)).toEqual(["completed", "completed"]);
    expect(runs[1]).toMatchObject({ conclusion: "failure", output: { title: "Could not finish: GitHub answered 502 Bad Gateway; comment /recheck to retry" } });
  });
});
