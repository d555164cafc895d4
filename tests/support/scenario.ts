import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import type { AppOptions } from "../../src/bot/app.js";
import serviceYamlRequired from "../../src/rules/service-yaml-required.js";
import serviceYamlSchema from "../../src/rules/service-yaml-schema.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { startBot, type BotUnderTest } from "./bot-harness.js";
import { FakeGitHub, type FakePull } from "./fake-github.js";

/** The rules bot tests run by default: real, finished, and independent of the rules others are still writing. */
export const BOT_TEST_RULES = [serviceYamlRequired, serviceYamlSchema];

export interface Scenario {
  fake: FakeGitHub;
  bot: BotUnderTest;
  /** The example monorepo, as committed on `main`. */
  files: Record<string, string>;
  baseSha: string;
  /**
   * Pushes a commit to pull request `number` (opening it if needed): the
   * previous head's files (or main's) with `edit` applied. Returns the pull.
   */
  push(number: number, edit: (files: Record<string, string>) => void, init?: { headRepoFullName?: string; draft?: boolean }): FakePull;
  stop(): Promise<void>;
}

/** A fake GitHub holding the example monorepo on `main`, and the bot pointed at it. */
export async function scenario(options: AppOptions = {}): Promise<Scenario> {
  const fake = await new FakeGitHub().start();
  const files = exampleFiles();
  const baseSha = fake.commit(files);
  fake.setBranch("main", baseSha);
  const bot = await startBot(fake, { rules: BOT_TEST_RULES, ...options });
  return {
    fake,
    bot,
    files,
    baseSha,
    push(number, edit, init = {}) {
      const previous = fake.pulls.get(number);
      const parent = previous?.head.sha ?? baseSha;
      const next = Object.fromEntries([...fake.filesOf(parent)].map(([path]) => [path, fake.readText(parent, path)!]));
      edit(next);
      const head = fake.commit(next, [parent]);
      return fake.setPull(number, {
        headSha: head,
        ...(init.headRepoFullName ? { headRepoFullName: init.headRepoFullName } : previous ? { headRepoFullName: previous.head.repoFullName } : {}),
        ...(init.draft !== undefined ? { draft: init.draft } : {}),
      });
    },
    stop: () => fake.stop(),
  };
}

/** Replaces text in a file of a file map, failing loudly when it is not there. */
export function replaceIn(files: Record<string, string>, path: string, search: string | RegExp, replacement: string): void {
  const before = files[path];
  if (before === undefined) throw new Error(`no file ${path}`);
  const after = before.replace(search, replacement);
  if (after === before) throw new Error(`${String(search)} not found in ${path}`);
  files[path] = after;
}

/** Nock refuses every host but loopback while this file's tests run (the fake GitHub listens on 127.0.0.1). */
export function onlyLoopback(): void {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
  });
  afterAll(() => nock.enableNetConnect());
}

/**
 * The hooks of a fake-GitHub bot test: loopback only, a fresh scenario before
 * each test (handed to `use`), and after it no request the fake did not expect.
 */
export function useScenario(use: (s: Scenario) => void, options: AppOptions = {}): void {
  let current: Scenario | undefined;
  onlyLoopback();
  beforeEach(async () => {
    current = await scenario(options);
    use(current);
  });
  afterEach(async () => {
    expect(current!.fake.unexpected()).toEqual([]);
    await current!.stop();
  });
}
