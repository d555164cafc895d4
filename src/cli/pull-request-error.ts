/** `--pr`: GitHub could not be read as asked (no such pull request, no access, unreachable): exit 2. */
export class PullRequestReadError extends Error {
  override name = "PullRequestReadError";
}

/** Where `--pr` reads from when GITHUB_API_URL is not set. */
export const DEFAULT_API_URL = "https://api.github.com";
