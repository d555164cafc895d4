import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { Probot } from "probot";
import { afterEach, beforeEach, expect, test } from "vitest";
import { botOctokit, type GitHubApi } from "../../src/github/api.js";
import { testPrivateKey } from "../support/bot-harness.js";
import { FakeGitHub } from "../support/fake-github.js";
import { onlyLoopback } from "../support/scenario.js";

/**
 * The production client (botOctokit): its write spacing (octokit's throttling plugin: writes and
 * GraphQL one second apart) is per installation, whichever of the installation's clients sends them
 * (a job's, a webhook look-up's: both from `probot.auth`), while another installation's go out at
 * once; and no client is built per webhook (`context.octokit` is a stand-in).
 */

let fake: FakeGitHub;
let probot: Probot;

onlyLoopback();
beforeEach(async () => {
  fake = await new FakeGitHub().start();
  fake.setBranch("main", fake.commit({ "README.md": "# platform\n" }));
  probot = new Probot({
    appId: fake.appId,
    privateKey: testPrivateKey(),
    secret: "test-secret",
    baseUrl: fake.apiUrl,
    log: pino({ level: "silent" }),
    Octokit: botOctokit(),
  });
});
afterEach(async () => {
  await fake.stop();
});

/** What a handler finds in `context.octokit` for a webhook of `installationId`. */
async function webhookContextClient(installationId: number): Promise<GitHubApi> {
  let client: GitHubApi | undefined;
  probot.on("issues.opened", (context) => {
    client = context.octokit as GitHubApi;
  });
  await probot.receive({ id: randomUUID(), name: "issues", payload: { action: "opened", installation: { id: installationId } } } as never);
  return client!;
}

function createCheckRun(api: GitHubApi, name: string) {
  return api.rest.checks.create({ owner: fake.owner, repo: fake.repo, name, head_sha: fake.branches.get("main")! });
}

test("writes of one installation are spaced a second apart, whichever of its clients sends them; another installation's are not held behind them", async () => {
  const jobClient = (await probot.auth(1)) as GitHubApi;
  const eventClient = (await probot.auth(1)) as GitHubApi;
  const otherInstallation = (await probot.auth(2)) as GitHubApi;
  // Tokens first, so that only the writes are measured.
  for (const api of [jobClient, eventClient, otherInstallation]) await api.request("GET /installation/repositories");

  const started = Date.now();
  const finished: Record<string, number> = {};
  const write = (api: GitHubApi, name: string) => createCheckRun(api, name).then(() => (finished[name] = Date.now() - started));
  await Promise.all([write(jobClient, "first of installation 1"), write(eventClient, "second of installation 1"), write(otherInstallation, "installation 2")]);

  expect(fake.checkRuns.map((r) => r.name)).toEqual(["first of installation 1", "installation 2", "second of installation 1"]);
  expect(finished["second of installation 1"]).toBeGreaterThanOrEqual(1000);
});

test("no GitHub client is built per webhook: context.octokit is a stand-in that names the cause when used", async () => {
  const client = await webhookContextClient(1);
  expect(() => client.rest).toThrow("context.octokit.rest: this server builds no GitHub client per webhook; use probot.auth(installationId)");
  expect(fake.requests).toEqual([]);
});
