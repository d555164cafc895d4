import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { defineServiceRule } from "../../src/engine/rule.js";
import { COMMENT_MARKER } from "../../src/report/comment.js";
import { pullRequestPayload } from "../support/bot-harness.js";
import { BOT_TEST_RULES, replaceIn, scenario, type Scenario } from "../support/scenario.js";

const SERVICE_YAML = "services/billing-ledger/service.yaml";
const repo = "/repos/loop/platform";

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => nock.enableNetConnect());

let s: Scenario;
afterEach(async () => {
  expect(s.fake.unexpected()).toEqual([]);
  await s.stop();
});

describe("pull_request.opened", () => {
  beforeEach(async () => {
    s = await scenario();
  });

  test("creates the check run in progress, completes it with the findings, and creates one comment", async () => {
    const pull = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "status: beta", "status: gamma"));
    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));

    // Everything but code reads, in order: config from the base branch (then the org's .github
    // fallback), check run in progress, changed files (base...head), freshness check and comment lookup
    // (one GraphQL query), completion, comment.
    expect(s.fake.calls((r) => !s.fake.codeReads().includes(r))).toEqual([
      "POST /app/installations/77/access_tokens",
      `GET ${repo}/contents/.github%2Fplatform-checks.yml`,
      "GET /repos/loop/.github/contents/.github%2Fplatform-checks.yml",
      `POST ${repo}/check-runs`,
      `GET ${repo}/compare/${pull.base.sha}...${pull.head.sha}`,
      expect.stringMatching(`^PATCH ${repo}/check-runs/\\d+$`),
      `POST ${repo}/issues/7/comments`,
    ]);
    expect(s.fake.requests.find((r) => r.path.endsWith("/contents/.github%2Fplatform-checks.yml"))!.query).toEqual({ ref: "main" });
    // Code: the head tree (recursive), then every file the rules read in one GraphQL batch (head files by
    // sha, the base service.yaml by path: it changed, so the readiness rule compares its status), and
    // the pull request's head and comments (GraphQL); no single blob reads, no base tree.
    const reads = s.fake.codeReads();
    expect(reads[0]).toMatchObject({ path: `${repo}/git/trees/${pull.head.sha}`, query: { recursive: "1" } });
    expect(reads.filter((r) => r.path === "/graphql")).toHaveLength(2);
    expect(reads.filter((r) => r.path.includes("/git/blobs/"))).toHaveLength(0);
    expect(reads.filter((r) => r.path.includes("/git/trees/"))).toHaveLength(1);

    const create = s.fake.requests.find((r) => r.method === "POST" && r.path.endsWith("/check-runs"))!;
    expect(create.body).toMatchObject({ name: "Loop Platform / pre-merge", head_sha: pull.head.sha, status: "in_progress" });
    expect(create.body.started_at).toEqual(expect.any(String));

    const [run] = s.fake.checkRunsFor(pull.head.sha);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "1 error in billing-ledger" } });
    expect(run!.annotations).toEqual([
      expect.objectContaining({ path: SERVICE_YAML, start_line: 5, annotation_level: "failure", title: "service-yaml-schema" }),
    ]);
    const comments = s.fake.stickyComments(7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(COMMENT_MARKER);
    expect(comments[0]!.body).toContain("billing-ledger");
  });

  test("reads only the blobs the rules need, from the base repository even for a pull request from a fork", async () => {
    const pull = s.push(8, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: billing-core"), { headRepoFullName: "forker/platform" });
    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));

    expect(s.fake.requests.every((r) => r.path.startsWith("/app/") || r.path.startsWith("/repos/loop/") || r.path === "/graphql")).toBe(true);
    expect(s.fake.requests.filter((r) => r.path === "/graphql").every((r) => r.body.variables.owner === "loop" && r.body.variables.name === "platform")).toBe(true);
    expect(s.fake.calls((r) => r.path.includes("forker"))).toEqual([]);
    // Contents in one GraphQL batch, nothing read one by one.
    expect(s.fake.calls((r) => r.path.includes("/git/blobs/"))).toHaveLength(0);
    expect(s.fake.checkRunsFor(pull.head.sha)[0]).toMatchObject({ status: "completed", conclusion: "success" });
  });

  test("checks draft pull requests too", async () => {
    const pull = s.push(9, (f) => replaceIn(f, SERVICE_YAML, "status: beta", "status: gamma"), { draft: true });
    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));
    expect(s.fake.checkRunsFor(pull.head.sha)[0]).toMatchObject({ status: "completed", conclusion: "failure" });
  });

  test("a pull request that touches no service and has nothing to say gets a passing check run and no comment", async () => {
    const pull = s.push(10, (f) => (f["README.md"] += "\nMore words.\n"));
    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));
    expect(s.fake.checkRunsFor(pull.head.sha)[0]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(s.fake.comments).toEqual([]);
    expect(s.fake.calls((r) => r.path.includes("/comments") && r.method !== "GET")).toEqual([]);
  });
});

describe("a second push", () => {
  beforeEach(async () => {
    s = await scenario();
  });

  test("synchronize edits the same comment in place and fetches only the blobs that changed", async () => {
    const first = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "status: beta", "status: gamma"));
    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", first));
    const [comment] = s.fake.stickyComments(7);
    expect(comment!.body).toContain("1 error");
    s.fake.reset();

    const second = s.push(7, (f) => {
      replaceIn(f, SERVICE_YAML, "status: gamma", "status: beta");
      replaceIn(f, SERVICE_YAML, "team: billing", "team: ledger");
    });
    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "synchronize", second));

    expect(s.fake.stickyComments(7)).toHaveLength(1);
    expect(s.fake.calls((r) => r.path.includes("/comments") && r.method !== "GET")).toEqual([`PATCH ${repo}/issues/comments/${comment!.id}`]);
    expect(s.fake.stickyComments(7)[0]!.body).toContain("all checks passed");
    // Only the new head's service.yaml is new: one batch holding that blob (the base's is looked up by path again).
    const batch = s.fake.requests.find((r) => r.path === "/graphql" && /BlobBatch/.test(r.body.query))!;
    expect(Object.values(batch.body.variables)).toContain(s.fake.filesOf(second.head.sha).get(SERVICE_YAML));
    expect(Object.keys(batch.body.variables).filter((k) => k !== "owner" && k !== "name")).toHaveLength(2);
    expect(s.fake.calls((r) => r.path.includes("/git/blobs/"))).toHaveLength(0);
    expect(s.fake.checkRunsFor(second.head.sha)[0]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(s.fake.checkRunsFor(first.head.sha)[0]).toMatchObject({ status: "completed", conclusion: "failure" });
  });

  test("edited runs again only when the base branch changed", async () => {
    const pull = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: ledger"));
    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "edited", pull, { changes: { title: { from: "old title" } } }));
    expect(s.fake.requests).toEqual([]);

    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "edited", pull, { changes: { base: { ref: { from: "develop" }, sha: { from: "0".repeat(40) } } } }));
    expect(s.fake.checkRunsFor(pull.head.sha)).toHaveLength(1);
  });

  test("closed pull requests and other actions are ignored", async () => {
    const pull = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: ledger"));
    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "closed", { ...pull, state: "closed" }));
    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "labeled", pull));
    expect(s.fake.requests).toEqual([]);
  });
});

describe("annotations", () => {
  // A stand-in rule with one finding per line of service.yaml, to get past GitHub's 50 per request.
  const manyFindings = (count: number) =>
    defineServiceRule({
      meta: { id: "many-findings", defaultSeverity: "warning", title: "test", messages: { one: "finding {{n}}" } },
      check(ctx, report) {
        for (let n = 1; n <= count; n++) report({ messageId: "one", data: { n }, path: ctx.path("service.yaml"), line: n, column: 1 });
      },
    });

  test.each([
    [120, [50, 50, 20]],
    [50, [50]],
    [51, [50, 1]],
  ])("%i annotations are delivered in batches of 50, the last with the conclusion", async (count, batches) => {
    s = await scenario({ rules: [...BOT_TEST_RULES, manyFindings(count)] });
    const pull = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: ledger"));
    await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));

    const [run] = s.fake.checkRunsFor(pull.head.sha);
    expect(run!.annotationBatches).toEqual(batches);
    expect(run!.annotations).toHaveLength(count);
    const updates = s.fake.requests.filter((r) => r.method === "PATCH" && r.path.includes("/check-runs/"));
    expect(updates).toHaveLength(batches.length);
    // Only the last update completes the run.
    expect(updates.map((u) => u.body.status ?? "unchanged")).toEqual([...batches.slice(1).map(() => "unchanged"), "completed"]);
    expect(updates.at(-1)!.body.conclusion).toBe("success");
  });
});
