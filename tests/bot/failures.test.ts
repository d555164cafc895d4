import nock from "nock";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { defineServiceRule } from "../../src/engine/rule.js";
import { pullRequestPayload } from "../support/bot-harness.js";
import { BOT_TEST_RULES, replaceIn, scenario, type Scenario } from "../support/scenario.js";

const SERVICE_YAML = "services/billing-ledger/service.yaml";
const CONFIG = ".github/platform-checks.yml";
const repo = "/repos/loop/platform";

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => nock.enableNetConnect());

let s: Scenario;
afterEach(async () => {
  // Whatever happened, nothing is left in progress.
  expect(s.fake.checkRuns.filter((r) => r.status !== "completed")).toEqual([]);
  expect(s.fake.unexpected()).toEqual([]);
  await s.stop();
});

/** Puts a config file on main (the base branch) and returns a pull request that changes a service. */
async function withBaseConfig(config: string | undefined) {
  s = await scenario();
  if (config !== undefined) {
    const files = { ...s.files, [CONFIG]: config };
    s.fake.setBranch("main", s.fake.commit(files, [s.baseSha]));
  }
  return s.push(7, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: ledger"));
}

test("an invalid config on the base branch fails the check run under the default name, naming the bad key, without reading code", async () => {
  const pull = await withBaseConfig("rules:\n  no-such-rule: off\n");
  await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));

  const [run] = s.fake.checkRunsFor(pull.head.sha);
  expect(run).toMatchObject({ name: "Loop Platform / pre-merge", conclusion: "failure" });
  expect(run!.output.title).toContain("rules.no-such-rule: no rule has this id");
  expect(run!.output.summary).toContain("read from the base branch (main)");
  expect(run!.output.summary).toContain("/recheck");
  expect(s.fake.codeReads()).toEqual([]);
  expect(s.fake.comments).toEqual([]);
});

test("an unknown top-level key is named too", async () => {
  const pull = await withBaseConfig("check_nam: Custom\n");
  await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));
  expect(s.fake.checkRunsFor(pull.head.sha)[0]!.output.title).toContain("check_nam");
});

test("YAML that does not parse fails the run and says so", async () => {
  const pull = await withBaseConfig("rules: [unclosed\n");
  await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));
  const [run] = s.fake.checkRunsFor(pull.head.sha);
  expect(run).toMatchObject({ conclusion: "failure" });
  expect(run!.output.title).toMatch(/not valid YAML: Flow sequence/);
});

test("a config change in the pull request itself does not switch its checks off: config comes from the base", async () => {
  s = await scenario();
  const pull = s.push(7, (f) => {
    replaceIn(f, SERVICE_YAML, "status: beta", "status: gamma");
    f[CONFIG] = "rules:\n  service-yaml-schema: off\n";
  });
  await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));
  expect(s.fake.checkRunsFor(pull.head.sha)[0]).toMatchObject({ conclusion: "failure", output: { title: "1 error in billing-ledger" } });
});

test("a valid config on the base branch names the check run", async () => {
  const pull = await withBaseConfig("check_name: Platform conventions\n");
  await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));
  expect(s.fake.checkRunsFor(pull.head.sha)[0]).toMatchObject({ name: "Platform conventions", conclusion: "success" });
});

test("GitHub failing while reading the tree completes the check run as a failure that says why and how to retry", async () => {
  const pull = await withBaseConfig(undefined);
  s.fake.failWhen((r) => r.path.includes("/git/trees/"), 502);
  await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));

  const [run] = s.fake.checkRunsFor(pull.head.sha);
  expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
  expect(run!.output.title).toBe("Could not finish: GitHub answered 502 Bad Gateway; comment /recheck to retry");
  expect(run!.output.summary).toMatch(/Re-run/);
  expect(s.fake.comments).toEqual([]);
});

test("the completing request failing once still ends completed (as a failure), never in progress", async () => {
  const pull = await withBaseConfig(undefined);
  s.fake.failWhen((r) => r.method === "PATCH" && r.path.includes("/check-runs/"), 500, 1);
  await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));
  expect(s.fake.checkRunsFor(pull.head.sha)[0]).toMatchObject({ status: "completed", conclusion: "failure" });
});

test("a rule that throws is reported as an internal-error finding; the run still completes", async () => {
  s = await scenario({
    rules: [
      ...BOT_TEST_RULES,
      defineServiceRule({
        meta: { id: "explodes", defaultSeverity: "error", title: "test", messages: {} },
        check() {
          throw new Error("boom");
        },
      }),
    ],
  });
  const pull = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: ledger"));
  await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));
  const [run] = s.fake.checkRunsFor(pull.head.sha);
  expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
  expect(run!.annotations.map((a) => a.title)).toEqual(["explodes"]);
});

test("a run that takes too long is stopped and completed as a failure", async () => {
  s = await scenario({ runTimeoutMs: 300 });
  const pull = s.push(7, (f) => replaceIn(f, SERVICE_YAML, "team: billing", "team: ledger"));
  const held = s.fake.hold((r) => r.path.includes("/git/trees/"));
  await s.bot.receive("pull_request", pullRequestPayload(s.fake, "opened", pull));
  await held.reached;
  await s.bot.app.onIdle();
  held.release();
  const [run] = s.fake.checkRunsFor(pull.head.sha);
  expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
  expect(run!.output.title).toContain("took longer than");
});

test("when GitHub refuses even the check run, the bot logs, stays up, and the next event works", async () => {
  const pull = await withBaseConfig(undefined);
  s.fake.failWhen((r) => r.method === "POST" && r.path === `${repo}/check-runs`, 503, 2);
  await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "opened", pull));
  expect(s.fake.checkRuns).toEqual([]);
  const errors = await s.bot.app.metrics.registry.getSingleMetricAsString("platform_checks_github_api_errors_total");
  expect(errors).toContain('status="503"} 2');

  await s.bot.deliver("pull_request", pullRequestPayload(s.fake, "synchronize", pull));
  expect(s.fake.checkRunsFor(pull.head.sha)).toHaveLength(1);
  expect(s.fake.checkRunsFor(pull.head.sha)[0]).toMatchObject({ status: "completed", conclusion: "success" });
});
