import { afterEach, describe, expect, test } from "vitest";
import { examplePayload, INSTALLATION_ID } from "../support/bot-harness.js";
import type { FakeGitHub, FakePull } from "../support/fake-github.js";
import { replaceIn, type Scenario, useScenario } from "../support/scenario.js";

const SERVICE_YAML = "services/billing-ledger/service.yaml";
const repo = "/repos/loop/platform";

let s: Scenario;
useScenario((next) => (s = next));
afterEach(() => {
  expect(s.fake.checkRuns.filter((r) => r.status !== "completed")).toEqual([]);
});

function inRepo(fake: FakeGitHub, payload: Record<string, any>) {
  payload["repository"] = { ...payload["repository"], name: fake.repo, full_name: `${fake.owner}/${fake.repo}`, owner: { ...payload["repository"].owner, login: fake.owner } };
  payload["installation"] = { id: INSTALLATION_ID };
  return payload;
}

const listed = (pull: FakePull) => ({
  url: `https://api.github.com/repos/loop/platform/pulls/${pull.number}`,
  id: pull.number,
  number: pull.number,
  head: { ref: pull.head.ref, sha: pull.head.sha, repo: { id: 1, url: "", name: "platform" } },
  base: { ref: pull.base.ref, sha: pull.base.sha, repo: { id: 1, url: "", name: "platform" } },
});

function checkRunRerequested(pull: FakePull, options: { appId?: number; pulls?: FakePull[] } = {}) {
  const payload = inRepo(s.fake, examplePayload("check_run", "rerequested"));
  const run = payload["check_run"];
  run.head_sha = pull.head.sha;
  run.name = "Loop Platform / pre-merge";
  run.app = { ...run.app, id: options.appId ?? s.fake.appId };
  run.pull_requests = (options.pulls ?? [pull]).map(listed);
  run.check_suite = { ...run.check_suite, head_sha: pull.head.sha, head_branch: pull.head.ref, pull_requests: run.pull_requests };
  return payload;
}

function checkSuiteRerequested(pull: FakePull, pulls: FakePull[]) {
  const payload = inRepo(s.fake, examplePayload("check_suite", "rerequested"));
  const suite = payload["check_suite"];
  suite.head_sha = pull.head.sha;
  suite.head_branch = pull.head.ref;
  suite.app = { ...suite.app, id: s.fake.appId };
  suite.pull_requests = pulls.map(listed);
  return payload;
}

describe("the Re-run buttons", () => {
  test("check_run.rerequested checks that head again and writes a new check run", async () => {
    const pull = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "status: beta", "status: gamma"));
    await s.bot.deliver("check_run", checkRunRerequested(pull));
    expect(s.fake.checkRunsFor(pull.head.sha)).toMatchObject([{ status: "completed", conclusion: "failure" }]);
    expect(s.fake.stickyComments(7)).toHaveLength(1);
  });

  test("a re-run of an older head gets its own result but leaves the comment to the current head", async () => {
    const old = { ...s.push(7, (f) => replaceIn(f, SERVICE_YAML, "status: beta", "status: gamma")) };
    const current = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "status: gamma", "status: beta"));
    // GitHub lists the pull request as it is now; its file list no longer describes the old head.
    await s.bot.deliver("check_run", checkRunRerequested(old, { pulls: [current] }));
    expect(s.fake.calls((r) => r.path.includes("/compare/"))).toEqual([`GET ${repo}/compare/${s.baseSha}...${old.head.sha}`]);
    expect(s.fake.checkRunsFor(old.head.sha)).toMatchObject([{ status: "completed", conclusion: "failure", output: { title: "1 error in billing-ledger" } }]);
    expect(s.fake.comments).toEqual([]);
  });

  test("another app's check run is none of our business", async () => {
    const pull = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "status: beta", "status: gamma"));
    await s.bot.deliver("check_run", checkRunRerequested(pull, { appId: 999 }));
    expect(s.fake.requests).toEqual([]);
  });

  test("check_suite.rerequested for a pull request from a fork (GitHub lists no pull requests) finds it among the open ones", async () => {
    const pull = s.push(8, (f) => replaceIn(f, SERVICE_YAML, "status: beta", "status: gamma"), { headRepoFullName: "forker/platform" });
    s.push(9, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: other"));
    await s.bot.deliver("check_suite", checkSuiteRerequested(pull, []));
    expect(s.fake.calls((r) => r.path === `${repo}/pulls`)).toEqual([`GET ${repo}/pulls`]);
    expect(s.fake.checkRunsFor(pull.head.sha)).toMatchObject([{ status: "completed", conclusion: "failure" }]);
    expect(s.fake.stickyComments(8)).toHaveLength(1);
    expect(s.fake.stickyComments(9)).toHaveLength(0);
  });

  test("check_suite.rerequested with the pull request listed runs without looking it up", async () => {
    const pull = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: ledger"));
    await s.bot.deliver("check_suite", checkSuiteRerequested(pull, [pull]));
    expect(s.fake.calls((r) => r.path === `${repo}/pulls`)).toEqual([]);
    expect(s.fake.checkRunsFor(pull.head.sha)).toMatchObject([{ status: "completed", conclusion: "success" }]);
  });
});

describe("merge_group.checks_requested", () => {
  function mergeGroup(headSha: string, baseSha: string) {
    const payload = inRepo(s.fake, examplePayload("merge_group", "checks_requested"));
    payload["merge_group"] = { ...payload["merge_group"], head_sha: headSha, base_sha: baseSha, base_ref: "refs/heads/main", head_ref: `refs/heads/gh-readonly-queue/main/pr-7-${headSha}` };
    return payload;
  }

  test("checks the merge group head against its base through compare, with no comment", async () => {
    const files = { ...s.files };
    replaceIn(files, SERVICE_YAML, "status: beta", "status: gamma");
    const head = s.fake.commit(files, [s.baseSha]);
    await s.bot.deliver("merge_group", mergeGroup(head, s.baseSha));

    expect(s.fake.calls((r) => !s.fake.codeReads().includes(r))).toEqual([
      "POST /app/installations/77/access_tokens",
      `GET ${repo}/contents/.github%2Fplatform-checks.yml`,
      "GET /repos/loop/.github/contents/.github%2Fplatform-checks.yml",
      `POST ${repo}/check-runs`,
      `GET ${repo}/compare/${s.baseSha}...${head}`,
      expect.stringMatching(`^PATCH ${repo}/check-runs/\\d+$`),
    ]);
    expect(s.fake.checkRunsFor(head)).toMatchObject([{ status: "completed", conclusion: "failure", output: { title: "1 error in billing-ledger" } }]);
    expect(s.fake.comments).toEqual([]);
  });

  test("re-running a merge group's check finds its base from the commit's parent", async () => {
    const files = { ...s.files };
    replaceIn(files, SERVICE_YAML, "team: billing", "team: ledger");
    const head = s.fake.commit(files, [s.baseSha]);
    const payload = inRepo(s.fake, examplePayload("check_suite", "rerequested"));
    payload["check_suite"] = { ...payload["check_suite"], head_sha: head, head_branch: `gh-readonly-queue/main/pr-7-${head}`, pull_requests: [], app: { id: s.fake.appId } };
    await s.bot.deliver("check_suite", payload);
    expect(s.fake.calls((r) => r.path.includes("/git/commits/") || r.path.includes("/compare/"))).toEqual([
      `GET ${repo}/git/commits/${head}`,
      `GET ${repo}/compare/${s.baseSha}...${head}`,
    ]);
    expect(s.fake.checkRunsFor(head)).toMatchObject([{ status: "completed", conclusion: "success" }]);
  });
});
