import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import changesetValid from "../../src/rules/changeset-valid.js";
import serviceYamlRequired from "../../src/rules/service-yaml-required.js";
import serviceYamlSchema from "../../src/rules/service-yaml-schema.js";
import { EXAMPLE_ROOT } from "../helpers/example-repo.js";
import { sarifValidator } from "../helpers/sarif-schema.js";

const RULES = [serviceYamlRequired, serviceYamlSchema, changesetValid];
const validateSarif = sarifValidator();

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A workspace holding a copy of the example under `mono/`, with notifications' status broken. */
function brokenWorkspace(): { workspace: string; dir: string } {
  const workspace = mkdtempSync(join(tmpdir(), "platform-checks-formats-"));
  temps.push(workspace);
  const dir = join(workspace, "mono");
  cpSync(EXAMPLE_ROOT, dir, { recursive: true });
  const yamlPath = join(dir, "services/notifications/service.yaml");
  writeFileSync(yamlPath, readFileSync(yamlPath, "utf8").replace("status: stable", "status: production"));
  return { workspace, dir };
}

async function cli(argv: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd, env }, { rules: RULES });
  return { code, stdout, stderr };
}

describe("platform-checks check --format", () => {
  it("sarif: a valid SARIF 2.1.0 log whose paths are relative to the workspace root, with each rule's doc page as help", async () => {
    const { workspace } = brokenWorkspace();
    const { code, stdout, stderr } = await cli(["check", "--repo", "mono", "--format", "sarif"], workspace);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    const log = JSON.parse(stdout);
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    const [result] = log.runs[0].results;
    expect(result).toMatchObject({
      ruleId: "service-yaml-schema",
      level: "error",
      message: { text: "`status` must be one of alpha, beta, stable." },
      locations: [{ physicalLocation: { artifactLocation: { uri: "mono/services/notifications/service.yaml" }, region: { startLine: 5, startColumn: 9 } } }],
    });
    const rule = log.runs[0].tool.driver.rules[result.ruleIndex];
    expect(rule.help.markdown).toBe(readFileSync(new URL("../../docs/rules/service-yaml-schema.md", import.meta.url), "utf8"));
    expect(log.runs[0].results).toHaveLength(1);
  });

  it("github: annotations relative to $GITHUB_WORKSPACE, then a plain total line", async () => {
    const { workspace, dir } = brokenWorkspace();
    const { code, stdout } = await cli(["check", "--repo", dir, "--format", "github"], tmpdir(), { GITHUB_WORKSPACE: workspace });
    expect(code).toBe(1);
    expect(stdout.split("\n")).toEqual([
      "::error file=mono/services/notifications/service.yaml,line=5,col=9,title=service-yaml-schema::`status` must be one of alpha, beta, stable.%0A%0ARule: https://github.com/loop-platform/platform-checks/blob/main/docs/rules/service-yaml-schema.md",
      "platform-checks: 1 error (billing-ledger, notifications): failure.",
      "",
    ]);
  });

  it("markdown: the comment renderer's report for a step summary", async () => {
    const { dir } = brokenWorkspace();
    const { code, stdout } = await cli(["check", "--repo", dir, "--format", "markdown"], dir);
    expect(code).toBe(1);
    expect(stdout.split("\n")[0]).toBe("### ❌ Loop Platform / pre-merge: 1 error");
    expect(stdout).toContain("| `notifications` | ❌ 1 error |");
    expect(stdout).toContain("[service-yaml-schema](https://github.com/loop-platform/platform-checks/blob/main/docs/rules/service-yaml-schema.md)");
    expect(stdout).toContain("<sub>Checked every service.");
  });

  it("sarif and github on a clean checkout: no results, exit 0", async () => {
    const clean = mkdtempSync(join(tmpdir(), "platform-checks-formats-"));
    temps.push(clean);
    cpSync(EXAMPLE_ROOT, clean, { recursive: true });
    const sarif = await cli(["check", "--format", "sarif"], clean);
    expect(sarif.code).toBe(0);
    expect(JSON.parse(sarif.stdout).runs[0].results).toEqual([]);
    const github = await cli(["check", "--format", "github"], clean);
    expect(github.stdout).toBe("platform-checks: no findings (billing-ledger, notifications): success.\n");
  });
});
