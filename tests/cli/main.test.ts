import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import changesetRequired from "../../src/rules/changeset-required.js";
import changesetValid from "../../src/rules/changeset-valid.js";
import serviceYamlRequired from "../../src/rules/service-yaml-required.js";
import serviceYamlSchema from "../../src/rules/service-yaml-schema.js";
import { EXAMPLE_ROOT } from "../helpers/example-repo.js";

// Other rules are still being written; the CLI's plumbing is tested with finished ones.
const RULES = [serviceYamlRequired, serviceYamlSchema, changesetRequired, changesetValid];

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of examples/loop-platform in a temp folder. */
function exampleCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "platform-checks-cli-"));
  temps.push(dir);
  cpSync(EXAMPLE_ROOT, dir, { recursive: true });
  return dir;
}

/** Runs main() in-process and captures what it prints. */
async function cli(argv: string[], cwd = process.cwd()) {
  let stdout = "";
  let stderr = "";
  const code = await main(
    argv,
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd },
    { rules: RULES },
  );
  return { code, stdout, stderr };
}

function git(dir: string, ...args: string[]) {
  execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main", ...args], {
    cwd: dir,
    stdio: "pipe",
  });
}

/** The example copy as a git repository with one commit on main. */
function gitExample(): string {
  const dir = exampleCopy();
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "initial");
  return dir;
}

function write(dir: string, path: string, text: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

const CHANGESET = '---\n"@services/billing-ledger": minor\n---\n\nInvoices can be filtered by currency with `?currency=EUR`.\n';

describe("platform-checks check --all", () => {
  it("reports the clean example in text: every service, its checklist, a total, exit 0", async () => {
    const dir = exampleCopy();
    const { code, stdout, stderr } = await cli(["check", "--all", "--repo", dir]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("platform-checks: 2 services checked (every service): billing-ledger, notifications");
    expect(lines).toContain("billing-ledger — no findings");
    expect(lines).toContain("notifications — no findings");
    expect(lines).toContain("    [x] service.yaml complete and valid");
    expect(lines).toContain("    [ ] on-call rotation has the runbook  (manual)");
    expect(lines.at(-2)).toBe("No findings in 2 services: success.");
  });

  it("prints exactly the SPEC JSON shape", async () => {
    const dir = exampleCopy();
    const { code, stdout } = await cli(["check", "--all", "--format", "json", "--repo", dir]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ conclusion: "success", services: ["billing-ledger", "notifications"], findings: [] });
  });

  it("defaults to --all and resolves a relative --repo from the working directory", async () => {
    const dir = exampleCopy();
    const { code, stdout } = await cli(["check", "--format=json", "--repo", "."], dir);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).services).toEqual(["billing-ledger", "notifications"]);
  });

  it("reports a broken copy with exit 1: one finding per break, service null for repo-level ones, no internal fields", async () => {
    const dir = exampleCopy();
    const yamlPath = join(dir, "services/notifications/service.yaml");
    writeFileSync(yamlPath, readFileSync(yamlPath, "utf8").replace("status: stable", "status: production"));
    write(dir, ".changeset/odd-ducks.md", '---\n"@services/notification": patch\n---\n\nDeliveries retry twice before failing.\n');
    const { code, stdout } = await cli(["check", "--all", "--format", "json", "--repo", dir]);
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.conclusion).toBe("failure");
    expect(json.findings).toEqual([
      {
        rule: "changeset-valid",
        severity: "error",
        service: null,
        path: ".changeset/odd-ducks.md",
        line: 2,
        column: 1,
        message: expect.stringContaining("did you mean `@services/notifications`?"),
      },
      {
        rule: "service-yaml-schema",
        severity: "error",
        service: "notifications",
        path: "services/notifications/service.yaml",
        line: 5,
        column: 9,
        message: "`status` must be one of alpha, beta, stable.",
      },
    ]);
    for (const f of json.findings) expect(Object.keys(f)).toEqual(["rule", "severity", "service", "path", "line", "column", "message"]);
  });

  it("groups text findings by service as path:line:col  severity  rule  message", async () => {
    const dir = exampleCopy();
    write(dir, ".changeset/odd-ducks.md", '---\n"@services/billing-ledger": huge\n---\n\nInvoices are paginated now.\n');
    const { code, stdout } = await cli(["check", "--repo", dir]);
    expect(code).toBe(1);
    const lines = stdout.split("\n");
    const at = lines.indexOf("repository — 1 error");
    expect(at).toBeGreaterThan(lines.indexOf("notifications — no findings"));
    expect(lines[at + 1]).toBe(
      "  .changeset/odd-ducks.md:2:29  error    changeset-valid  This changeset gives `@services/billing-ledger` the bump `huge`; use major, minor or patch.",
    );
    expect(lines.at(-2)).toBe("1 error in 2 services and the repository: failure.");
  });

  it("exits 2 naming the key when the configuration is invalid", async () => {
    const dir = exampleCopy();
    write(dir, ".github/platform-checks.yml", "rules:\n  changeset-requird: off\n");
    const { code, stdout, stderr } = await cli(["check", "--repo", dir]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe("platform-checks: .github/platform-checks.yml is invalid: rules.changeset-requird: no rule has this id\n");

    write(dir, ".github/platform-checks.yml", "brands: [loop\n");
    const broken = await cli(["check", "--repo", dir]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^platform-checks: \.github\/platform-checks\.yml is invalid: line \d+, column \d+: /);
  });

  it("with every rule (the default), takes the rule ids from the worker: same configuration errors, and the clean example passes", async () => {
    const dir = exampleCopy();
    const everyRule = async (argv: string[]) => {
      let stdout = "";
      let stderr = "";
      const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: process.cwd() });
      return { code, stdout, stderr };
    };
    write(dir, ".github/platform-checks.yml", "rules:\n  sdk-drfit: off\n");
    const bad = await everyRule(["check", "--repo", dir]);
    expect(bad).toEqual({ code: 2, stdout: "", stderr: "platform-checks: .github/platform-checks.yml is invalid: rules.sdk-drfit: no rule has this id\n" });

    write(dir, ".github/platform-checks.yml", "rules:\n  sdk-drift: warning\n  production-readiness-checklist: error\n");
    const clean = await everyRule(["check", "--repo", dir, "--format", "json"]);
    expect(clean.stderr).toBe("");
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ conclusion: "success", services: ["billing-ledger", "notifications"], findings: [] });
  });

  it("applies a valid configuration (a rule switched off reports nothing)", async () => {
    const dir = exampleCopy();
    write(dir, ".changeset/odd-ducks.md", '---\n"@services/billing-ledger": huge\n---\n\nInvoices are paginated now.\n');
    write(dir, ".github/platform-checks.yml", "_extends: .github\nrules:\n  changeset-valid: off\n");
    const { code, stderr } = await cli(["check", "--repo", dir]);
    expect(code).toBe(0);
    expect(stderr).toContain("`_extends: .github` is not followed locally");
  });

  it("exits 2 when --repo is not a directory", async () => {
    const { code, stderr } = await cli(["check", "--repo", join(tmpdir(), "no-such-platform-checks-dir")]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/is not a directory \(check --repo\)/);
  });
});

describe("platform-checks check --base", () => {
  it("checks only what changed since the ref, including uncommitted and untracked files", async () => {
    const dir = gitExample();
    appendFileSync(join(dir, "services/billing-ledger/src/index.ts"), "// currency filter\n");
    const first = await cli(["check", "--base", "main", "--format", "json", "--repo", dir]);
    expect(first.code).toBe(1);
    expect(JSON.parse(first.stdout)).toEqual({
      conclusion: "failure",
      services: ["billing-ledger"],
      findings: [
        {
          rule: "changeset-required",
          severity: "error",
          service: "billing-ledger",
          path: "services/billing-ledger/package.json",
          line: 2,
          column: 3,
          message: expect.stringContaining("`@services/billing-ledger` changed (services/billing-ledger/src/index.ts)"),
        },
      ],
    });

    write(dir, ".changeset/calm-owls-sing.md", CHANGESET); // untracked
    const second = await cli(["check", "--base", "main", "--repo", dir]);
    expect(second.stdout).toMatch(/^platform-checks: 1 service checked \(changed since main, merge base [0-9a-f]{12}\): billing-ledger\n/);
    expect(second.code).toBe(0);
  });

  it("compares with the merge base, so later commits on the base branch are not this branch's changes", async () => {
    const dir = gitExample();
    git(dir, "checkout", "-q", "-b", "feature");
    appendFileSync(join(dir, "services/notifications/src/index.ts"), "// feature work\n");
    write(dir, ".changeset/quick-foxes.md", '---\n"@services/notifications": patch\n---\n\nDeliveries are retried twice before failing.\n');
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "feature");
    git(dir, "checkout", "-q", "main");
    appendFileSync(join(dir, "services/billing-ledger/src/index.ts"), "// main moved on\n");
    git(dir, "commit", "-q", "-am", "main moves");
    git(dir, "checkout", "-q", "feature");
    const { code, stdout } = await cli(["check", "--base", "main", "--format", "json", "--repo", dir]);
    expect(JSON.parse(stdout)).toEqual({ conclusion: "success", services: ["notifications"], findings: [] });
    expect(code).toBe(0);
  });

  it("sees a promotion to stable through the base version, and says manual items must be ticked on the pull request", async () => {
    const dir = gitExample();
    const yamlPath = join(dir, "services/billing-ledger/service.yaml");
    writeFileSync(yamlPath, readFileSync(yamlPath, "utf8").replace("status: beta", "status: stable"));
    write(dir, ".changeset/calm-owls-sing.md", CHANGESET);
    const { code, stdout } = await cli(["check", "--base", "HEAD", "--repo", dir]);
    expect(code).toBe(1);
    expect(stdout).toContain("  Production-readiness checklist — billing-ledger is promoted from beta to stable, so every box must be ticked:");
    expect(stdout).toContain(
      "  Manual items cannot be ticked locally: tick them in the platform-checks comment on the pull request (5 to tick). Until then this promotion fails here.",
    );
    expect(stdout).toMatch(/services\/billing-ledger\/service\.yaml:5:9\s+error\s+production-readiness-checklist\s+billing-ledger is promoted to stable/);
  });

  it("reports a renamed file under its new and old paths (git rename detection)", async () => {
    const dir = gitExample();
    git(dir, "mv", "services/notifications/src/services/delivery.service.ts", "services/notifications/src/services/deliveries.service.ts");
    const { stdout } = await cli(["check", "--base", "HEAD", "--format", "json", "--repo", dir]);
    const [finding] = JSON.parse(stdout).findings;
    expect(finding.message).toContain(
      "`@services/notifications` changed (services/notifications/src/services/deliveries.service.ts and 1 more file(s))",
    );
  });

  it("exits 2 on an unknown ref and outside a git checkout", async () => {
    const dir = gitExample();
    const bad = await cli(["check", "--base", "no-such-branch", "--repo", dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^platform-checks: --base no-such-branch: no such commit in /);

    const plain = exampleCopy();
    const noGit = await cli(["check", "--base", "main", "--repo", plain]);
    expect(noGit.code).toBe(2);
    expect(noGit.stderr).toMatch(/is not inside a git checkout, so --base cannot find what changed; use --all/);
  });

  it("lists what git would commit: ignored files are not part of the repository", async () => {
    const dir = gitExample();
    write(dir, ".gitignore", "services/ghost/\n.changeset/local-*.md\n");
    write(dir, ".changeset/local-notes.md", "not a changeset");
    write(dir, "services/ghost/service.yaml", "name: ghost\n");
    const { code, stdout } = await cli(["check", "--all", "--format", "json", "--repo", dir]);
    expect(JSON.parse(stdout).services).toEqual(["billing-ledger", "notifications"]);
    expect(code).toBe(0);
  });
});

describe("platform-checks usage", () => {
  it("prints the usage on --help with exit 0", async () => {
    const { code, stdout, stderr } = await cli(["--help"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^Usage: platform-checks check \[--repo DIR\] \[--base REF \| --all \| --pr OWNER\/REPO#N\] \[--format FORMAT\]/);
  });

  it("exits 2 with the message and the usage on stderr for bad usage", async () => {
    const { code, stdout, stderr } = await cli(["check", "--format", "xml"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^platform-checks: --format must be one of text, json, sarif, github, markdown, not `xml`\n\nUsage: platform-checks check/);
  });
});
