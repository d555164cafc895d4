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
