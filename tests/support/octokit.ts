import { pino } from "pino";
import { ProbotOctokit } from "probot";
import type { GitHubApi } from "../../src/github/api.js";

/** An installation-like client for the fake GitHub (token auth, no retries, no throttle, silent). */
export function fakeOctokit(apiUrl: string): GitHubApi {
  return new ProbotOctokit({
    baseUrl: apiUrl,
    auth: { token: "ghs_test" },
    log: pino({ level: "silent" }),
    retry: { enabled: false },
    throttle: { enabled: false },
  });
}
