import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "vitest";
import { findStickyComment, isOwnStickyComment, writeStickyComment } from "../../src/github/comment.js";
import { COMMENT_MARKER } from "../../src/report/comment.js";
import { FakeGitHub } from "../support/fake-github.js";
import { fakeOctokit } from "../support/octokit.js";

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => nock.enableNetConnect());

let fake: FakeGitHub;
beforeEach(async () => {
  fake = await new FakeGitHub().start();
});
afterEach(async () => {
  expect(fake.unexpected()).toEqual([]);
  await fake.stop();
});

const repo = () => ({ owner: fake.owner, repo: fake.repo });

test("finds the bot's comment by its marker past the first page, ignoring people quoting the marker", async () => {
  for (let i = 0; i < 130; i++) fake.addComment(3, `comment ${i}`);
  fake.addComment(3, `> ${COMMENT_MARKER} quoted by a person`);
  const own = fake.addComment(3, `${COMMENT_MARKER}\nresult`, { login: "platform-checks[bot]", type: "Bot" });
  const found = await findStickyComment(fakeOctokit(fake.apiUrl), repo(), 3);
  expect(found).toEqual({ id: own.id, body: own.body });
  expect(fake.calls((r) => r.path.endsWith("/issues/3/comments"))).toHaveLength(2);
});

test("creates the comment once, then edits it in place, and skips an edit that changes nothing", async () => {
  const api = fakeOctokit(fake.apiUrl);
  expect(await findStickyComment(api, repo(), 3)).toBeUndefined();
  const id = await writeStickyComment(api, repo(), 3, undefined, `${COMMENT_MARKER}\none`);
  const found = await findStickyComment(api, repo(), 3);
  expect(found?.id).toBe(id);
  expect(await writeStickyComment(api, repo(), 3, found, `${COMMENT_MARKER}\ntwo`)).toBe(id);
  await writeStickyComment(api, repo(), 3, { id, body: `${COMMENT_MARKER}\ntwo` }, `${COMMENT_MARKER}\ntwo`);
  expect(fake.calls((r) => r.method !== "GET")).toEqual(["POST /repos/loop/platform/issues/3/comments", `PATCH /repos/loop/platform/issues/comments/${id}`]);
  expect(fake.stickyComments(3)).toHaveLength(1);
});

test("another app's marked comment is not ours when GitHub says which app wrote it", () => {
  const body = `${COMMENT_MARKER}\nx`;
  expect(isOwnStickyComment({ id: 1, body, user: { type: "Bot" }, performed_via_github_app: { id: 7 } }, 7)).toBe(true);
  expect(isOwnStickyComment({ id: 1, body, user: { type: "Bot" }, performed_via_github_app: { id: 8 } }, 7)).toBe(false);
  expect(isOwnStickyComment({ id: 1, body, user: { type: "User" } }, 7)).toBe(false);
  expect(isOwnStickyComment({ id: 1, body: "no marker", user: { type: "Bot" } }, 7)).toBe(false);
});
