import nock from "nock";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { hasWriteAccess } from "../../src/github/permission.js";
import { fakeOctokit } from "../support/octokit.js";

const api = "https://api.github.test";
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

test.each([
  [{ permission: "admin", role_name: "admin" }, true],
  [{ permission: "write", role_name: "maintain" }, true],
  [{ permission: "write", role_name: "write" }, true],
  [{ permission: "write", role_name: "release-manager" }, true], // a custom role based on write
  [{ permission: "read", role_name: "triage" }, false],
  [{ permission: "read", role_name: "read" }, false],
  [{ permission: "none", role_name: "none" }, false],
])("%j → %s", async (level, allowed) => {
  const scope = nock(api).get("/repos/loop/platform/collaborators/dev/permission").reply(200, { ...level, user: { login: "dev" } });
  expect(await hasWriteAccess(fakeOctokit(api), { owner: "loop", repo: "platform" }, "dev")).toBe(allowed);
  expect(scope.isDone()).toBe(true);
});

test("not a collaborator (404) → no", async () => {
  nock(api).get("/repos/loop/platform/collaborators/stranger/permission").reply(404, { message: "Not Found" });
  expect(await hasWriteAccess(fakeOctokit(api), { owner: "loop", repo: "platform" }, "stranger")).toBe(false);
});

test("GitHub failing is an error, not a silent no", async () => {
  nock(api).get("/repos/loop/platform/collaborators/dev/permission").reply(500, { message: "boom" });
  await expect(hasWriteAccess(fakeOctokit(api), { owner: "loop", repo: "platform" }, "dev")).rejects.toMatchObject({ status: 500 });
});
