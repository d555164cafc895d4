import type { Logger } from "pino";
import { ConfigError, DEFAULT_CONFIG, type Config } from "../engine/config.js";
import type { Rule } from "../engine/rule.js";
import { runChecksIsolated, type CheckPool } from "../engine/isolation/run-isolated.js";
import { applyReadiness, type CheckReport } from "../engine/run.js";
import {
  describeGitHubFailure,
  describeGitHubRequest,
  isGitHubRequestError,
  isGraphqlResponseError,
  isRetryableGitHubFailure,
  shortSha,
  type GitHubApi,
} from "../github/api.js";
import type { BlobCache } from "../github/blob-cache.js";
import { CheckRunWriter, type CheckRunResult } from "../github/check-run.js";
import { findStickyComment, writeStickyComment } from "../github/comment.js";
import { readPullState } from "../github/pull-state.js";
import { loadGitHubSnapshot } from "../github/snapshot.js";
import { rulesReadFolder } from "../github/tree.js";
import { renderCheckRun, renderFailureOutput, type RunFailure } from "../report/check-run.js";
import { parseManualTicks, renderComment, type StateBinding } from "../report/comment.js";
import { loadRepoConfig } from "./config.js";
import { configDigest, rulesetVersion, type CommentSigner } from "./comment-signature.js";
import type { BotMetrics } from "./metrics.js";
import { abortReason, type AbortReason } from "./queue.js";
import type { CheckTarget } from "./target.js";
import type { RunGuard } from "../queue/work-queue.js";

/** What the jobs share, set up once by `createApp`. */
export interface BotDeps {
  rules: readonly Rule[];
  /** Valid keys of the `rules:` config map. */
  ruleIds: ReadonlySet<string>;
  /** This app's id, to recognise its own check runs and comments. */
  appId?: number | undefined;
  cache: BlobCache;
  metrics: BotMetrics;
  /** Signs the report embedded in the sticky comment (see CommentSigner). */
  signer: CommentSigner;
  /** The rule set's version bound into the comment's signed state (default: `rulesetVersion(rules)`). */
  rulesetVersion?: string;
  /** With a queue shared by replicas: asked before writing the conclusion and the comment (src/queue/work-queue.ts). */
  guard?: RunGuard;
  /** Workers the checks run in (default: the process's shared pool). */
  pool?: CheckPool;
}

/** The pull request moved on while the run was working. */
class Superseded extends Error {
  constructor(readonly by: string) {
    super(`superseded by ${by}`);
  }
}

/**
 * One full check of a head commit: read the config from the base branch,
 * open the check run (in progress), snapshot the head, run the rules, and
 * complete the check run — always, whatever fails — then write the sticky
 * comment if the head is still the pull request's latest.
 */
export async function runCheckJob(api: GitHubApi, target: CheckTarget, deps: BotDeps, signal: AbortSignal, log: Logger): Promise<void> {
  const repo = { owner: target.owner, repo: target.repo };
  const writer = new CheckRunWriter(api, repo);
  const stopTimer = deps.metrics.runDuration.startTimer({ trigger: target.trigger });
  let config: Config = DEFAULT_CONFIG;
  let checkRunId: number | undefined;
  let completedAs: string | undefined;
  const complete = async (result: CheckRunResult) => {
    await writer.complete(checkRunId!, result);
    completedAs = result.conclusion;
  };

  try {
    let configProblem: RunFailure | undefined;
    try {
      config = (await loadRepoConfig(api, { ...repo, branch: target.baseRef }, deps.ruleIds)).config;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      configProblem = {
        headline: error.message,
        detail: `${error.message}. The configuration is read from the base branch (${target.baseRef}): fix it there, then re-run.`,
        retry: "fix",
      };
    }
    throwIfAborted(signal);
    checkRunId = await writer.start(config.check_name, target.headSha, {
      title: "Checking…",
      summary: `Checking ${shortSha(target.headSha)} against the platform conventions.`,
    });
    if (configProblem !== undefined) {
      log.warn({ problem: configProblem.detail }, "invalid configuration");
      await complete({ conclusion: "failure", ...renderFailureOutput(configProblem) });
      return;
    }

    const snapshot = await loadGitHubSnapshot(api, {
      ...repo,
      headSha: target.headSha,
      baseSha: target.baseSha,
      changes:
        target.pullNumber !== undefined && (target.changes ?? "pull") === "pull" ? { kind: "pull", number: target.pullNumber } : { kind: "compare" },
      wanted: rulesReadFolder(config.services_dir),
      cache: deps.cache,
      log,
      signal,
    });
    throwIfAborted(signal);
    // In a worker of the shared pool, under heap and time budgets; aborting the job terminates it.
    let report = await runChecksIsolated(snapshot, config, { rules: deps.rules, signal, ...(deps.pool ? { pool: deps.pool } : {}) });
    throwIfAborted(signal);

    let sticky: Awaited<ReturnType<typeof findStickyComment>>;
    let isLatestHead = false;
    if (target.pullNumber !== undefined) {
      // The head and the sticky comment in one request (issue 10's budget), read as late as
      // possible so that a tick set a moment ago survives this rewrite.
      const pull = await readPullState(api, repo, target.pullNumber, deps.appId);
      isLatestHead = pull.headSha === target.headSha;
      // The pull request moved on: a push supersedes this run; a deliberate re-run of an
      // older commit still gets its result, but the comment stays with the newest head.
      if (!isLatestHead && target.supersedes) throw new Superseded(pull.headSha);
      sticky = pull.sticky;
      report = applyReadiness(report, report.checklists, config, parseManualTicks(sticky?.body, report));
    }

    // Another replica may have been given a newer head of this pull request.
    const newer = target.supersedes ? await deps.guard?.supersededBy(target) : undefined;
    if (newer !== undefined) throw new Superseded(newer);

    await complete({ conclusion: report.conclusion, ...renderCheckRun(report, config, snapshot.notes) });
    log.info({ conclusion: report.conclusion, findings: report.findings.length, services: report.services, fetchedBlobs: snapshot.fetchedBlobs }, "check completed");

    if (target.pullNumber !== undefined && isLatestHead) {
      // A newer head arrived meanwhile: its run writes the comment.
      throwIfAborted(signal);
      const write = async () => {
        // Under the guard's lock: another replica may have created the comment since it was read.
        const current = sticky ?? (deps.guard ? await findStickyComment(api, repo, target.pullNumber!, deps.appId) : undefined);
        await writeComment(api, target, report, config, current, deps);
      };
      await (deps.guard ? deps.guard.commentWrite(target, write) : write());
    }
  } catch (error) {
    const reason = abortReason(signal) ?? (error instanceof Superseded ? ({ kind: "superseded", by: error.by } as const) : undefined);
    if (completedAs !== undefined) {
      // The check run is right; only the comment could not be written.
      if (reason?.kind !== "superseded") log.error({ err: error }, "check run completed, but the comment could not be written");
      return;
    }
    await finishUnfinished(writer, config, target, checkRunId, error, reason, log).then(
      (conclusion) => (completedAs = conclusion),
      (finalError: unknown) => log.error({ err: finalError, cause: error }, "could not complete the check run"),
    );
  } finally {
    stopTimer();
    deps.metrics.runs.inc({ conclusion: completedAs ?? "incomplete", trigger: target.trigger });
  }
}

/** Completes a run that could not finish: cancelled when superseded, failure otherwise (never left in progress). */
async function finishUnfinished(
  writer: CheckRunWriter,
  config: Config,
  target: CheckTarget,
  checkRunId: number | undefined,
  error: unknown,
  reason: AbortReason | undefined,
  log: Logger,
): Promise<string | undefined> {
  if (reason?.kind === "superseded") {
    log.info({ by: reason.by }, "run superseded by a newer head");
    if (checkRunId === undefined) return undefined; // nothing was shown for this head yet
    await writer.complete(checkRunId, {
      conclusion: "cancelled",
      title: `Superseded by a newer push (${shortSha(reason.by)})`,
      summary: `The pull request moved on to ${shortSha(reason.by)} while ${shortSha(target.headSha)} was being checked; the newer commit is checked instead. Use the **Re-run** button to check this commit anyway.`,
    });
    return "cancelled";
  }
  const failure = describeFailure(error, reason);
  log.error({ err: error, reason }, `check could not finish: ${failure.headline}`);
  const id = checkRunId ?? (await writer.start(config.check_name, target.headSha, { title: "Checking…", summary: "Starting." }));
  await writer.complete(id, { conclusion: "failure", ...renderFailureOutput(failure) });
  return "failure";
}

/**
 * Names what stopped the run: GitHub (after the client's retries), a read of
 * the snapshot, a budget, the queue — and only otherwise an internal error.
 * Matched by `name`, not `instanceof`, so errors copied across a worker boundary count.
 */
export function describeFailure(error: unknown, reason?: AbortReason): RunFailure {
  if (reason?.kind === "timeout") return { headline: `the check took longer than ${Math.round(reason.afterMs / 1000)} seconds and was stopped`, retry: "recheck" };
  if (reason?.kind === "shutdown") return { headline: "the bot was restarted while checking this commit", retry: "recheck" };
  const named = error as { name?: unknown; path?: unknown; reason?: unknown; retryable?: unknown; cause?: unknown } | null;
  if (named?.name === "SnapshotReadError" && typeof named.path === "string" && typeof named.reason === "string") {
    const headline = `${named.reason} reading ${named.path}`;
    const request = describeGitHubRequest(named.cause);
    return { headline, detail: request ? `${headline} (${request}), after retries.` : headline, retry: named.retryable === false ? "fix" : "recheck" };
  }
  if (isGraphqlResponseError(error)) return { headline: describeGitHubFailure(error), detail: error.message, retry: "recheck" };
  if (isGitHubRequestError(error)) {
    const headline = describeGitHubFailure(error);
    const request = describeGitHubRequest(error);
    const retries = isRetryableGitHubFailure(error) ? ", after retries" : "";
    return { headline, detail: `${headline}${request ? ` to ${request}` : ""}${retries}: ${error.message}`, retry: "recheck" };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (named?.name === "CheckBudgetExceeded") return { headline: message, detail: `${message}. A file this costly to check is the likely cause.`, retry: "fix" };
  return { headline: `internal error: ${message.split("\n")[0]!.slice(0, 300)}`, detail: message, retry: "recheck" };
}

async function writeComment(
  api: GitHubApi,
  target: CheckTarget,
  report: CheckReport,
  config: Config,
  sticky: Awaited<ReturnType<typeof findStickyComment>>,
  deps: Pick<BotDeps, "signer" | "rulesetVersion" | "rules">,
): Promise<void> {
  const { headSha, ...binding } = stateBinding(target, config, deps);
  const body = renderComment(report, { headSha, binding, ...(sticky ? { previousBody: sticky.body } : {}), config });
  if (body === undefined) return; // nothing to say and no comment yet
  await writeStickyComment(api, { owner: target.owner, repo: target.repo }, target.pullNumber!, sticky, deps.signer.sign(body));
}

/** What the comment's report is computed for: a tick may reuse it only while all of this still holds. */
export function stateBinding(
  target: Pick<CheckTarget, "owner" | "repo" | "pullNumber" | "headSha" | "baseSha">,
  config: Config,
  deps: Pick<BotDeps, "rulesetVersion" | "rules">,
): StateBinding {
  return {
    repository: `${target.owner}/${target.repo}`,
    ...(target.pullNumber !== undefined ? { pullNumber: target.pullNumber } : {}),
    headSha: target.headSha,
    baseSha: target.baseSha,
    configDigest: configDigest(config),
    rulesetVersion: deps.rulesetVersion ?? rulesetVersion(deps.rules),
  };
}


function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Error("aborted");
}
