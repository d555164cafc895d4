import { expect, test } from "vitest";
import { pullRequestPayload } from "../support/bot-harness.js";
import type { FakeCheckRun } from "../support/fake-github.js";
import { replaceIn, type Scenario, useScenario } from "../support/scenario.js";

let s: Scenario;
useScenario((next) => (s = next));

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

/** A check run of this app left in progress on `sha`, as a process that died would leave it. */
function leftInProgress(sha: string, startedAt: string): FakeCheckRun {
  const run: FakeCheckRun = {
    id: 9000 + s.fake.checkRuns.length,
    name: "Loop Platform / pre-merge",
    head_sha: sha,
    status: "in_progress",
    conclusion: null,
    started_at: startedAt,
    output: { title: "Checking…" },
    annotations: [],
    annotationBatches: [],
  };
  s.fake.checkRuns.push(run);
  return run;
}

test("the sweep completes runs left in progress by an interrupted run, and leaves live and recent ones alone", async () => {
  const stale = leftInProgress(s.push(7, (f) => replaceIn(f, "services/billing-ledger/service.yaml", "team: billing", "team: seven")).head.sha, minutesAgo(60));
  // In-process, a run started before this process started cannot still be running, however recent.
  const beforeStart = leftInProgress(s.push(8, (f) => replaceIn(f, "services/billing-ledger/service.yaml", "team: billing", "team: eight")).head.sha, minutesAgo(2));
  const recent = leftInProgress(s.push(9, (f) => replaceIn(f, "services/billing-ledger/service.yaml", "team: billing", "team: nine")).head.sha, new Date(Date.now() + 1_000).toISOString());

  // A pull request whose check is running right now: its head has a live job.
  const live = s.push(10, (f) => replaceIn(f, "services/billing-ledger/service.yaml", "team: billing", "team: ten"));
  const held = s.fake.hold((r) => r.method === "GET" && r.path.includes(live.head.sha));
  await s.bot.receive("pull_request", pullRequestPayload(s.fake, "opened", live));
  await held.reached;
  const liveButOld = leftInProgress(live.head.sha, minutesAgo(60));

  expect(await s.bot.app.sweepInterruptedRuns()).toBe(2);
  for (const run of [stale, beforeStart]) {
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run.output.title).toMatch(/^Could not finish: the run was interrupted .*; comment \/recheck to retry$/);
  }
  expect(recent.status).toBe("in_progress");
  expect(liveButOld.status).toBe("in_progress");
  expect(await s.bot.app.metrics.registry.getSingleMetricAsString("platform_checks_interrupted_runs_total")).toMatch(/ 2$/);

  held.release();
  await s.bot.app.onIdle();
  // The walk: installations, their repositories, open pull requests, each head's runs of this app in progress.
  expect(s.fake.calls((r) => r.path === "/app/installations" || r.path === "/installation/repositories")).toEqual(["GET /app/installations", "GET /installation/repositories"]);
  expect(s.fake.calls((r) => r.path.endsWith("/check-runs") && r.method === "GET").length).toBe(3);
});
