import { STATUS_CODES } from "node:http";
import { ProbotOctokit } from "probot";

/** The installation-authenticated GitHub client Probot hands to each webhook (`context.octokit`). */
export type GitHubApi = ProbotOctokit;

/** Which repository the bot reads and writes: always the base repository, also for pull requests from forks. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** The HTTP status of an Octokit request error, if it has one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

export function isNotFound(error: unknown): boolean {
  return httpStatus(error) === 404;
}

/** Short sha for titles and logs. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

// ---- retries and failures ------------------------------------------------------

export interface GitHubClientOptions {
  /** Attempts after the first for 5xx answers, timeouts and dropped connections (default 3). */
  retries?: number;
  /** Backoff unit: the n-th retry waits n² units (default 1000 ms: 1 s, 4 s, 9 s). */
  retryBaseMs?: number;
  /** One request without an answer this long is abandoned and retried (default 30 s). */
  requestTimeoutMs?: number;
  /** Retries after a rate limit, each after GitHub's `retry-after` (default 2). */
  rateLimitRetries?: number;
  /** A `retry-after` longer than this is not waited for: the run fails and says so (default 120 s). */
  maxRetryAfterSeconds?: number;
  /** What one second of `retry-after` lasts here (default 1000 ms; tests shrink it). */
  secondMs?: number;
  /**
   * Octokit's throttling (default on): besides honouring rate limits, it spaces
   * every write and every GraphQL query one second apart per installation, as
   * GitHub asks of integrations. Off only against a GitHub stand-in that has no
   * rate limits (`GITHUB_THROTTLE=off`, used by `npm run bench`).
   */
  throttle?: boolean;
}

/** Thrown by the request timeout; octokit turns it into a RequestError without a response, which the retry plugin retries. */
class GitHubTimeoutError extends Error {
  override readonly name = "GitHubTimeoutError";
}

/**
 * ProbotOctokit with bounded retries: octokit's retry plugin retries 5xx
 * answers, timeouts and dropped connections `retries` times with growing
 * pauses; the throttling plugin honours `retry-after` on secondary rate limits
 * (403/429) and the primary limit's reset, at most `rateLimitRetries` times and
 * never longer than `maxRetryAfterSeconds`; every request gets a timeout. A
 * failure that outlasts all that reaches the run, which names it (see
 * `describeGitHubFailure`). The server passes this class to Probot.
 */
export function botOctokit(options: GitHubClientOptions = {}): typeof ProbotOctokit {
  const retries = options.retries ?? 3;
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const maxWait = options.maxRetryAfterSeconds ?? 120;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const waitAfterLimit = (retryAfter: number, _request: unknown, _octokit: unknown, retryCount: number) =>
    retryCount < rateLimitRetries && retryAfter <= maxWait;
  return ProbotOctokit.defaults((instance: Record<string, any>) => ({
    ...instance,
    // 429 is the throttling plugin's (it reads retry-after); 403 is retried only when it is a rate limit.
    retry: { retries, retryAfterBaseValue: options.retryBaseMs ?? 1000, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451], ...instance["retry"] },
    throttle: {
      ...instance["throttle"],
      ...(options.throttle === false ? { enabled: false } : {}),
      retryAfterBaseValue: options.secondMs ?? 1000,
      onSecondaryRateLimit: waitAfterLimit,
      onRateLimit: waitAfterLimit,
    },
    request: { ...instance["request"], fetch: fetchWithTimeout(instance["request"]?.fetch ?? globalThis.fetch, timeoutMs) },
  })).plugin(noClientPerWebhook) as typeof ProbotOctokit;
}

/**
 * Probot builds an installation client for every webhook before any handler runs (`context.octokit`):
 * in a burst of deliveries, about a sixth of the main thread's time per delivery, spent before the
 * answer. The bot's handlers never use it; those that must ask GitHub (`/recheck`, Re-run) take the
 * installation's client from `probot.auth` when they need it. So Probot gets a stand-in: enough for
 * its Context (which adds a request hook), and an error naming the cause for any other use.
 */
function noClientPerWebhook(octokit: { auth: ((options?: any) => Promise<unknown>) & { hook?: unknown } }) {
  const auth = octokit.auth;
  const authWithoutWebhookClient = (options?: { type?: string }) =>
    options?.type === "event-octokit" ? Promise.resolve(webhookClientStandIn()) : auth(options);
  return { auth: Object.assign(authWithoutWebhookClient, { hook: auth.hook }) };
}

function webhookClientStandIn(): object {
  const own: Record<PropertyKey, unknown> = { hook: { before: () => undefined } };
  return new Proxy(own, {
    get(target, property) {
      // Symbols (Probot's marker), and `then` (the stand-in is awaited), read as plain properties.
      if (typeof property === "symbol" || property === "then" || property in target) return target[property];
      throw new Error(`context.octokit.${property}: this server builds no GitHub client per webhook; use probot.auth(installationId)`);
    },
  });
}

/** The client the server runs with (see `botOctokit`). */
export const BotOctokit = botOctokit({ throttle: process.env.GITHUB_THROTTLE !== "off" });

const TIMED = Symbol("platform-checks timed fetch");

function fetchWithTimeout(inner: typeof fetch & { [TIMED]?: true }, timeoutMs: number): typeof fetch {
  // Probot builds the installation client from the app client's options: wrap once, not twice.
  if (inner[TIMED]) return inner;
  const timed = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const caller = init?.signal ?? undefined;
    try {
      return await inner(input, { ...init, signal: caller ? AbortSignal.any([caller, timeout]) : timeout });
    } catch (error) {
      // The run was stopped (superseded, out of time): octokit passes an AbortError through unretried.
      if (caller?.aborted) throw Object.assign(new Error("the request was aborted"), { name: "AbortError" });
      if (timeout.aborted) throw new GitHubTimeoutError(`GitHub did not answer within ${formatSeconds(timeoutMs)}`);
      throw error;
    }
  };
  return Object.assign(timed, { [TIMED]: true as const });
}

interface RequestErrorLike {
  status: number;
  message: string;
  request?: { method?: string; url?: string; request?: { retryCount?: number } };
  response?: { status: number; headers: Record<string, string | undefined> };
  cause?: unknown;
}

/** A GraphQL answer that came back 200 with `errors` (octokit's GraphqlResponseError). */
export function isGraphqlResponseError(error: unknown): error is Error & { errors?: { type?: string; message?: string }[] } {
  return error instanceof Error && error.name === "GraphqlResponseError";
}

/** An error from a GitHub request (octokit's RequestError, also when no answer came back). */
export function isGitHubRequestError(error: unknown): error is RequestErrorLike {
  return error instanceof Error && error.name === "HttpError" && typeof (error as { status?: unknown }).status === "number";
}

/**
 * What GitHub answered, in words for a check run's title:
 * `GitHub answered 502 Bad Gateway`, `GitHub did not answer within 30 s`,
 * `the connection to GitHub failed (other side closed)`,
 * `GitHub's secondary rate limit (403, retry after 60 s)`.
 */
export function describeGitHubFailure(error: unknown): string {
  if (isGraphqlResponseError(error)) {
    const first = error.errors?.[0];
    if (first?.type === "RATE_LIMITED") return "GitHub's GraphQL rate limit";
    return `GitHub's GraphQL API answered ${firstLine(first?.message ?? "an error")}`;
  }
  if (!isGitHubRequestError(error)) return error instanceof Error ? error.message : String(error);
  const response = error.response;
  if (!response) {
    const cause = error.cause instanceof Error ? error.cause : undefined;
    if (cause instanceof GitHubTimeoutError) return cause.message;
    return `the connection to GitHub failed (${firstLine(error.message)})`;
  }
  const status = response.status;
  const retryAfter = Number(response.headers["retry-after"]);
  if ((status === 403 || status === 429) && (Number.isFinite(retryAfter) || /secondary rate/i.test(error.message))) {
    return `GitHub's secondary rate limit (${status}${Number.isFinite(retryAfter) ? `, retry after ${retryAfter} s` : ""})`;
  }
  if ((status === 403 || status === 429) && response.headers["x-ratelimit-remaining"] === "0") {
    const reset = Number(response.headers["x-ratelimit-reset"]);
    return `GitHub's API rate limit is used up${Number.isFinite(reset) ? ` until ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC` : ""} (${status})`;
  }
  return `GitHub answered ${status} ${STATUS_CODES[status] ?? ""}`.trimEnd();
}

/** Whether trying again later can help: GitHub failed or limited us, rather than refusing the request for good. */
export function isRetryableGitHubFailure(error: unknown): boolean {
  if (isGraphqlResponseError(error)) return error.errors?.some((e) => e.type === "RATE_LIMITED" || /something went wrong|timeout/i.test(e.message ?? "")) ?? false;
  if (!isGitHubRequestError(error)) return false;
  if (!error.response) return true;
  const status = error.response.status;
  return status >= 500 || status === 429 || (status === 403 && /rate limit/i.test(describeGitHubFailure(error)));
}

/** `GET /repos/o/r/git/blobs/…` of a failed request, for the summary (octokit keeps no token in it). */
export function describeGitHubRequest(error: unknown): string | undefined {
  if (!isGitHubRequestError(error) || !error.request?.method || !error.request.url) return undefined;
  const url = new URL(error.request.url, "http://github.invalid");
  return `${error.request.method} ${url.pathname}`;
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.slice(0, 200);
}
