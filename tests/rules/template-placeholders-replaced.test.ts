import { describe, expect, it } from "vitest";
import rule from "../../src/rules/template-placeholders-replaced.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const ID = "error template-placeholders-replaced";
const FROM = "is a scaffold placeholder left from services/_template/.";

/** `cp -r services/_template services/<name>`, as guide step 1 says. */
function scaffold(files: Record<string, string>, name: string): void {
  for (const [path, text] of Object.entries(files)) {
    if (path.startsWith("services/_template/")) files[path.replace("services/_template/", `services/${name}/`)] = text;
  }
}

describe("template-placeholders-replaced", () => {
  describe("valid", () => {
    it("accepts the example services, and never checks the _template scaffold itself", async () => {
      const files = exampleFiles();
      expect(files["services/_template/service.yaml"]).toContain("<your-service>");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts the word `your` in prose and identifiers that only start like a placeholder", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/README.md"] += "\nSet your API key in `.env`; bring your-own-key works too. <b>Your</b> invoices.\n";
      files["services/billing-ledger/src/util.ts"] = "export const yourServiceClient = 1;\nexport const yourself = 2;\n";
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts a scaffolded service once every placeholder is replaced", async () => {
      const files = exampleFiles();
      scaffold(files, "payments");
      for (const path of Object.keys(files).filter((p) => p.startsWith("services/payments/"))) {
        files[path] = files[path]!
          .replaceAll("<your-service>", "payments")
          .replaceAll("<Your Service>", "Payments")
          .replaceAll("<YourService>", "Payments")
          .replaceAll("yourService", "payments")
          .replaceAll("@your-handle", "@loop/payments")
          .replaceAll("<your_schema>", "payments")
          .replace("One sentence on what this service owns.", "Takes card payments for every brand.");
      }
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports every placeholder of a freshly copied template, at each occurrence", async () => {
      const files = exampleFiles();
      scaffold(files, "payments");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `services/payments/infra.ts:4:17 ${ID} \`yourService\` ${FROM} Replace it with \`payments\`.`,
        `services/payments/infra.ts:6:31 ${ID} \`<YourService>\` ${FROM} Replace it with \`Payments\`.`,
        `services/payments/infra.ts:8:33 ${ID} \`<your-service>\` ${FROM} Replace it with \`payments\`.`,
        `services/payments/openapi.yaml:3:10 ${ID} \`<Your Service>\` ${FROM} Replace it with the service's display name.`,
        `services/payments/package.json:2:22 ${ID} \`<your-service>\` ${FROM} Replace it with \`payments\`.`,
        `services/payments/README.md:1:3 ${ID} \`<Your Service>\` ${FROM} Replace it with the service's display name.`,
        `services/payments/README.md:3:23 ${ID} \`<your-service>\` ${FROM} Replace it with \`payments\`.`,
        `services/payments/README.md:8:25 ${ID} \`<your-service>\` ${FROM} Replace it with \`payments\`.`,
        `services/payments/RUNBOOK.md:1:3 ${ID} \`<Your Service>\` ${FROM} Replace it with the service's display name.`,
        `services/payments/service.yaml:1:7 ${ID} \`<your-service>\` ${FROM} Replace it with \`payments\`.`,
        `services/payments/service.yaml:2:16 ${ID} \`<Your Service>\` ${FROM} Replace it with the service's display name.`,
        `services/payments/service.yaml:3:9 ${ID} \`@your-handle\` ${FROM} Replace it with the owning team's \`@org/team\` handle.`,
        `services/payments/service.yaml:6:14 ${ID} \`description\` is still the template's placeholder sentence (One sentence on what this service owns.). Write one sentence on what payments owns (guide step 2).`,
        `services/payments/service.yaml:13:19 ${ID} \`<your_schema>\` ${FROM} Replace it with the Postgres schema the service owns.`,
        `services/payments/src/db/schema.ts:3:33 ${ID} \`<your_schema>\` ${FROM} Replace it with the Postgres schema the service owns.`,
        `services/payments/src/index.ts:4:23 ${ID} \`<your-service>\` ${FROM} Replace it with \`payments\`.`,
        `services/payments/src/index.ts:5:17 ${ID} \`<your_schema>\` ${FROM} Replace it with the Postgres schema the service owns.`,
      ]);
    });

    it("suggests the real values from service.yaml once they are filled in", async () => {
      const files = exampleFiles();
      edit(files, "services/billing-ledger/RUNBOOK.md", "Owner: @loop/billing-team.", "Owner: @your-handle, schema <your_schema>, <Your Service>.");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `services/billing-ledger/RUNBOOK.md:3:8 ${ID} \`@your-handle\` ${FROM} Replace it with the owning team's handle (service.yaml says \`@loop/billing-team\`).`,
        `services/billing-ledger/RUNBOOK.md:3:29 ${ID} \`<your_schema>\` ${FROM} Replace it with the schema the service owns (\`billing\`).`,
        `services/billing-ledger/RUNBOOK.md:3:44 ${ID} \`<Your Service>\` ${FROM} Replace it with \`Billing Ledger\`.`,
      ]);
    });

    it("learns placeholders from the template, and keeps the built-in ones without a template", async () => {
      const files = exampleFiles();
      files["services/_template/docs/oncall.md"] = "Page <your-team-channel> or @your-oncall.\n";
      files["services/billing-ledger/docs/oncall.md"] = "Page <your-team-channel>, rotation @your-oncall.\n";
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `services/billing-ledger/docs/oncall.md:1:6 ${ID} \`<your-team-channel>\` ${FROM} Replace it with the service's real value.`,
        `services/billing-ledger/docs/oncall.md:1:36 ${ID} \`@your-oncall\` ${FROM} Replace it with the service's real value.`,
      ]);

      const bare = exampleFiles();
      for (const path of Object.keys(bare)) if (path.startsWith("services/_template/")) delete bare[path];
      edit(bare, "services/notifications/infra.ts", /export function notifications/, "export function yourService");
      const findings = await runRule(rule, bare);
      expect(findings.map((f) => `${f.path}:${f.line}:${f.column} ${f.message.split(" ")[0]}`)).toEqual([
        expect.stringMatching(/^services\/notifications\/infra\.ts:\d+:17 `yourService`$/),
      ]);
    });
  });

  describe("the example monorepo under the whole engine", () => {
    it("is clean", async () => {
      expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
    });

    it("reports exactly one finding per break", async () => {
      const report = await runAllOnExample((files) => {
        edit(files, "services/billing-ledger/README.md", "# Billing Ledger", "# <Your Service>");
        edit(files, "services/notifications/service.yaml", '"@loop/messaging"', '"@your-handle"');
      });
      expect(report.findings.filter((f) => f.rule === rule.meta.id).map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual([
        "services/billing-ledger/README.md:1:3",
        "services/notifications/service.yaml:3:9",
      ]);
    });
  });
});
