/**
 * `platform-checks check --pr` against the local GitHub stand-in: the bot's
 * reads (configuration from the base branch, the pull request's files, the
 * head tree, blobs on demand, the sticky comment's ticks), only GETs, and a
 * counted number of requests.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { checkPullRequest } from "../../src/cli/pull-request.js";
import { RULE_IDS } from "../../src/rules/index.js";
import { renderComment } from "../../src/report/comment.js";
import changesetRequired from "../../src/rules/changeset-required.js";
import changesetValid from "../../src/rules/changeset-valid.js";
import serviceYamlRequired from "../../src/rules/service-yaml-required.js";
import serviceYamlSchema from "../../src/rules/service-yaml-schema.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { BOT_LOGIN, FakeGitHub } from "../support/fake-github.js";
import { onlyLoopback, replaceIn } from "../support/scenario.js";

const RULES = [serviceYamlRequired, serviceYamlSchema, changesetRequired, changesetValid];
const YAML = "services/billing-ledger/service.yaml";
const CHANGESET = '---\n"@services/billing-ledger": minor\n---\n\nInvoices can be filtered by currency with `?currency=EUR`.\n';

let fake: FakeGitHub;
let baseFiles: Record<string, string>;

onlyLoopback();
beforeEach(async () => {
  fake = await new FakeGitHub().start();
  baseFiles = exampleFiles();
  fake.setBranch("main", fake.commit(baseFiles));
});
afterEach(async () => {
  expect(fake.unexpected()).toEqual([]);
  await fake.stop();
});

/** Opens pull request 12 with the base's files edited by `edit`. */
function openPull(edit: (files: Record<string, string>) => void) {
  const files = { ...baseFiles };
  edit(files);
  return fake.setPull(12, { headSha: fake.commit(files, [fake.branches.get("main")!]) });
}

async function cli(argv: string[], env: Record<string, string> = { GITHUB_TOKEN: "ghp_laptop", GITHUB_API_URL: fake.apiUrl }) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: "/", env }, { rules: RULES });
  return { code, stdout, stderr };
}

describe("platform-checks check --pr", () => {
  it("prints what the bot would report, with a counted set of read-only requests", async () => {
    const pull = openPull((files) => {
      replaceIn(files, YAML, "status: beta", "status: production");
      files[".changeset/calm-owls.md"] = CHANGESET;
    });
    const { code, stdout, stderr } = await cli(["check", "--pr", "loop/platform#12"]);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe(`platform-checks: check run "Loop Platform / pre-merge" on ${pull.head.sha.slice(0, 7)} would conclude failure: 1 error in billing-ledger`);
    expect(lines[1]).toBe(`platform-checks: 1 service checked (pull request loop/platform#12 at ${pull.head.sha.slice(0, 12)}, configuration from main): billing-ledger`);
    expect(stdout).toMatch(/services\/billing-ledger\/service\.yaml:5:9\s+error\s+service-yaml-schema\s+`status` must be one of alpha, beta, stable\./);

    // Nothing written: REST GETs and GraphQL queries only, each carrying the token.
    const writes = fake.requests.filter((r) => r.method !== "GET" && !(r.method === "POST" && r.path === "/graphql" && !/\bmutation\b/.test(r.body?.query)));
    expect(writes).toEqual([]);
    expect(fake.requests.every((r) => r.authorization === "token ghp_laptop")).toBe(true);
    // The pull request, the config on the base branch (then the org's .github fallback), the head tree,
    // the changed files (base...head), then the files the rules read (head and base versions) in one
    // GraphQL batch, and the sticky comment: seven requests for the whole check (some concurrent: sorted).
    expect(fake.calls().sort()).toEqual([
      "GET /repos/loop/platform/pulls/12",
      "GET /repos/loop/platform/contents/.github%2Fplatform-checks.yml",
      "GET /repos/loop/.github/contents/.github%2Fplatform-checks.yml",
      `GET /repos/loop/platform/git/trees/${pull.head.sha}`,
      `GET /repos/loop/platform/compare/${pull.base.sha}...${pull.head.sha}`,
      "POST /graphql",
      "GET /repos/loop/platform/issues/12/comments",
    ].sort());
  });

  it("reads the configuration from the base branch, never from the pull request", async () => {
    baseFiles[".github/platform-checks.yml"] = "rules:\n  service-yaml-schema: warning\n";
    fake.setBranch("main", fake.commit(baseFiles));
    openPull((files) => {
      replaceIn(files, YAML, "status: beta", "status: production");
      files[".changeset/calm-owls.md"] = CHANGESET;
      files[".github/platform-checks.yml"] = "rules:\n  service-yaml-schema: off\n";
    });
    const { code, stdout } = await cli(["check", "--pr", "loop/platform#12", "--format", "json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).findings).toEqual([expect.objectContaining({ rule: "service-yaml-schema", severity: "warning", line: 5 })]);
    expect(fake.requests.find((r) => r.path.endsWith("/contents/.github%2Fplatform-checks.yml"))!.query).toEqual({ ref: "main" });
  });

  it("counts the manual boxes ticked in the bot's comment, as the bot does", async () => {
    openPull((files) => {
      replaceIn(files, YAML, "status: beta", "status: stable");
      files[".changeset/calm-owls.md"] = CHANGESET;
    });
    const options = { token: "t", apiUrl: fake.apiUrl, rules: RULES, ruleIds: RULE_IDS, userAgent: "test" };
    const before = await checkPullRequest({ owner: "loop", repo: "platform", number: 12 }, options);
    expect(before.report.findings.map((f) => f.rule)).toEqual(["production-readiness-checklist"]);

    // The bot's comment with every manual box ticked by a person.
    const body = renderComment(before.report, { headSha: before.headSha })!.replace(/^- \[ \](.*<!-- pc-item:)/gm, "- [x]$1");
    fake.comments.push({ id: 1, issueNumber: 12, body, user: { login: BOT_LOGIN, type: "Bot" }, performedViaAppId: fake.appId });
    const { code, stdout } = await cli(["check", "--pr", "loop/platform#12", "--format", "json"]);
    expect(JSON.parse(stdout)).toEqual({ conclusion: "success", services: ["billing-ledger"], findings: [] });
    expect(code).toBe(0);
  });

  it("works with a pull request URL and the GitHub.com-style API root", async () => {
    openPull((files) => {
      files[".changeset/calm-owls.md"] = CHANGESET;
    });
    const apiRoot = fake.apiUrl.replace(/\/api\/v3$/, "");
    const { code, stdout } = await cli(["check", "--pr", `${apiRoot}/loop/platform/pull/12`, "--format", "github"], { GITHUB_TOKEN: "t", GITHUB_API_URL: apiRoot });
    expect(code).toBe(0);
    expect(stdout).toBe("platform-checks: no findings (no service in scope): success.\n");
  });

  it("exits 2 with a clear message when the pull request cannot be read, and warns without a token", async () => {
    const { code, stderr } = await cli(["check", "--pr", "loop/platform#99"], { GITHUB_API_URL: fake.apiUrl });
    expect(code).toBe(2);
    expect(stderr).toContain("platform-checks: no GITHUB_TOKEN set");
    expect(stderr).toContain(`platform-checks: cannot read loop/platform#99 from ${fake.apiUrl}: no such pull request, or the token cannot read loop/platform`);
    expect(fake.requests.every((r) => r.authorization === undefined)).toBe(true);
  });
});
