import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { asksForRecheck } from "../../src/bot/recheck.js";
import { INSTALLATION_ID, issueCommentPayload, pullRequestPayload, testPrivateKey } from "../support/bot-harness.js";
import { FakeGitHub } from "../support/fake-github.js";
import { replaceIn, type Scenario, useScenario } from "../support/scenario.js";

const SERVICE_YAML = "services/billing-ledger/service.yaml";
const repo = "/repos/loop/platform";

describe("asksForRecheck", () => {
  test.each([
    ["/recheck", true],
    ["  /ReCheck  ", true],
    ["Thanks!\r\n/recheck\r\n", true],
    ["please /recheck", false],
    ["> /recheck", false],
    ["/rechecked", false],
    ["`/recheck`", false],
    ["", false],
  ])("%j → %s", (body, expected) => {
    expect(asksForRecheck(body)).toBe(expected);
  });
});

describe("/recheck against the fake GitHub", () => {
  let s: Scenario;
  useScenario((next) => (s = next));

  const recheck = (login: string, body = "/recheck", type = "User") =>
    issueCommentPayload(s.fake, "created", { number: 7, commentId: 555, body, user: { login, type } });

  test.each(["write", "maintain", "admin"])("someone with %s access gets a 👍 and a run on the current head", async (role) => {
    s.fake.permissions.set("dev", { permission: role === "maintain" ? "write" : role, role_name: role });
    const old = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "status: beta", "status: gamma"));
    const current = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "status: gamma", "status: alpha"));
    await s.bot.deliver("issue_comment", recheck("dev"));

    expect(s.fake.calls().slice(0, 4)).toEqual([
      "POST /app/installations/77/access_tokens",
      `GET ${repo}/collaborators/dev/permission`,
      `POST ${repo}/issues/comments/555/reactions`,
      `GET ${repo}/pulls/7`,
    ]);
    expect(s.fake.reactions).toEqual([{ commentId: 555, content: "+1" }]);
    expect(s.fake.checkRunsFor(old.head.sha)).toEqual([]);
    expect(s.fake.checkRunsFor(current.head.sha)[0]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(s.fake.stickyComments(7)).toHaveLength(1);
  });

  test.each([
    ["read access", { permission: "read", role_name: "read" }],
    ["triage access", { permission: "read", role_name: "triage" }],
    ["no access at all (not a collaborator)", undefined],
  ])("someone with %s gets a 👎 and nothing else happens", async (_label, level) => {
    if (level) s.fake.permissions.set("visitor", level);
    s.push(7, (f) => replaceIn(f, SERVICE_YAML, "status: beta", "status: gamma"));
    await s.bot.deliver("issue_comment", recheck("visitor"));

    expect(s.fake.calls()).toEqual([
      "POST /app/installations/77/access_tokens",
      `GET ${repo}/collaborators/visitor/permission`,
      `POST ${repo}/issues/comments/555/reactions`,
    ]);
    expect(s.fake.reactions).toEqual([{ commentId: 555, content: "-1" }]);
    expect(s.fake.checkRuns).toEqual([]);
  });

  test("comments that do not ask, bots, and plain issues are ignored without a request", async () => {
    s.fake.permissions.set("dev", { permission: "write", role_name: "write" });
    await s.bot.deliver("issue_comment", recheck("dev", "could you /recheck this?"));
    await s.bot.deliver("issue_comment", recheck("other-bot[bot]", "/recheck", "Bot"));
    const onIssue = recheck("dev");
    delete onIssue["issue"].pull_request;
    await s.bot.deliver("issue_comment", onIssue);
    expect(s.fake.requests).toEqual([]);
  });

  test("/recheck while a run is going queues one more run of the same head after it", async () => {
    s.fake.permissions.set("dev", { permission: "write", role_name: "write" });
    const pull = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: ledger"));
    const held = s.fake.hold((r) => r.path === `${repo}/git/trees/${pull.head.sha}`);
    await s.bot.receive("pull_request", pullRequestPayload(s.fake, "opened", pull));
    await held.reached;
    held.release();
    await s.bot.deliver("issue_comment", recheck("dev"));
    expect(s.fake.checkRunsFor(pull.head.sha).map((r) => [r.status, r.conclusion])).toEqual([
      ["completed", "success"],
      ["completed", "success"],
    ]);
    expect(s.fake.stickyComments(7)).toHaveLength(1);
  });
});

describe("/recheck refused, with nock: exactly these requests and no others", () => {
  const api = "https://api.github.com";
  const fake = new FakeGitHub(); // only for its payload helpers' owner/repo; no server

  beforeAll(() => nock.disableNetConnect());
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  test("permission check, then a 👎 reaction, then nothing", async () => {
    const unmatched: string[] = [];
    nock.emitter.on("no match", (req: { method?: string; path?: string; url?: string; href?: string }) =>
      unmatched.push(`${req.method} ${req.path ?? req.href ?? req.url}`),
    );
    const scope = nock(api)
      .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
      .reply(201, { token: "ghs_test", expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {} })
      .get("/repos/loop/platform/collaborators/visitor/permission")
      .reply(200, { permission: "read", role_name: "read", user: { login: "visitor" } })
      .post("/repos/loop/platform/issues/comments/555/reactions", { content: "-1" })
      .reply(201, { id: 1, content: "-1" });

    const { Probot, ProbotOctokit } = await import("probot");
    const { pino } = await import("pino");
    const { createApp } = await import("../../src/bot/app.js");
    const probot = new Probot({
      appId: fake.appId,
      privateKey: testPrivateKey(),
      log: pino({ level: "silent" }),
      Octokit: ProbotOctokit.defaults((o: Record<string, any>) => ({ ...o, retry: { enabled: false }, throttle: { ...o["throttle"], enabled: false } })),
    });
    const app = createApp({ appId: fake.appId });
    await probot.load(app);
    await probot.receive({
      id: "1",
      name: "issue_comment",
      payload: issueCommentPayload(fake, "created", { number: 7, commentId: 555, body: "/recheck", user: { login: "visitor", type: "User" } }),
    } as never);
    await app.onIdle();
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });
});
