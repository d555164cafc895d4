import { expect, test } from "vitest";
import { describeFailure } from "../../src/bot/check-job.js";
import { SnapshotReadError } from "../../src/engine/snapshot.js";
import { renderFailureOutput } from "../../src/report/check-run.js";

/** Octokit's RequestError, as it reaches the run after the client's retries. */
function requestError(status: number, message: string, headers: Record<string, string> = {}, response = true) {
  return Object.assign(new Error(message), {
    name: "HttpError",
    status,
    request: { method: "GET", url: "https://api.github.com/repos/loop/platform/git/trees/abc?recursive=1", headers: {} },
    ...(response ? { response: { status, url: "", headers, data: { message } } } : {}),
  });
}

const title = (error: unknown) => renderFailureOutput(describeFailure(error)).title;

test("a GitHub answer is named by its status and its reason phrase, with the request in the summary", () => {
  expect(title(requestError(502, "Bad Gateway"))).toBe("Could not finish: GitHub answered 502 Bad Gateway; comment /recheck to retry");
  expect(describeFailure(requestError(502, "Bad Gateway")).detail).toContain("GET /repos/loop/platform/git/trees/abc, after retries");
  expect(title(requestError(404, "Not Found"))).toBe("Could not finish: GitHub answered 404 Not Found; comment /recheck to retry");
});

test("rate limits say which, and for how long", () => {
  expect(title(requestError(403, "You have exceeded a secondary rate limit", { "retry-after": "60" }))).toBe(
    "Could not finish: GitHub's secondary rate limit (403, retry after 60 s); comment /recheck to retry",
  );
  expect(title(requestError(403, "API rate limit exceeded", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Date.UTC(2026, 0, 1, 12, 30) / 1000) }))).toBe(
    "Could not finish: GitHub's API rate limit is used up until 12:30 UTC (403); comment /recheck to retry",
  );
});

test("no answer at all is not called a 500", () => {
  const dropped = Object.assign(requestError(500, "other side closed", {}, false), { cause: new Error("other side closed") });
  expect(title(dropped)).toBe("Could not finish: the connection to GitHub failed (other side closed); comment /recheck to retry");
});

test("a failed snapshot read names the file, also when copied across a worker boundary", () => {
  const read = new SnapshotReadError("services/a/service.yaml", "GitHub answered 502 Bad Gateway", true);
  expect(title(read)).toBe("Could not finish: GitHub answered 502 Bad Gateway reading services/a/service.yaml; comment /recheck to retry");
  const copied = structuredClone({ name: "SnapshotReadError", path: read.path, reason: read.reason, retryable: false, message: read.message });
  expect(title(copied)).toBe("Could not finish: GitHub answered 502 Bad Gateway reading services/a/service.yaml");
});

test("a budget names itself and is no internal error; anything else is", () => {
  const budget = Object.assign(new Error("the check ran out of its 300-second time budget while reading services/a/x.ts"), { name: "CheckBudgetExceeded" });
  expect(title(budget)).toBe("Could not finish: the check ran out of its 300-second time budget while reading services/a/x.ts");
  expect(title(new TypeError("x is undefined"))).toBe("Could not finish: internal error: x is undefined; comment /recheck to retry");
  expect(title(new Error("aborted"))).toContain("internal error");
  expect(renderFailureOutput(describeFailure(new Error("x"), { kind: "timeout", afterMs: 600_000 })).title).toBe(
    "Could not finish: the check took longer than 600 seconds and was stopped; comment /recheck to retry",
  );
});

test("a GraphQL answer with errors is GitHub's, not ours", () => {
  const graphql = (type: string, message: string) => Object.assign(new Error(`Request failed due to following response errors:\n - ${message}`), { name: "GraphqlResponseError", errors: [{ type, message }] });
  expect(title(graphql("RATE_LIMITED", "API rate limit exceeded"))).toBe("Could not finish: GitHub's GraphQL rate limit; comment /recheck to retry");
  expect(title(graphql("NOT_FOUND", "Could not resolve to a Repository"))).toBe(
    "Could not finish: GitHub's GraphQL API answered Could not resolve to a Repository; comment /recheck to retry",
  );
});
