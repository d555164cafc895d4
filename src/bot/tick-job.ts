import type { Logger } from "pino";
import { ConfigError } from "../engine/config.js";
import { applyReadiness, type CheckReport } from "../engine/run.js";
import type { GitHubApi } from "../github/api.js";
import { CheckRunWriter } from "../github/check-run.js";
import { renderCheckRun } from "../report/check-run.js";
import { parseManualTicks, renderComment } from "../report/comment.js";
import type { BotDeps } from "./check-job.js";
import { loadRepoConfig } from "./config.js";

export interface TickTarget {
  owner: string;
  repo: string;
  pullNumber: number;
  commentId: number;
}

export type TickOutcome =
  /** Re-evaluated from the report the comment carries. */
  | "reevaluated"
  /** The comment's report is for an older head; the run for the newest head keeps the ticks. */
  | "stale"
  /** The comment carries no report the bot can trust (too large to embed, or not signed by it): a full re-run is needed. */
  | "needs-full-run"
  | "invalid-config";

/**
 * A person ticked (or unticked) a box in the sticky comment. Re-evaluates the
 * production-readiness rule from the report embedded (and signed) in the
 * comment and the ticks, without reading any code: no tree, no blob. When the outcome
 * changes, a new completed check run is written for the head (GitHub appends
 * annotations on update, so updating the old run would leave its stale
 * readiness annotation behind); the comment is re-rendered with the ticks.
 */
export async function runTickJob(api: GitHubApi, target: TickTarget, deps: BotDeps, log: Logger): Promise<{ outcome: TickOutcome; headSha: string; baseSha: string; baseRef: string }> {
  const repo = { owner: target.owner, repo: target.repo };
  // The current body: a run that finished since the webhook was sent may have rewritten it.
  const { data: comment } = await api.rest.issues.getComment({ ...repo, comment_id: target.commentId });
  const { data: pull } = await api.rest.pulls.get({ ...repo, pull_number: target.pullNumber });
  const where = { headSha: pull.head.sha, baseSha: pull.base.sha, baseRef: pull.base.ref };
  const body = comment.body ?? "";
  const state = deps.signer.verifiedState(body);
  if (!state) return { outcome: "needs-full-run", ...where };
  if (state.headSha !== pull.head.sha) {
    log.info({ commentHead: state.headSha, head: pull.head.sha }, "ticks on an older head's comment: the newer run keeps them");
    return { outcome: "stale", ...where };
  }

  let config;
  try {
    config = (await loadRepoConfig(api, { ...repo, branch: pull.base.ref }, deps.ruleIds)).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log.warn({ err: error }, "invalid configuration; the check run already says so");
    return { outcome: "invalid-config", ...where };
  }

  const report = applyReadiness(state.report, state.report.checklists, config, parseManualTicks(body, state.report));
  if (outcomeChanged(state.report, report)) {
    const writer = new CheckRunWriter(api, repo);
    const output = renderCheckRun(report, config);
    const id = await writer.start(config.check_name, pull.head.sha, { title: "Re-evaluating the checklist…", summary: "A checklist box was ticked." });
    await writer.complete(id, { conclusion: report.conclusion, ...output });
    deps.metrics.runs.inc({ conclusion: report.conclusion, trigger: "checklist_tick" });
    log.info({ conclusion: report.conclusion }, "checklist re-evaluated; new check run written");
  }
  const rendered = renderComment(report, { headSha: pull.head.sha, previousBody: body, config });
  const next = rendered === undefined ? undefined : deps.signer.sign(rendered);
  if (next !== undefined && next !== body) {
    await api.rest.issues.updateComment({ ...repo, comment_id: target.commentId, body: next });
  }
  return { outcome: "reevaluated", ...where };
}

/** Whether the check run would say something different. */
function outcomeChanged(before: CheckReport, after: CheckReport): boolean {
  return (
    before.conclusion !== after.conclusion ||
    JSON.stringify(before.findings) !== JSON.stringify(after.findings) ||
    JSON.stringify(before.ruleRuns) !== JSON.stringify(after.ruleRuns)
  );
}
