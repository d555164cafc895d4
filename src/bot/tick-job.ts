import type { Logger } from "pino";
import type { ManualTicks } from "../checklist/checklist.js";
import { ConfigError } from "../engine/config.js";
import { applyReadiness, type CheckReport } from "../engine/run.js";
import type { GitHubApi } from "../github/api.js";
import { CheckRunWriter } from "../github/check-run.js";
import { writeStickyComment } from "../github/comment.js";
import { renderCheckRun, renderFailureOutput } from "../report/check-run.js";
import { parseManualTicks, renderComment } from "../report/comment.js";
import { describeFailure, stateBinding, type BotDeps } from "./check-job.js";
import { loadRepoConfig } from "./config.js";

export interface TickTarget {
  owner: string;
  repo: string;
  pullNumber: number;
  commentId: number;
  /**
   * The person's edit, as the webhook told it (`changes.body.from` and the new
   * body). Its tick changes are applied to the comment as it is when the job
   * runs, so a tick is kept even if a run rewrote the comment in between.
   */
  edit?: { before: string; after: string };
}

export type TickOutcome =
  /** Re-evaluated from the report the comment carries. */
  | "reevaluated"
  /** The comment's report is for an older head; the run for the newest head keeps the ticks. */
  | "stale"
  /**
   * The comment carries no report the bot can trust for this pull request as
   * it is now (too large to embed, not signed by it, or computed for another
   * base, configuration or rule set): a full re-run is needed.
   */
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
  const current = comment.body ?? "";
  const signed = deps.signer.verifiedState(current);
  if (!signed) {
    log.info("the comment carries no report signed by this bot: full run");
    return { outcome: "needs-full-run", ...where };
  }
  if (signed.headSha !== pull.head.sha) {
    log.info({ commentHead: signed.headSha, head: pull.head.sha }, "ticks on an older head's comment: the newer run keeps them");
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
  // A body replayed from the comment's history, or one computed before the base, configuration or
  // rules changed, is signed but not for the pull request as it is now.
  const bound = deps.signer.boundState(current, stateBinding({ ...repo, pullNumber: target.pullNumber, ...where }, config, deps));
  if ("problem" in bound) {
    log.info({ problem: bound.problem }, "the comment's report was computed for something else: full run");
    return { outcome: "needs-full-run", ...where };
  }
  const state = bound.state;

  const ticks = mergeTicks(parseManualTicks(current, state.report), target.edit, state.report);
  const report = applyReadiness(state.report, state.report.checklists, config, ticks);
  if (outcomeChanged(state.report, report)) {
    const writer = new CheckRunWriter(api, repo);
    const output = renderCheckRun(report, config);
    const id = await writer.start(config.check_name, pull.head.sha, { title: "Re-evaluating the checklist…", summary: "A checklist box was ticked." });
    try {
      await writer.complete(id, { conclusion: report.conclusion, ...output });
    } catch (error) {
      // Never left in progress: if the result cannot be written, say why (the last word GitHub lets us have).
      await writer.complete(id, { conclusion: "failure", ...renderFailureOutput(describeFailure(error)) }).catch(() => undefined);
      throw error;
    }
    deps.metrics.runs.inc({ conclusion: report.conclusion, trigger: "checklist_tick" });
    log.info({ conclusion: report.conclusion }, "checklist re-evaluated; new check run written");
  }
  const { headSha, ...binding } = state.binding;
  const rendered = renderComment(report, { headSha, binding, previousBody: current, config });
  const next = rendered === undefined ? undefined : deps.signer.sign(rendered);
  if (next !== undefined) await writeStickyComment(api, repo, target.pullNumber, { id: target.commentId, body: current }, next);
  return { outcome: "reevaluated", ...where };
}

/**
 * The ticks in the comment now, with the person's edit applied on top: each
 * manual box the edit changed takes the value the person gave it. Boxes the
 * edit did not touch keep their current value (another person may have set them since).
 */
export function mergeTicks(current: ManualTicks, edit: TickTarget["edit"], report: Pick<CheckReport, "checklists">): ManualTicks {
  if (!edit) return current;
  const before = parseManualTicks(edit.before, report);
  const after = parseManualTicks(edit.after, report);
  const merged = new Map([...current].map(([service, items]) => [service, new Set(items)]));
  for (const checklist of report.checklists) {
    for (const item of checklist.items) {
      if (item.kind !== "manual") continue;
      const was = before.get(checklist.service)?.has(item.id) ?? false;
      const now = after.get(checklist.service)?.has(item.id) ?? false;
      if (was === now) continue;
      const set = merged.get(checklist.service) ?? new Set<string>();
      if (now) set.add(item.id);
      else set.delete(item.id);
      merged.set(checklist.service, set);
    }
  }
  return merged;
}

/** Whether the check run would say something different. */
function outcomeChanged(before: CheckReport, after: CheckReport): boolean {
  return (
    before.conclusion !== after.conclusion ||
    JSON.stringify(before.findings) !== JSON.stringify(after.findings) ||
    JSON.stringify(before.ruleRuns) !== JSON.stringify(after.ruleRuns)
  );
}
