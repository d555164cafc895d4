/**
 * The GitHub Action as a runner runs it: `node <runs.main>` from action.yml,
 * with the environment a runner gives a JavaScript action (GITHUB_* variables,
 * an event payload file, INPUT_* from the inputs and their defaults, the
 * step summary and output files), over a git checkout of the example.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { examplePayload } from "../support/bot-harness.js";
import { buildDist, PROJECT_ROOT } from "../helpers/build-dist.js";
import { EXAMPLE_ROOT } from "../helpers/example-repo.js";
import { sarifValidator } from "../helpers/sarif-schema.js";

const action = parse(readFileSync(join(PROJECT_ROOT, "action.yml"), "utf8")) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

let workspace: string;
let baseSha: string;
let headSha: string;

function git(...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main", ...args], {
    cwd: workspace,
    encoding: "utf8",
  }).trim();
}

beforeAll(() => {
  buildDist("dist/action/main.js");
  workspace = mkdtempSync(join(tmpdir(), "platform-checks-action-"));
  cpSync(EXAMPLE_ROOT, workspace, { recursive: true });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-q", "-m", "initial");
  baseSha = git("rev-parse", "HEAD");
  git("checkout", "-q", "-b", "feature");
  writeFileSync(join(workspace, ".changeset/odd-ducks.md"), '---\n"@services/billing-ledger": huge\n---\n\nInvoices are paginated now.\n');
  git("add", "-A");
  git("commit", "-q", "-m", "a changeset with a bad bump");
  headSha = git("rev-parse", "HEAD");
}, 240_000);

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** Runs the action's entry point with a runner's environment; `inputs` override action.yml's defaults. */
function runAction(inputs: Record<string, string> = {}, event: { name: string; payload: Record<string, any> } = pullRequestEvent()) {
  const runnerTemp = mkdtempSync(join(tmpdir(), "platform-checks-runner-"));
  const files = { summary: join(runnerTemp, "step_summary"), output: join(runnerTemp, "output"), event: join(runnerTemp, "event.json") };
  writeFileSync(files.summary, "");
  writeFileSync(files.output, "");
  writeFileSync(files.event, JSON.stringify(event.payload));
  const inputEnv: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputEnv[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? spec.default ?? "";
  const result = spawnSync(process.execPath, [join(PROJECT_ROOT, action.runs.main)], {
    cwd: workspace,
    encoding: "utf8",
    timeout: 120_000,
    env: {
      PATH: process.env["PATH"],
      HOME: process.env["HOME"],
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_SHA: headSha,
      GITHUB_REF: "refs/pull/7/merge",
      GITHUB_REPOSITORY: "loop/platform",
      GITHUB_API_URL: "http://127.0.0.1:9/never-called",
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_OUTPUT: files.output,
      RUNNER_TEMP: runnerTemp,
      ...inputEnv,
    },
  });
  const read = (path: string) => readFileSync(path, "utf8");
  const outcome = { code: result.status, stdout: result.stdout, stderr: result.stderr, summary: read(files.summary), outputs: parseOutputs(read(files.output)) };
  rmSync(runnerTemp, { recursive: true, force: true });
  return outcome;
}

function pullRequestEvent(base = baseSha) {
  const payload = examplePayload("pull_request", "opened");
  payload["pull_request"].base.sha = base;
  payload["pull_request"].head.sha = headSha;
  return { name: "pull_request", payload };
}

/** `$GITHUB_OUTPUT` as the runner reads it: `name<<DELIMITER`, lines, `DELIMITER`. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!start) continue;
    const end = lines.indexOf(start[2]!, i + 1);
    out[start[1]!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return out;
}

// Each test starts the action as a process (a worker pool included): seconds alone, far more on a busy machine.
describe("the action (action.yml)", { timeout: 120_000 }, () => {
  it("is a JavaScript action on node24 (GitHub accepts node20 or node24; the CLI needs Node 22.12+)", () => {
    expect(action.runs.using).toBe("node24");
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(["base", "format", "fail-on-error"]));
    expect(Object.keys(action.outputs)).toEqual(["conclusion", "errors", "warnings", "notices", "sarif-file"]);
  });

  it("on a pull request: compares with the payload's base, annotates, writes the summary and outputs, and fails on errors", () => {
    const { code, stdout, summary, outputs } = runAction();
    expect(stdout).toContain(`platform-checks: checking ${workspace} against ${baseSha} (from pull_request.base.sha)`);
    expect(stdout).toContain(
      "::error file=.changeset/odd-ducks.md,line=2,col=29,title=changeset-valid::This changeset gives `@services/billing-ledger` the bump `huge`; use major, minor or patch.%0A%0ARule: ",
    );
    expect(code).toBe(1);
    expect(summary).toMatch(/^### ❌ Loop Platform \/ pre-merge: 1 error/);
    expect(summary).toContain("[changeset-valid](https://github.com/loop-platform/platform-checks/blob/main/docs/rules/changeset-valid.md)");
    expect(summary).toContain(`<sub>Checked changed since ${baseSha}, merge base ${baseSha.slice(0, 12)}.`);
    expect(outputs).toMatchObject({ conclusion: "failure", errors: "1" });
  });

  it("passes the step when fail-on-error is false, and still annotates", () => {
    const { code, stdout, outputs } = runAction({ "fail-on-error": "false" });
    expect(code).toBe(0);
    expect(stdout).toContain("::error file=.changeset/odd-ducks.md,line=2,col=29,title=changeset-valid::");
    expect(stdout).toContain("error findings, but `fail-on-error` is false: the step passes.");
    expect(outputs["conclusion"]).toBe("failure");
  });

  it("format sarif: writes a valid SARIF file and names it in the outputs", () => {
    const { code, stdout, outputs } = runAction({ format: "sarif", "sarif-file": "reports/pc.sarif" });
    expect(code).toBe(1);
    expect(stdout).not.toContain("::error");
    expect(outputs["sarif-file"]).toBe(join(workspace, "reports/pc.sarif"));
    const validate = sarifValidator();
    const log = JSON.parse(readFileSync(outputs["sarif-file"]!, "utf8"));
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri)).toEqual([".changeset/odd-ducks.md"]);
  });

  it("an event without a base (workflow_dispatch) checks every service", () => {
    const { stdout, outputs } = runAction({}, { name: "workflow_dispatch", payload: { inputs: {} } });
    expect(stdout).toContain("(every service)");
    expect(outputs["conclusion"]).toBe("failure"); // --all checks every changeset, the bad one too
  });

  it("a base the checkout lacks (a shallow clone): exit 2 with an error annotation that says to fetch the history", () => {
    const { code, stdout } = runAction({}, pullRequestEvent("1".repeat(40)));
    expect(code).toBe(2);
    expect(stdout).toMatch(/^::error title=platform-checks could not run::--base 1{40}: no such commit in .*fetch-depth: 0/m);
  });

  it("a bad input: exit 2 naming it", () => {
    const { code, stdout } = runAction({ format: "xml" });
    expect(code).toBe(2);
    expect(stdout).toContain("::error title=platform-checks could not run::input `format` must be one of github, sarif, text, json, not `xml`");
  });
});
