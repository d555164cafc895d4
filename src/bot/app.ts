import type { ApplicationFunction, Context, Probot } from "probot";
import type { Logger } from "pino";
import type { Rule } from "../engine/rule.js";
import { httpStatus, type GitHubApi, type RepoRef } from "../github/api.js";
import { BlobCache } from "../github/blob-cache.js";
import { isOwnStickyComment } from "../github/comment.js";
import { hasWriteAccess } from "../github/permission.js";
import { parseManualTicks } from "../report/comment.js";
import { checkConcurrency } from "../engine/concurrency.js";
import type { CheckPool } from "../engine/isolation/run-isolated.js";
import { InProcessQueue } from "../queue/in-process.js";
import { completeRunsLeftByEarlierAttempt, sweepInterruptedRuns } from "../queue/interrupted-runs.js";
import type { JobProcessor } from "../queue/job.js";
import type { WorkQueue } from "../queue/work-queue.js";
import { RULE_IDS, RULES } from "../rules/index.js";
import { runCheckJob, type BotDeps } from "./check-job.js";
import { CommentSigner } from "./comment-signature.js";
import { BotMetrics } from "./metrics.js";
import { asksForRecheck } from "./recheck.js";
import { branchName, queueKey, type CheckTarget } from "./target.js";
import { runTickJob } from "./tick-job.js";

export interface AppOptions {
  /** Rules to run (default: every rule). Tests pass a few. */
  rules?: readonly Rule[];
  /** Valid keys of the config's `rules:` map (default: every rule id, whatever `rules` is). */
  ruleIds?: ReadonlySet<string>;
  /** This app's id: check runs and comments of other apps are then ignored. */
  appId?: number;
  /** Contents by blob sha, shared across runs (default: a new 64 MB cache). */
  cache?: BlobCache;
  /** Workers the checks run in (default: the process's shared pool, started on first use). */
  checkPool?: CheckPool;
  metrics?: BotMetrics;
  /** A run still going after this long completes as a failure (default 10 minutes). */
  runTimeoutMs?: number;
  /**
   * Secret for signing the report embedded in the comment (the server passes
   * the webhook secret). Without one a random key is used, so after a restart
   * a tick falls back to a full re-run.
   */
  stateSecret?: string;
  /**
   * Look for check runs left in progress by an interrupted run (interrupted-runs.ts)
   * when the app loads and then every `intervalMs`. Off unless set (the server sets it).
   */
  sweep?: { intervalMs: number };
}

export interface PlatformChecksApp<Q extends WorkQueue = InProcessQueue> extends ApplicationFunction {
  /** Resolves when no work is queued, running, or being looked up. */
  onIdle(): Promise<void>;
  /** Stops taking work: waits up to `graceMs` for running jobs; the rest complete as interrupted (in-process) or go back to the queue (Redis). */
  shutdown(graceMs: number): Promise<void>;
  /** One sweep for interrupted runs now; resolves with how many it completed. */
  sweepInterruptedRuns(): Promise<number>;
  readonly queue: Q;
  readonly metrics: BotMetrics;
}

const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.reopened",
  "pull_request.synchronize",
  "pull_request.ready_for_review",
  "pull_request.edited",
] as const;

/** Merge-queue branches: `gh-readonly-queue/<base>/pr-<n>-<sha>`. */
const MERGE_QUEUE_BRANCH = /^(?:refs\/heads\/)?gh-readonly-queue\/(.+)\/pr-\d+-[0-9a-f]+$/;

/**
 * The Probot app (SPEC section 4). Every handler only filters the payload and
 * enqueues work, so the webhook is answered at once; the work runs on the
 * per-pull-request queue.
 */
export function createApp(options?: AppOptions): PlatformChecksApp<InProcessQueue>;
export function createApp<Q extends WorkQueue>(options: AppOptions & { queue: Q }): PlatformChecksApp<Q>;
export function createApp(options: AppOptions & { queue?: WorkQueue } = {}): PlatformChecksApp<WorkQueue> {
  const metrics = options.metrics ?? new BotMetrics();
  const runTimeoutMs = options.runTimeoutMs ?? 10 * 60_000;
  const queue: WorkQueue =
    options.queue ??
    new InProcessQueue({ timeoutMs: runTimeoutMs, concurrency: checkConcurrency(), onWait: (seconds) => metrics.queueWait.observe(seconds) });
  metrics.observe(queue);
  const deps: BotDeps = {
    rules: options.rules ?? RULES,
    ruleIds: options.ruleIds ?? RULE_IDS,
    appId: options.appId,
    cache: options.cache ?? new BlobCache(),
    metrics,
    signer: new CommentSigner(options.stateSecret),
    ...(queue.guard ? { guard: queue.guard } : {}),
    ...(options.checkPool ? { pool: options.checkPool } : {}),
  };
  const loadedAt = Date.now();
  let probotRef: Probot | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  const instrumented = new WeakSet<object>();

  /** Counts failed GitHub requests (the /metrics API error counter). */
  const instrument = (api: GitHubApi): GitHubApi => {
    if (!instrumented.has(api)) {
      instrumented.add(api);
      api.hook.error("request", (error) => {
        const status = httpStatus(error);
        if (status !== 404) metrics.apiErrors.inc({ status: status === undefined ? "network" : String(status) });
        throw error;
      });
    }
    return api;
  };

  const enqueueCheck = async (installationId: number, target: CheckTarget, log: Logger) => {
    await queue.enqueue({ kind: "check", installationId, target });
    log.debug({ key: queueKey(target), sha: target.headSha, trigger: target.trigger }, "check queued");
  };

  /**
   * Runs `enqueue` for a delivery seen for the first time; a redelivery (same
   * X-GitHub-Delivery within a day, in any replica) is acknowledged and ignored.
   * When enqueueing fails the webhook fails too, and the delivery is forgotten
   * so that GitHub's redelivery runs.
   */
  const once = async (context: Context, enqueue: () => Promise<void>) => {
    if (!(await queue.firstDelivery(context.id))) {
      metrics.duplicateDeliveries.inc();
      context.log.info({ delivery: context.id }, "delivery seen before; ignored");
      return;
    }
    try {
      await enqueue();
    } catch (error) {
      await queue.forgetDelivery(context.id).catch(() => undefined);
      throw error;
    }
  };

  /**
   * Work that must ask GitHub before it knows what to enqueue (`/recheck`, the
   * Re-run buttons). With a durable queue the webhook waits for it, so that it
   * is answered only once the job is stored (a failure answers 5xx and GitHub
   * may redeliver); in-process nothing would survive a crash anyway, so the
   * webhook is answered at once and the lookup runs in the background.
   */
  const lookUpThenEnqueue = async (work: Promise<void>): Promise<void> => {
    if (queue.backend === "redis") await work;
    else queue.track(work);
  };

  /**
   * The installation's client for a webhook that must ask GitHub (`/recheck`, Re-run), built when it
   * is needed rather than taken from `context.octokit`: the server does not build a client for every
   * webhook (see `botOctokit`). Its requests carry the delivery id, as Probot's own would.
   */
  const webhookClient = async (installationId: number, deliveryId: string): Promise<GitHubApi> => {
    const api = instrument((await probotRef!.auth(installationId)) as GitHubApi);
    api.hook.before("request", (request) => {
      request.headers["x-github-delivery"] = deliveryId;
    });
    return api;
  };

  /** Does one queued job, in whichever replica took it, as the installation. */
  const processJob: JobProcessor = async (data, { signal, resumed }) => {
    const probot = probotRef!;
    const api = instrument((await probot.auth(data.installationId)) as GitHubApi);
    if (data.kind === "check") {
      const { target } = data;
      const log = probot.log.child({ name: "platform-checks", key: queueKey(target), sha: target.headSha, trigger: target.trigger });
      if (resumed) {
        await completeRunsLeftByEarlierAttempt(api, { owner: target.owner, repo: target.repo }, target.headSha, deps.appId, log).then(
          (n) => metrics.interruptedRuns.inc(n),
          (error: unknown) => log.error({ err: error }, "could not complete the run an interrupted attempt left in progress"),
        );
      }
      await runCheckJob(api, target, deps, signal, log);
      return;
    }
    const { tick } = data;
    const log = probot.log.child({ name: "platform-checks", key: queueKey({ ...tick, headSha: "" }), trigger: "checklist_tick" });
    try {
      const result = await runTickJob(api, tick, deps, log);
      if (result.outcome === "needs-full-run") {
        await enqueueCheck(
          data.installationId,
          { owner: tick.owner, repo: tick.repo, headSha: result.headSha, baseSha: result.baseSha, baseRef: result.baseRef, pullNumber: tick.pullNumber, trigger: "checklist_tick", supersedes: true },
          log,
        );
      }
    } catch (error) {
      // Nothing was left in progress; the next push or /recheck brings the check run up to date.
      log.error({ err: error }, "checklist tick could not be re-evaluated");
    }
  };

  const sweep = async (): Promise<number> => {
    const probot = probotRef;
    if (!probot) return 0;
    const log = probot.log.child({ name: "platform-checks", task: "interrupted-run sweep" });
    let completed = 0;
    // A run older than the timeout cannot be live (the timeout would have ended it); in-process, nothing
    // a previous process started is live either.
    const staleBefore = () => Date.now() - runTimeoutMs - 60_000;
    await queue.exclusively("interrupted-run-sweep", options.sweep?.intervalMs ?? 60_000, async () => {
      completed = await sweepInterruptedRuns(probot, queue, {
        appId: deps.appId,
        isStale: (startedAt) => startedAt.getTime() < staleBefore() || (queue.backend === "in-process" && startedAt.getTime() < loadedAt),
        log,
        onInterrupted: () => metrics.interruptedRuns.inc(),
      });
    });
    return completed;
  };

  const app: ApplicationFunction = (probot: Probot) => {
    probotRef = probot;
    queue.start(processJob, probot.log.child({ name: "platform-checks" }));
    if (options.sweep) {
      const sweepLogged = () =>
        void sweep().catch((error: unknown) => probot.log.error({ err: error }, "the interrupted-run sweep failed; it runs again later"));
      sweepLogged();
      sweepTimer = setInterval(sweepLogged, options.sweep.intervalMs);
      sweepTimer.unref();
    }
    probot.on([...PULL_REQUEST_EVENTS], async (context) => {
      const { payload } = context;
      if (payload.action === "edited" && !("changes" in payload && payload.changes.base)) return;
      const pull = payload.pull_request;
      if (pull.state !== "open") return;
      // Drafts are checked too: early feedback is the point, and ready_for_review re-runs anyway.
      await once(context, () =>
        enqueueCheck(
        installationOf(context),
        {
          ...repoOf(context),
          headSha: pull.head.sha,
          baseSha: pull.base.sha,
          baseRef: pull.base.ref,
          pullNumber: pull.number,
          trigger: `pull_request.${payload.action}`,
          supersedes: true,
        },
        context.log,
      ),
      );
    });

    probot.on("merge_group.checks_requested", async (context) => {
      const group = context.payload.merge_group;
      await once(context, () =>
        enqueueCheck(
        installationOf(context),
        {
          ...repoOf(context),
          headSha: group.head_sha,
          baseSha: group.base_sha,
          baseRef: branchName(group.base_ref),
          trigger: "merge_group.checks_requested",
          supersedes: false,
        },
        context.log,
      ),
      );
    });

    probot.on("check_run.rerequested", async (context) => {
      const run = context.payload.check_run;
      if (!isOwnApp(run.app?.id)) return;
      await rerun(context, run.head_sha, run.check_suite?.head_branch ?? null, run.pull_requests, "check_run.rerequested");
    });

    probot.on("check_suite.rerequested", async (context) => {
      const suite = context.payload.check_suite;
      if (!isOwnApp(suite.app?.id)) return;
      await rerun(context, suite.head_sha, suite.head_branch, suite.pull_requests, "check_suite.rerequested");
    });

    probot.on("issue_comment.created", async (context) => {
      const { comment, issue, sender } = context.payload;
      if (!issue.pull_request || sender.type === "Bot" || !asksForRecheck(comment.body)) return;
      const repo = repoOf(context);
      const installationId = installationOf(context);
      await once(context, () => lookUpThenEnqueue(
        (async () => {
          const api = await webhookClient(installationId, context.id);
          const allowed = await hasWriteAccess(api, repo, sender.login);
          await api.rest.reactions.createForIssueComment({ ...repo, comment_id: comment.id, content: allowed ? "+1" : "-1" });
          if (!allowed) {
            context.log.info({ user: sender.login }, "/recheck refused: no write access");
            return;
          }
          const { data: pull } = await api.rest.pulls.get({ ...repo, pull_number: issue.number });
          await enqueueCheck(
            installationId,
            {
              ...repo,
              headSha: pull.head.sha,
              baseSha: pull.base.sha,
              baseRef: pull.base.ref,
              pullNumber: pull.number,
              trigger: "issue_comment.recheck",
              supersedes: true,
            },
            context.log,
          );
        })(),
      ));
    });

    probot.on("issue_comment.edited", async (context) => {
      const { comment, issue, sender, changes } = context.payload;
      if (!issue.pull_request || sender.type === "Bot") return;
      if (!isOwnStickyComment(comment, deps.appId)) return;
      const before = changes.body?.from;
      if (before === undefined || sameTicks(before, comment.body)) return;
      const repo = repoOf(context);
      await once(context, () =>
        queue.enqueue({ kind: "tick", installationId: installationOf(context), tick: { ...repo, pullNumber: issue.number, commentId: comment.id, edit: { before, after: comment.body ?? "" } } }),
      );
    });
  };

  function isOwnApp(id: number | null | undefined): boolean {
    return deps.appId === undefined || id == null || id === deps.appId;
  }

  /** The Re-run buttons: find what the head belongs to (pull requests, or a merge group) and check it again. */
  function rerun(
    context: Context<"check_run"> | Context<"check_suite">,
    headSha: string,
    headBranch: string | null,
    pulls: readonly { number: number; head: { sha: string }; base: { ref: string; sha: string } }[],
    trigger: string,
  ): Promise<void> {
    const repo = repoOf(context);
    const installationId = installationOf(context);
    return once(context, () => lookUpThenEnqueue(
      (async () => {
        const api = await webhookClient(installationId, context.id);
        const queued = headBranch ? MERGE_QUEUE_BRANCH.exec(headBranch) : null;
        if (queued) {
          const { data: commit } = await api.rest.git.getCommit({ ...repo, commit_sha: headSha });
          const base = commit.parents[0]?.sha;
          if (base) await enqueueCheck(installationId, { ...repo, headSha, baseSha: base, baseRef: queued[1]!, trigger, supersedes: false }, context.log);
          return;
        }
        // Pull requests from forks are not listed in the payload: look among the open ones.
        const targets =
          pulls.length > 0
            ? pulls
            : (await api.paginate(api.rest.pulls.list, { ...repo, state: "open", per_page: 100 })).filter((p) => p.head.sha === headSha);
        if (targets.length === 0) context.log.info({ headSha }, "re-run requested for a commit with no open pull request; nothing to do");
        for (const pull of targets) {
          await enqueueCheck(
            installationId,
            {
              ...repo,
              headSha,
              baseSha: pull.base.sha,
              baseRef: pull.base.ref,
              pullNumber: pull.number,
              // The pull request's file list describes its latest head only.
              changes: pull.head.sha === headSha ? "pull" : "compare",
              trigger,
              supersedes: false,
            },
            context.log,
          );
        }
      })(),
    ));
  }

  return Object.assign(app, {
    onIdle: () => queue.onIdle(),
    shutdown: async (graceMs: number) => {
      if (sweepTimer) clearInterval(sweepTimer);
      await queue.shutdown(graceMs);
    },
    sweepInterruptedRuns: sweep,
    queue,
    metrics,
  });
}

function installationOf(context: { payload: { installation?: { id: number } } }): number {
  const id = context.payload.installation?.id;
  if (id === undefined) throw new Error("event without an installation");
  return id;
}

function repoOf(context: { payload: { repository?: { owner: { login: string }; name: string } } }): RepoRef {
  const repository = context.payload.repository;
  if (!repository) throw new Error("event without a repository");
  return { owner: repository.owner.login, repo: repository.name };
}

function sameTicks(before: string, after: string | null | undefined): boolean {
  const key = (body: string | null | undefined) =>
    JSON.stringify([...parseManualTicks(body)].map(([service, items]) => [service, [...items].sort()]).sort());
  return key(before) === key(after);
}
