import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { createApp, type AppOptions, type PlatformChecksApp } from "../../src/bot/app.js";
import type { FakeGitHub, FakePull } from "./fake-github.js";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as { name: string; examples: Record<string, any>[] }[];

let key: string | undefined;
/** A throwaway RSA key for the app's JWT (generated once per test file). */
export function testPrivateKey(): string {
  key ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  return key;
}

/** A deep copy of a real example payload from @octokit/webhooks-examples. */
export function examplePayload(event: string, action: string): Record<string, any> {
  const found = examples.find((e) => e.name === event)?.examples.find((e) => e["action"] === action);
  if (!found) throw new Error(`no @octokit/webhooks-examples payload for ${event}.${action}`);
  return structuredClone(found);
}

export const INSTALLATION_ID = 77;

export interface BotUnderTest {
  probot: Probot;
  app: PlatformChecksApp;
  /** Delivers a webhook the way Probot's middleware would (after signature verification) and waits for the bot to go idle. */
  deliver(name: string, payload: Record<string, any>): Promise<void>;
  /** Delivers without waiting for the queued work. */
  receive(name: string, payload: Record<string, any>): Promise<void>;
}

/** A Probot instance running the app against the fake GitHub (retries and throttling off, logs silent). */
export async function startBot(fake: FakeGitHub, options: AppOptions = {}): Promise<BotUnderTest> {
  const probot = new Probot({
    appId: fake.appId,
    privateKey: testPrivateKey(),
    secret: "test-secret",
    baseUrl: fake.apiUrl,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    // Retries and Probot's write throttle (one write a second) would only slow the tests down.
    Octokit: ProbotOctokit.defaults((options: Record<string, any>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...options["throttle"], enabled: false },
    })),
  });
  const app = createApp({ appId: fake.appId, ...options });
  await probot.load(app);
  const receive = (name: string, payload: Record<string, any>) => probot.receive({ id: randomUUID(), name, payload } as never);
  return {
    probot,
    app,
    receive,
    deliver: async (name, payload) => {
      await receive(name, payload);
      await app.onIdle();
    },
  };
}

function withRepo(fake: FakeGitHub, payload: Record<string, any>): Record<string, any> {
  payload["repository"] = {
    ...payload["repository"],
    name: fake.repo,
    full_name: `${fake.owner}/${fake.repo}`,
    owner: { ...payload["repository"]?.owner, login: fake.owner },
  };
  payload["installation"] = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNzc=" };
  return payload;
}

/** A real `pull_request` example payload, pointed at the fake's repository and pull request. */
export function pullRequestPayload(fake: FakeGitHub, action: string, pull: FakePull, extra: Record<string, any> = {}): Record<string, any> {
  const payload = withRepo(fake, examplePayload("pull_request", action === "edited" ? "opened" : action));
  payload["action"] = action;
  payload["number"] = pull.number;
  const pr = payload["pull_request"];
  pr.number = pull.number;
  pr.state = pull.state;
  pr.draft = pull.draft;
  const [headOwner, headRepo] = pull.head.repoFullName.split("/");
  pr.head = { ...pr.head, sha: pull.head.sha, ref: pull.head.ref, repo: { ...pr.head.repo, name: headRepo, full_name: pull.head.repoFullName, owner: { ...pr.head.repo?.owner, login: headOwner } } };
  pr.base = { ...pr.base, sha: pull.base.sha, ref: pull.base.ref, repo: { ...pr.base.repo, name: fake.repo, full_name: `${fake.owner}/${fake.repo}` } };
  return { ...payload, ...extra };
}

/** A real `issue_comment` example payload for a comment on the pull request. */
export function issueCommentPayload(
  fake: FakeGitHub,
  action: "created" | "edited",
  init: { number: number; commentId: number; body: string; user: { login: string; type: string }; previousBody?: string; performedViaAppId?: number },
): Record<string, any> {
  const payload = withRepo(fake, examplePayload("issue_comment", action));
  payload["issue"] = { ...payload["issue"], number: init.number, pull_request: { url: `https://api.github.com/repos/${fake.owner}/${fake.repo}/pulls/${init.number}` } };
  payload["comment"] = {
    ...payload["comment"],
    id: init.commentId,
    body: init.body,
    user: { ...payload["comment"].user, login: init.user.login, type: init.user.type },
    performed_via_github_app: init.performedViaAppId !== undefined ? { id: init.performedViaAppId } : null,
  };
  payload["sender"] = { ...payload["sender"], login: init.user.login, type: init.user.type };
  if (action === "edited") payload["changes"] = { body: { from: init.previousBody ?? "" } };
  return payload;
}
