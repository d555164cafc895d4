import { Octokit } from "@octokit/rest";
import { config as configPlugin } from "@probot/octokit-plugin-config";
import { loadRepoConfig } from "../bot/config.js";
import type { Config } from "../engine/config.js";
import type { Rule } from "../engine/rule.js";
import { runChecksIsolated } from "../engine/isolation/run-isolated.js";
import { applyReadiness, type CheckReport } from "../engine/run.js";
import { httpStatus, type GitHubApi } from "../github/api.js";
import { BlobCache } from "../github/blob-cache.js";
import { findStickyComment } from "../github/comment.js";
import { loadGitHubSnapshot } from "../github/snapshot.js";
import { rulesReadFolder } from "../github/tree.js";
import { parseManualTicks } from "../report/comment.js";
import type { PullRequestRef } from "./args.js";
import { PullRequestReadError } from "./pull-request-error.js";

export interface PullRequestOptions {
  /** A token that can read the repository; without one, only public repositories (and a low rate limit). */
  token?: string | undefined;
  /** `GITHUB_API_URL`: https://api.github.com, or `https://<host>/api/v3` for GitHub Enterprise. */
  apiUrl: string;
  rules: readonly Rule[];
  ruleIds: ReadonlySet<string>;
  userAgent: string;
}

export interface PullRequestCheck {
  report: CheckReport;
  config: Config;
  headSha: string;
  baseRef: string;
  /** Things the bot would put at the top of the check run's summary (a capped file list, a truncated tree). */
  notes: readonly string[];
}

/**
 * The bot's check of a pull request, read-only: the same configuration loader
 * (the base branch, the org's `.github` fallback, `_extends`), the same
 * GitHub snapshot, the same rules, and the manual ticks of the bot's sticky
 * comment. Only GET requests: nothing is written to GitHub.
 */
export async function checkPullRequest(ref: PullRequestRef, options: PullRequestOptions): Promise<PullRequestCheck> {
  const api = readOnlyClient(options);
  const repo = { owner: ref.owner, repo: ref.repo };
  const where = `${ref.owner}/${ref.repo}#${ref.number}`;
  try {
    const { data: pull } = await api.rest.pulls.get({ ...repo, pull_number: ref.number });
    const baseRef = pull.base.ref;
    const { config } = await loadRepoConfig(api, { ...repo, branch: baseRef }, options.ruleIds);
    const snapshot = await loadGitHubSnapshot(api, {
      ...repo,
      headSha: pull.head.sha,
      baseSha: pull.base.sha,
      changes: { kind: "pull", number: ref.number },
      wanted: rulesReadFolder(config.services_dir),
      cache: new BlobCache(),
    });
    // As the bot does: the rules run in a worker under heap and time budgets.
    const report = await runChecksIsolated(snapshot, config, { rules: options.rules });
    // As the bot does: the boxes people ticked in its comment count.
    const sticky = await findStickyComment(api, repo, ref.number);
    const withTicks = applyReadiness(report, report.checklists, config, parseManualTicks(sticky?.body, report));
    return { report: withTicks, config, headSha: pull.head.sha, baseRef, notes: snapshot.notes };
  } catch (error) {
    const status = httpStatus(error);
    if (status === undefined) throw error;
    const hint =
      status === 401
        ? "the token was refused: check GITHUB_TOKEN"
        : status === 403 || status === 429
          ? "access denied or rate limited: set GITHUB_TOKEN to a token that can read the repository"
          : status === 404
            ? `no such pull request, or the token cannot read ${ref.owner}/${ref.repo} (a private repository answers 404 without access)`
            : "GitHub could not answer";
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new PullRequestReadError(`cannot read ${where} from ${options.apiUrl}: ${hint} (HTTP ${status}: ${message})`);
  }
}

/** A GET, or a GraphQL query (a POST that reads; the snapshot fetches blobs in batches that way), never a mutation. */
function isRead(request: { method: string; url: string; [key: string]: unknown }): boolean {
  if (request.method === "GET" || request.method === "HEAD") return true;
  const query = request["query"];
  return request.method === "POST" && /(^|\/)graphql$/.test(request.url) && typeof query === "string" && !/(^|[\s{}])mutation\b/.test(query) && !/(^|[\s{}])subscription\b/.test(query);
}

/**
 * @octokit/rest with the config plugin Probot uses, refusing anything but reads.
 * The snapshot, config and comment modules are typed for Probot's client, of
 * which they use only `rest`, `paginate` and `config` — the same plugins here.
 */
function readOnlyClient(options: PullRequestOptions): GitHubApi {
  const ReadOnlyOctokit = Octokit.plugin(configPlugin);
  const octokit = new ReadOnlyOctokit({
    baseUrl: options.apiUrl.replace(/\/+$/, ""),
    userAgent: options.userAgent,
    // Request failures surface as errors with a hint; a 404 for a missing config file is normal, not worth a log line.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    ...(options.token ? { auth: options.token } : {}),
  });
  octokit.hook.before("request", (request) => {
    if (!isRead(request)) throw new Error(`platform-checks --pr only reads from GitHub; refusing ${request.method} ${request.url}`);
  });
  return octokit as unknown as GitHubApi;
}
