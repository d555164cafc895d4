import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { loadRepoConfig, mergeConfig } from "../../src/bot/config.js";
import { ConfigError } from "../../src/engine/config.js";
import { RULE_IDS } from "../../src/rules/index.js";
import { FakeGitHub } from "../support/fake-github.js";
import { fakeOctokit } from "../support/octokit.js";

const CONFIG = ".github/platform-checks.yml";

describe("mergeConfig", () => {
  test("maps merge key by key, lists and scalars replace", () => {
    expect(
      mergeConfig(
        { brands: ["loop", "loopbio"], rules: { "sdk-drift": "warning", "docs-dead-links": "off" }, check_name: "Org" },
        { brands: ["loop"], rules: { "sdk-drift": "error" } },
      ),
    ).toEqual({ brands: ["loop"], rules: { "sdk-drift": "error", "docs-dead-links": "off" }, check_name: "Org" });
  });
});

describe("loadRepoConfig against the fake GitHub", () => {
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

  const onBranch = (branch: string, text: string | undefined) => {
    fake.setBranch(branch, fake.commit(text === undefined ? { "README.md": "x" } : { "README.md": "x", [CONFIG]: text }));
  };
  const load = (branch = "main") => loadRepoConfig(fakeOctokit(fake.apiUrl), { owner: fake.owner, repo: fake.repo, branch }, RULE_IDS);

  test("no file anywhere: the defaults", async () => {
    onBranch("main", undefined);
    const { config, sources } = await load();
    expect(config.check_name).toBe("Loop Platform / pre-merge");
    expect(sources).toEqual([]);
  });

  test("reads the given base branch, not the default branch", async () => {
    onBranch("main", "check_name: From main\n");
    onBranch("release", "check_name: From release\n");
    expect((await load("release")).config.check_name).toBe("From release");
    expect(fake.requests.find((r) => r.path.includes("/contents/"))!.query).toEqual({ ref: "release" });
  });

  test("falls back to the org's .github repository", async () => {
    onBranch("main", undefined);
    fake.otherRepos.set(".github", { [CONFIG]: "brands: [loop]\n" });
    const { config, sources } = await load();
    expect(config.brands).toEqual(["loop"]);
    expect(sources).toEqual(["loop/.github:.github/platform-checks.yml"]);
  });

  test("follows _extends, the repository's own keys winning and rule maps merging", async () => {
    onBranch("main", "_extends: shared-config\nrules:\n  sdk-drift: warning\n");
    fake.otherRepos.set("shared-config", { [CONFIG]: "brands: [loop]\nrules:\n  docs-dead-links: off\n  sdk-drift: error\n" });
    const { config } = await load();
    expect(config.brands).toEqual(["loop"]);
    expect(config.rules).toEqual({ "sdk-drift": "warning", "docs-dead-links": "off" });
  });

  test.each([
    ["rules:\n  sdk-drift: loud\n", "rules.sdk-drift"],
    ["rules:\n  not-a-rule: off\n", "rules.not-a-rule: no rule has this id"],
    ["brand: [loop]\n", "brand"],
    ["- a\n- b\n", "(top level)"],
    ["check_name: [unclosed\n", "(top level): not valid YAML"],
  ])("%j is a ConfigError naming %s", async (text, key) => {
    onBranch("main", text);
    const error = await load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join("\n")).toContain(key);
  });

  test("GitHub failing is not a config problem: the error propagates", async () => {
    onBranch("main", "check_name: x\n");
    fake.failWhen((r) => r.path.includes("/contents/"), 500);
    const error = await load().catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ConfigError);
    expect((error as { status?: number }).status).toBe(500);
  });
});
