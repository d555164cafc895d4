import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/engine/config.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { runChecks, type CheckReport } from "../../src/engine/run.js";
import { COMMENT_LIMIT, COMMENT_MARKER, isStickyComment, parseManualTicks, readCommentState, renderComment } from "../../src/report/comment.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { markerRule } from "../helpers/fake-rules.js";
import { liveMentions } from "../support/github-markdown.js";

const HEAD = "0123456789abcdef0123456789abcdef01234567";
const rules = [markerRule("health-endpoint-required", "BROKEN_HEALTH"), markerRule("service-readme-required", "@evil-user <img src=x>")];

async function promotedReport(edit?: (files: Record<string, string>) => void, ticks?: Map<string, Set<string>>): Promise<CheckReport> {
  const base = exampleFiles();
  const files = { ...base };
  files["services/billing-ledger/service.yaml"] = files["services/billing-ledger/service.yaml"]!.replace("status: beta", "status: stable");
  edit?.(files);
  return runChecks({ snapshot: new MemorySnapshot({ files, base }), config: parseConfig({}), rules, ...(ticks ? { manualTicks: ticks } : {}) });
}

describe("sticky comment", () => {
  it("renders results, findings and the checklist (snapshot)", async () => {
    const report = await promotedReport((files) => {
      files["services/billing-ledger/src/index.ts"] += "\n// BROKEN_HEALTH\n";
    });
    const body = renderComment(report, { headSha: HEAD })!;
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(isStickyComment(body)).toBe(true);
    // The state is compressed and varies with gzip; the visible part is what people read.
    expect(body.replace(/<!-- platform-checks:state [^ ]+ -->/, "<!-- state -->")).toMatchSnapshot();
  });

  it("keeps manual ticks across a rewrite: ticks parsed from the old body feed the next run", async () => {
    const first = renderComment(await promotedReport(), { headSha: HEAD })!;
    const ticked = first
      .replace(/- \[ \] (healthz returns 200 on the dev stage)/, "- [x] $1")
      .replace(/- \[ \] (on-call rotation has the runbook)/, "- [X] $1");
    const ticks = parseManualTicks(ticked);
    expect([...ticks.get("billing-ledger")!].sort()).toEqual(["healthz-dev", "on-call"]);
    const second = renderComment(await promotedReport(undefined, new Map(ticks as Map<string, Set<string>>)), { headSha: HEAD, previousBody: ticked })!;
    expect(second).toMatch(/- \[x\] healthz returns 200 on the dev stage/);
    expect(second).toMatch(/- \[x\] on-call rotation has the runbook/);
    expect(second).toMatch(/- \[ \] smoke test hit a real endpoint/);
  });

  it("ignores a person ticking an auto item: the bot owns those", async () => {
    const report = await promotedReport((files) => {
      files["services/billing-ledger/src/index.ts"] += "\n// BROKEN_HEALTH\n";
    });
    const body = renderComment(report, { headSha: HEAD })!.replace(/- \[ \] (\/healthz route wired)/, "- [x] $1");
    expect(parseManualTicks(body, report).get("billing-ledger")).toBeUndefined();
  });

  it("embeds the report so a tick can be re-evaluated without code", async () => {
    const report = await promotedReport();
    const state = readCommentState(renderComment(report, { headSha: HEAD }));
    expect(state?.headSha).toBe(HEAD);
    expect(state?.report).toEqual(JSON.parse(JSON.stringify(report)));
    expect(readCommentState("no state here")).toBeUndefined();
    expect(readCommentState(`<!-- platform-checks:state !!notbase64 -->`)).toBeUndefined();
  });

  it("escapes repository text: no mentions, no HTML, no broken Markdown", async () => {
    const report = await promotedReport((files) => {
      files["services/billing-ledger/README.md"] += "\n@evil-user <img src=x>\n";
    });
    const body = renderComment(report, { headSha: HEAD })!;
    expect(liveMentions(body)).toEqual([]);
    const finding = body.split("\n").find((l) => l.includes("service-readme-required"))!;
    expect(finding).not.toMatch(/@evil-user/);
    expect(finding).toContain("@\u2060evil-user"); // a word joiner: GitHub links no mention
    expect(finding).not.toContain("<img");
    expect(finding).toContain("&lt;img src=x&gt;");
  });

  it("says nothing on a PR that touches no service and has no findings, but updates an existing comment", () => {
    const empty: CheckReport = { conclusion: "success", services: [], deletedServices: [], findings: [], ruleRuns: [], checklists: [] };
    expect(renderComment(empty, { headSha: HEAD })).toBeUndefined();
    const body = renderComment(empty, { headSha: HEAD, previousBody: `${COMMENT_MARKER}\nold` });
    expect(body).toContain("no longer changes any service");
  });

  it("stays under GitHub's comment limit with a note when there are very many findings", async () => {
    const report = await promotedReport((files) => {
      for (let i = 0; i < 400; i++) files[`services/billing-ledger/src/gen/f${i}.ts`] = `// BROKEN_HEALTH ${"x".repeat(300)}`;
      for (let i = 0; i < 300; i++) files[`services/s${i}/service.yaml`] = `name: s${i}\n`;
    });
    const body = renderComment(report, { headSha: HEAD })!;
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body).toMatch(/more: see the check run's annotations/);
    expect(body).toMatch(/cut to stay within GitHub's comment limit/);
  });
});
