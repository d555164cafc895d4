import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, findingCommand, renderWorkflowCommands, workflowCommand } from "../../src/report/workflow-commands.js";
import { hostileReport } from "../helpers/report-fixture.js";

describe("workflow commands (--format github)", () => {
  it("prints one command per finding at its file, line and column, with the rule as title and a link to its doc", () => {
    const out = renderWorkflowCommands(hostileReport(), { config: { docs_base_url: "https://docs.example.com/rules" } });
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(
      "::error file=services/billing-ledger/src/db/schema.ts,line=37,col=24,title=migration-brand-id-required::Table `refunds` (billing.refunds) has no brand_id column. 100%25 of tables need one%0D%0A@everyone <img src=x>%0A%0ARule: https://docs.example.com/rules/migration-brand-id-required.md",
    );
    expect(lines[2]).toMatch(/^::warning file=services\/billing-ledger\/service\.yaml,line=4,title=owner-in-codeowners::CODEOWNERS/);
    // No line: the annotation is on the file, without line or col.
    expect(lines[3]).toMatch(/^::notice file=services\/billing-ledger\/RUNBOOK\.md,title=service-runbook-required::RUNBOOK\.md is missing\.%0A%0ARule: /);
    expect(lines[4]).toBe("platform-checks: 2 errors, 1 warning, 1 notice (billing-ledger): failure.");
  });

  it("escapes properties: a comma or colon in a path cannot add or end a property", () => {
    const line = findingCommand(hostileReport().findings[0]!);
    expect(line.startsWith("::error file=.changeset/odd%2Cname%3A1.md,line=2,col=29,title=changeset-valid::")).toBe(true);
  });

  it("never lets repository text start a command of its own: every line but the last starts with the finding's own command", () => {
    const out = renderWorkflowCommands(hostileReport());
    const lines = out.trimEnd().split(/\r\n|\r|\n/);
    expect(lines).toHaveLength(5);
    expect(lines.slice(0, 4).map((l) => /^::(error|warning|notice) file=/.test(l))).toEqual([true, true, true, true]);
    expect(out).not.toMatch(/\n::error file=evil/);
    expect(lines[0]).toContain("`huge%0A::error file=evil.ts::pwned`");
  });

  it("prefixes paths with the checked folder's place in the workspace", () => {
    expect(findingCommand(hostileReport().findings[2]!, { pathPrefix: "mono/" })).toMatch(/^::warning file=mono\/services\/billing-ledger\/service\.yaml,/);
  });

  it("escapes % before the other characters, as GitHub's toolkit does", () => {
    expect(escapeData("50%\r\n:,")).toBe("50%25%0D%0A:,");
    expect(escapeProperty("a%0A:b,c")).toBe("a%250A%3Ab%2Cc");
    expect(workflowCommand("error", [["title", "x"], ["line", undefined]], "m")).toBe("::error title=x::m");
  });
});
