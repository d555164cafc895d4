import { describe, expect, it } from "vitest";
import { RULES } from "../../src/rules/index.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { edit, runRules } from "../helpers/rule-harness.js";

const B = "services/billing-ledger";
const N = "services/notifications";
const summary = (findings: readonly { rule: string; path: string; line?: number; column?: number; severity: string }[]) =>
  findings.map((f) => `${f.severity} ${f.rule} ${f.path}:${f.line ?? "-"}:${f.column ?? "-"}`);

describe("issues 2 and 4 acceptance: a deliberately broken copy of the example", () => {
  it("reports one finding per break in descriptors, docs and tests (whole tree)", async () => {
    const files = exampleFiles();
    // service-yaml-schema: a brand that is not configured
    edit(files, `${N}/service.yaml`, "brand_scope: [loop]", "brand_scope: [loop, lopbio]");
    // service-name-consistent: service.yaml named after another folder
    edit(files, `${B}/service.yaml`, "name: billing-ledger", "name: billing");
    // template-placeholders-replaced: a placeholder left in the README
    edit(files, `${N}/README.md`, "## Run locally", "Owner: @your-handle\n\n## Run locally");
    // owner-in-codeowners: the owner no longer on the service's CODEOWNERS line
    edit(files, ".github/CODEOWNERS", "/services/notifications/       @loop/messaging", "/services/notifications/       @loop/platform");
    // service-runbook-required: an empty Dashboards section
    edit(files, `${B}/RUNBOOK.md`, "- CloudWatch: `BillingLedger-Overview` (latency, error rate, task count).\n- Grafana: Billing / Ledger health.\n", "");
    // docs-dead-links: a link to a file that does not exist
    edit(files, "docs/services/billing-ledger.md", "[Notifications](./notifications.md)", "[Notifications](./notification.md)");
    // service-page-drift: the page's team differs from service.yaml
    edit(files, "docs/services/notifications.md", "team: messaging", "team: comms");
    // cross-link-audit: the service page no longer links the runbook
    edit(files, "docs/services/notifications.md", "- [Runbook](../../services/notifications/RUNBOOK.md)\n", "");
    // test-buckets-required: no conformance test
    delete files[`${B}/tests/conformance/platform.test.ts`];
    // ai-overview-staleness: an overview generated from another tree
    edit(files, "docs/ai-overview/billing-ledger.md", /source_tree: [0-9a-f]+/, `source_tree: ${"0".repeat(40)}`);
    // service-readme-required: the run-locally section lost its commands
    edit(files, `${B}/README.md`, /```sh\npnpm install\npnpm --filter @services\/billing-ledger dev\n```\n/, "");

    const report = await runRules(RULES, files);
    expect(summary(report.findings)).toEqual([
      "warning ai-overview-staleness docs/ai-overview/billing-ledger.md:2:14",
      "error docs-dead-links docs/services/billing-ledger.md:15:10",
      "error service-readme-required services/billing-ledger/README.md:11:1",
      "error service-runbook-required services/billing-ledger/RUNBOOK.md:10:1",
      "error service-name-consistent services/billing-ledger/service.yaml:1:7",
      "error test-buckets-required services/billing-ledger/tests/conformance:-:-",
      "warning owner-in-codeowners .github/CODEOWNERS:4:1",
      "error service-page-drift docs/services/notifications.md:4:7",
      "error cross-link-audit docs/services/notifications.md:9:1",
      "error template-placeholders-replaced services/notifications/README.md:9:8",
      "error service-yaml-schema services/notifications/service.yaml:16:21",
    ]);
  });

  it("gates a promotion on the checklist and a package change on its changeset (pull request)", async () => {
    const base = exampleFiles();
    const files = { ...base };
    // production-readiness-checklist: billing-ledger promoted to stable, manual boxes unticked
    edit(files, `${B}/service.yaml`, "status: beta", "status: stable");
    edit(files, "docs/services/billing-ledger.md", "status: beta", "status: stable");
    // changeset-required: notifications' source changes with no changeset naming it
    edit(files, `${N}/src/services/delivery.service.ts`, "list(brandId: string) {", "list(brandId: string): ReturnType<DeliveryRepository[\"list\"]> {");
    // changeset-valid: the changeset this PR edits names a package that does not exist
    edit(files, ".changeset/brave-lions-sing.md", '"@platform/sdk-billing-ledger": minor', '"@platform/sdk-billing": minor');
    files["docs/ai-overview/notifications.md"] = base["docs/ai-overview/notifications.md"]!; // (stale overview is expected below)

    const report = await runRules(RULES, files, { base });
    expect(summary(report.findings)).toEqual([
      "error changeset-valid .changeset/brave-lions-sing.md:3:1",
      "error production-readiness-checklist services/billing-ledger/service.yaml:5:9",
      "warning ai-overview-staleness docs/ai-overview/notifications.md:2:14",
      "error changeset-required services/notifications/package.json:2:3",
    ]);
    expect(report.checklists.find((c) => c.service === "billing-ledger")).toMatchObject({ gated: true });
    expect(report.conclusion).toBe("failure");
  });
});
