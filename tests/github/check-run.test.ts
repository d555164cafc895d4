import nock from "nock";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { CheckRunWriter } from "../../src/github/check-run.js";
import type { CheckRunAnnotation } from "../../src/report/check-run.js";
import { fakeOctokit } from "../support/octokit.js";

const api = "https://api.github.test";
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const annotation = (n: number): CheckRunAnnotation => ({
  path: "services/a/service.yaml",
  start_line: n,
  end_line: n,
  annotation_level: "warning",
  title: "rule",
  message: `finding ${n}`,
});

function writer() {
  return new CheckRunWriter(fakeOctokit(api), { owner: "loop", repo: "platform" });
}

test("start creates the check run in progress with a start time", async () => {
  let body: any;
  const scope = nock(api)
    .post("/repos/loop/platform/check-runs", (b) => ((body = b), true))
    .reply(201, { id: 5 });
  expect(await writer().start("Loop Platform / pre-merge", "a".repeat(40), { title: "Checking…", summary: "…" })).toBe(5);
  expect(scope.isDone()).toBe(true);
  expect(body).toMatchObject({ name: "Loop Platform / pre-merge", head_sha: "a".repeat(40), status: "in_progress", output: { title: "Checking…" } });
  expect(Date.parse(body.started_at)).not.toBeNaN();
});

test("120 annotations: two updates of 50 that leave it in progress, then 20 with the conclusion", async () => {
  const bodies: any[] = [];
  const scope = nock(api)
    .patch("/repos/loop/platform/check-runs/5", (b) => (bodies.push(b), true))
    .times(3)
    .reply(200, { id: 5 });
  await writer().complete(5, { conclusion: "failure", title: "120 warnings", summary: "s", annotations: Array.from({ length: 120 }, (_, i) => annotation(i + 1)) });
  expect(scope.isDone()).toBe(true);
  expect(bodies.map((b) => b.output.annotations.length)).toEqual([50, 50, 20]);
  expect(bodies.map((b) => b.status)).toEqual([undefined, undefined, "completed"]);
  expect(bodies.map((b) => b.conclusion)).toEqual([undefined, undefined, "failure"]);
  expect(bodies.flatMap((b) => b.output.annotations.map((a: CheckRunAnnotation) => a.start_line))).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
  expect(bodies.every((b) => b.output.title === "120 warnings" && b.output.summary === "s")).toBe(true);
});

test("no annotations: one update that completes, with no annotations key", async () => {
  let body: any;
  const scope = nock(api)
    .patch("/repos/loop/platform/check-runs/5", (b) => ((body = b), true))
    .reply(200, { id: 5 });
  await writer().complete(5, { conclusion: "success", title: "All checks passed", summary: "s" });
  expect(scope.isDone()).toBe(true);
  expect(body).toMatchObject({ status: "completed", conclusion: "success", output: { title: "All checks passed", summary: "s" } });
  expect(body.output.annotations).toBeUndefined();
  expect(Date.parse(body.completed_at)).not.toBeNaN();
});

test("text over GitHub's limits is cut with a note, counted in UTF-8 bytes and never inside a character", async () => {
  let body: any;
  nock(api)
    .patch("/repos/loop/platform/check-runs/5", (b) => ((body = b), true))
    .reply(200, { id: 5 });
  const lines = Array.from({ length: 12_000 }, (_, i) => `- é€ finding ${i}`);
  await writer().complete(5, {
    conclusion: "failure",
    title: "ü".repeat(300),
    summary: lines.join("\n"),
    annotations: [{ ...annotation(1), title: "t".repeat(300), message: "😀".repeat(20_000) }],
  });
  expect(Buffer.byteLength(body.output.title)).toBeLessThanOrEqual(255);
  expect(body.output.title).toMatch(/^ü+…$/);
  expect(Buffer.byteLength(body.output.summary)).toBeLessThanOrEqual(65_535);
  expect(body.output.summary).toMatch(/cut to stay within GitHub's size limit/);
  // Cut at a line break: every line kept is a whole line.
  const kept = body.output.summary.split("\n\n_…cut")[0].split("\n");
  expect(kept.every((line: string, i: number) => line === lines[i])).toBe(true);
  const [note] = body.output.annotations;
  expect(Buffer.byteLength(note.message)).toBeLessThanOrEqual(64_000);
  expect(note.message).toMatch(/^(😀)+…$/u);
  expect(Buffer.byteLength(note.title)).toBeLessThanOrEqual(255);
});
