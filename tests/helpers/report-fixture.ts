import type { CheckReport, EngineFinding } from "../../src/engine/run.js";

/**
 * A report as the engine makes it, with findings whose text comes from a
 * hostile repository: newlines, workflow-command syntax, percent signs,
 * commas and colons in paths, Markdown and mentions.
 */
export function hostileReport(): CheckReport {
  const findings: EngineFinding[] = [
    {
      rule: "changeset-valid",
      severity: "error",
      service: null,
      path: ".changeset/odd,name:1.md",
      line: 2,
      column: 29,
      message: "This changeset gives `@services/x` the bump `huge\n::error file=evil.ts::pwned`; use major, minor or patch.",
    },
    {
      rule: "migration-brand-id-required",
      severity: "error",
      service: "billing-ledger",
      path: "services/billing-ledger/src/db/schema.ts",
      line: 37,
      column: 24,
      message: "Table `refunds` (billing.refunds) has no brand_id column. 100% of tables need one\r\n@everyone <img src=x>",
    },
    {
      rule: "owner-in-codeowners",
      severity: "warning",
      service: "billing-ledger",
      path: "services/billing-ledger/service.yaml",
      line: 4,
      message: "CODEOWNERS does not name `@loop/billing-team` for services/billing-ledger/.",
    },
    {
      rule: "service-runbook-required",
      severity: "notice",
      service: "billing-ledger",
      path: "services/billing-ledger/RUNBOOK.md",
      message: "RUNBOOK.md is missing.",
    },
  ];
  return {
    conclusion: "failure",
    services: ["billing-ledger"],
    deletedServices: [],
    findings,
    ruleRuns: [],
    checklists: [],
  };
}
