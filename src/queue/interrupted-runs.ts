import type { Logger } from "pino";
import type { Probot } from "probot";
import { pullKey } from "../bot/target.js";
import { shortSha, type GitHubApi, type RepoRef } from "../github/api.js";
import { CheckRunWriter } from "../github/check-run.js";
import { renderFailureOutput } from "../report/check-run.js";
import { liveCheckId, type WorkQueue } from "./work-queue.js";

/** How far one sweep looks: enough for a monorepo's installation, bounded so that a sweep stays cheap. */
export const SWEEP_LIMITS = { installations: 100, repositoriesPerInstallation: 100, pullsPerRepository: 100 };

interface InProgressRun {
  id: number;
  started_at?: string | null;
  app?: { id?: number } | null;
}

/** The check runs of this app (all apps when unknown) still in progress on a commit. */
async function runsInProgress(api: GitHubApi, repo: RepoRef, headSha: string, appId: number | undefined): Promise<InProgressRun[]> {
  const { data } = await api.rest.checks.listForRef({
    ...repo,
    ref: headSha,
    status: "in_progress",
    per_page: 100,
    ...(appId !== undefined ? { app_id: appId } : {}),
  });
  return data.check_runs.filter((run) => run.status === "in_progress" && (appId === undefined || run.app?.id === appId));
}

function interruptedOutput(): { title: string; summary: string } {
  return renderFailureOutput({
    headline: "the run was interrupted (the bot stopped while checking this commit)",
    detail: "The process checking this commit stopped (a crash, an out-of-memory kill or a deploy) before it could finish.",
    retry: "recheck",
  });
}

/**
 * A job starts again after its worker died: the check run that worker left in
 * progress is completed before the new run starts, so the commit never keeps
 * a run that nothing will finish. (Only this job's key runs now: the per-key
 * lock is held.)
 */
export async function completeRunsLeftByEarlierAttempt(api: GitHubApi, repo: RepoRef, headSha: string, appId: number | undefined, log: Logger): Promise<number> {
  const writer = new CheckRunWriter(api, repo);
  const left = await runsInProgress(api, repo, headSha, appId);
  for (const run of left) {
    await writer.complete(run.id, { conclusion: "failure", ...interruptedOutput() });
    log.warn({ checkRunId: run.id, sha: headSha }, "completed the check run an interrupted attempt left in progress; checking again");
  }
  return left.length;
}

export interface SweepOptions {
  appId: number | undefined;
  /** Whether a run started at this time, with no job queued or running for it, was interrupted. */
  isStale(startedAt: Date): boolean;
  log: Logger;
  onInterrupted?(): void;
}

/**
 * Finds check runs of this app left `in_progress` on open pull requests with
 * no live job (the process that ran them died) and completes them `failure`,
 * titled that the run was interrupted and `/recheck` retries. Walks
 * installations → repositories → open pull requests → the head's check runs,
 * one request at a time and within SWEEP_LIMITS. Returns how many it completed.
 */
export async function sweepInterruptedRuns(probot: Probot, queue: WorkQueue, options: SweepOptions): Promise<number> {
  const { log } = options;
  const appApi = await probot.auth();
  const installations = await appApi.paginate(appApi.rest.apps.listInstallations, { per_page: 100 }, (response, done) => {
    if (response.data.length < 100) done();
    return response.data;
  });
  const live = await queue.liveChecks();
  let completed = 0;
  for (const installation of installations.slice(0, SWEEP_LIMITS.installations)) {
    const api = (await probot.auth(installation.id)) as GitHubApi;
    const { data } = await api.rest.apps.listReposAccessibleToInstallation({ per_page: SWEEP_LIMITS.repositoriesPerInstallation });
    for (const repository of data.repositories) {
      const repo = { owner: repository.owner.login, repo: repository.name };
      const { data: pulls } = await api.rest.pulls.list({ ...repo, state: "open", sort: "updated", direction: "desc", per_page: SWEEP_LIMITS.pullsPerRepository });
      for (const pull of pulls) {
        if (live.has(liveCheckId(pullKey(repo.owner, repo.repo, pull.number), pull.head.sha))) continue;
        const writer = new CheckRunWriter(api, repo);
        for (const run of await runsInProgress(api, repo, pull.head.sha, options.appId)) {
          if (!run.started_at || !options.isStale(new Date(run.started_at))) continue;
          await writer.complete(run.id, { conclusion: "failure", ...interruptedOutput() });
          options.onInterrupted?.();
          completed++;
          log.warn({ repo: `${repo.owner}/${repo.repo}`, pull: pull.number, sha: shortSha(pull.head.sha), checkRunId: run.id }, "completed a check run left in progress by an interrupted run");
        }
      }
    }
  }
  return completed;
}
