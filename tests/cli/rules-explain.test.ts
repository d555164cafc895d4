import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { RULE_METAS } from "../../src/cli/rule-catalog.js";

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[], cwd = tmpdir()) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd, env: {} });
  return { code, stdout, stderr };
}

function repoWithConfig(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "platform-checks-rules-"));
  temps.push(dir);
  mkdirSync(join(dir, ".github"));
  writeFileSync(join(dir, ".github/platform-checks.yml"), yaml);
  return dir;
}

describe("platform-checks rules", () => {
  it("lists every rule with its severity under the configuration, marking the ones it changed", async () => {
    const dir = repoWithConfig("rules:\n  owner-in-codeowners: error\n  sdk-drift: off\n");
    const { code, stdout } = await cli(["rules", "--repo", dir]);
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe(`${RULE_METAS.length} rules; severities under ${join(dir, ".github/platform-checks.yml")} (2 changed from the default):`);
    expect(lines.find((l) => l.includes(" owner-in-codeowners "))).toMatch(
      /^error \(default warning\) +owner-in-codeowners +CODEOWNERS covers the service folder and names its owner$/,
    );
    expect(lines.find((l) => l.includes(" sdk-drift "))).toMatch(/^off \(default error\)\s+sdk-drift\s+The generated SDK exists/);
    expect(lines.find((l) => l.includes(" service-yaml-required "))).toMatch(/^error\s+service-yaml-required\s+service\.yaml exists/);
    expect(lines.filter((l) => /^(error|warning|notice|off)/.test(l))).toHaveLength(RULE_METAS.length);
  });

  it("prints JSON with the effective and default severity and the doc link", async () => {
    const dir = repoWithConfig("docs_base_url: https://docs.example.com/rules\nrules:\n  sdk-drift: notice\n");
    const { stdout } = await cli(["rules", "--repo", dir, "--format", "json"]);
    const listing = JSON.parse(stdout);
    expect(listing.find((r: any) => r.id === "sdk-drift")).toEqual({
      id: "sdk-drift",
      severity: "notice",
      defaultSeverity: "error",
      title: expect.stringContaining("generated SDK"),
      docs: "https://docs.example.com/rules/sdk-drift.md",
    });
    expect(listing.at(-1).id).toBe("production-readiness-checklist");
  });

  it("uses the defaults without a configuration file, and exits 2 on an invalid one", async () => {
    const plain = mkdtempSync(join(tmpdir(), "platform-checks-rules-"));
    temps.push(plain);
    expect((await cli(["rules", "--repo", plain])).stdout).toMatch(/severities under the defaults \(no \.github\/platform-checks\.yml in /);
    const bad = await cli(["rules", "--repo", repoWithConfig("rules:\n  sdk-drfit: off\n")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("rules.sdk-drfit: no rule has this id");
  });
});

describe("platform-checks explain", () => {
  it("prints the rule's doc page", async () => {
    const { code, stdout } = await cli(["explain", "publish-in-transaction"]);
    expect(code).toBe(0);
    expect(stdout).toBe(readFileSync(new URL("../../docs/rules/publish-in-transaction.md", import.meta.url), "utf8"));
  });

  it("has a page for every rule", async () => {
    for (const meta of RULE_METAS) expect((await cli(["explain", meta.id])).code, meta.id).toBe(0);
  });

  it("exits 2 on an unknown rule, suggesting near ones, and never reads another file", async () => {
    const near = await cli(["explain", "publish"]);
    expect(near.code).toBe(2);
    expect(near.stderr).toBe("platform-checks: no rule `publish`: did you mean `events-published-declared`, `publish-in-transaction`?\n");
    const traversal = await cli(["explain", "../../package"]);
    expect(traversal.code).toBe(2);
    expect(traversal.stdout).toBe("");
    expect(traversal.stderr).toMatch(/no rule `\.\.\/\.\.\/package`: `platform-checks rules` lists them/);
  });
});
