import nock from "nock";
import { afterAll, beforeAll, expect, test } from "vitest";
import { measurePullChecks, requestBudget } from "../../src/bench/pull-scenarios.js";

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => nock.enableNetConnect());

test("the budget: 8 requests, plus one per 50 annotations beyond the first 50", () => {
  expect(requestBudget(0)).toBe(8);
  expect(requestBudget(50)).toBe(8);
  expect(requestBudget(51)).toBe(9);
  expect(requestBudget(120)).toBe(10);
});

// Every rule, the real app, the stand-in on loopback: each check's requests are counted where GitHub would see them.
test("a check with every rule stays within the request budget, for 1 service, 5 services, 3000 files, and a re-check", async () => {
  const counts = await measurePullChecks({ services: 6 });
  for (const count of counts) {
    expect(count.conclusion, count.scenario).toBe("success");
    // The message lists the requests, so a failure says which one is too many.
    expect(count.requests, `${count.scenario}:\n  ${count.calls.join("\n  ")}\n`).toBeLessThanOrEqual(count.budget);
  }
  const [one, five, many, recheck] = counts;
  expect(many!.changedFiles).toBe(3000);
  // Contents come in GraphQL batches; no file is read one request at a time.
  for (const count of [one!, five!, many!]) expect(count.restBlobReads, count.scenario).toBe(0);
  expect(five!.blobBatchSizes).toHaveLength(1);
  // After a one-file push, only that file's blob is fetched: one batch holding one object.
  expect(recheck!.blobBatchSizes).toEqual([1]);
}, 300_000);
