import { describe, expect, it } from "vitest";
import rule from "../../src/rules/schemas-owned-match.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const ID = "schemas-owned-match";
const BILLING_SCHEMA = "services/billing-ledger/src/db/schema.ts";
const BILLING_YAML = "services/billing-ledger/service.yaml";
const NOTIFICATIONS_YAML = "services/notifications/service.yaml";

async function findings(files: Record<string, string>) {
  return describeFindings(await runRule(rule, files));
}

describe("schemas-owned-match", () => {
  describe("valid", () => {
    it("leaves the example monorepo clean under the whole engine", async () => {
      expect(await exampleFindingsOf(ID)).toEqual([]);
    });

    it("accepts renamed and namespaced pgSchema imports and a block-style list", async () => {
      const files = exampleFiles();
      files[BILLING_SCHEMA] = `import { pgSchema as schema, text } from "drizzle-orm/pg-core";
import * as pg from "drizzle-orm/pg-core";
export const billing = schema("billing");
export const invoices = pg.pgSchema("billing_archive").table("invoices", { brandId: text("brand_id") });
`;
      edit(files, BILLING_YAML, "schemas_owned: [billing]", "schemas_owned:\n    - billing\n    - billing_archive");
      expect(await findings(files)).toEqual([]);
      // Dropping the second list item makes the inline pgSchema call a finding: the call was seen.
      edit(files, BILLING_YAML, "\n    - billing_archive", "");
      expect((await findings(files)).map((l) => l.split(" ")[0])).toEqual([`${BILLING_SCHEMA}:4:25`]);
    });

    it("accepts a service with only public tables and no owned schema, and a service without schema.ts", async () => {
      const files = exampleFiles();
      files[BILLING_SCHEMA] = `import { pgTable, text } from "drizzle-orm/pg-core";\nexport const invoices = pgTable("invoices", { brandId: text("brand_id") });\n`;
      edit(files, BILLING_YAML, "schemas_owned: [billing]", "schemas_owned: []");
      delete files["services/notifications/src/db/schema.ts"];
      edit(files, NOTIFICATIONS_YAML, "schemas_owned: [notifications]", "schemas_owned: []");
      expect(await findings(files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a declared schema that service.yaml does not list, at the pgSchema call", async () => {
      const files = exampleFiles();
      edit(files, BILLING_SCHEMA, `export const billing = pgSchema("billing");`, `export const billing = pgSchema("billing");\nexport const audit = pgSchema("billing_audit");`);
      expect(await findings(files)).toEqual([
        `${BILLING_SCHEMA}:4:22 error ${ID} The Drizzle schema declares pgSchema("billing_audit"), but service.yaml does not list it in data.schemas_owned. Add \`billing_audit\` to data.schemas_owned, or use a schema this service owns.`,
      ]);
    });

    it("reports a listed schema that schema.ts does not declare, at its list item (flow and block lists)", async () => {
      const files = exampleFiles();
      edit(files, BILLING_YAML, "schemas_owned: [billing]", "schemas_owned: [billing, billing_reports]");
      edit(files, NOTIFICATIONS_YAML, "schemas_owned: [notifications]", "schemas_owned:\n    - notifications\n    - outbox");
      delete files["services/notifications/src/db/schema.ts"];
      expect(await findings(files)).toEqual([
        `${BILLING_YAML}:13:28 error ${ID} service.yaml lists \`billing_reports\` in data.schemas_owned, but the Drizzle schema declares no pgSchema("billing_reports") (it declares "billing"). Remove it from the list, or declare \`export const billing_reports = pgSchema("billing_reports")\`.`,
        `${NOTIFICATIONS_YAML}:16:7 error ${ID} service.yaml lists \`notifications\` in data.schemas_owned, but the Drizzle schema declares no pgSchema("notifications") (the service has no src/db/schema.ts). Remove it from the list, or declare \`export const notifications = pgSchema("notifications")\`.`,
        `${NOTIFICATIONS_YAML}:17:7 error ${ID} service.yaml lists \`outbox\` in data.schemas_owned, but the Drizzle schema declares no pgSchema("outbox") (the service has no src/db/schema.ts). Remove it from the list, or declare \`export const outbox = pgSchema("outbox")\`.`,
      ]);
    });

    it("reports a schema owned by two services, in each service.yaml, naming the other service", async () => {
      const files = exampleFiles();
      edit(files, NOTIFICATIONS_YAML, "schemas_owned: [notifications]", "schemas_owned: [notifications, billing]");
      edit(files, "services/notifications/src/db/schema.ts", `export const notificationsSchema = pg.pgSchema("notifications");`, `export const notificationsSchema = pg.pgSchema("notifications");\nexport const billingView = pg.pgSchema("billing");`);
      expect(await findings(files)).toEqual([
        `${BILLING_YAML}:13:19 error ${ID} Schema \`billing\` is also listed in data.schemas_owned of service \`notifications\` (${NOTIFICATIONS_YAML}). A schema has one owning service: remove it from one of the two.`,
        `${NOTIFICATIONS_YAML}:15:34 error ${ID} Schema \`billing\` is also listed in data.schemas_owned of service \`billing-ledger\` (${BILLING_YAML}). A schema has one owning service: remove it from one of the two.`,
      ]);
    });

    it("warns when the schema name is computed, instead of guessing", async () => {
      const files = exampleFiles();
      edit(files, BILLING_SCHEMA, `pgSchema("billing")`, `pgSchema(process.env.BILLING_SCHEMA ?? "billing")`);
      expect(await findings(files)).toEqual([
        `${BILLING_SCHEMA}:3:24 warning ${ID} \`pgSchema(process.env.BILLING_SCHEMA ?? "billing")\` names its schema with \`process.env.BILLING_SCHEMA ?? "billing"\`, which is only known at run time, so platform-checks cannot compare it with data.schemas_owned. Pass the schema name as a string literal.`,
      ]);
    });

    it("reads a schema name held in a constant of another file, and a pgSchema declared beside split schema files", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/src/db/names.ts"] = `export const SCHEMAS = { billing: "billing", audit: \`billing_${"audit"}\` } as const;\n`;
      edit(files, BILLING_SCHEMA, `pgSchema("billing")`, `pgSchema(SCHEMAS.billing)`);
      edit(files, BILLING_SCHEMA, `import {`, `import { SCHEMAS } from "./names";\nimport {`);
      files["services/billing-ledger/src/db/schema/audit.ts"] = `import { pgSchema } from "drizzle-orm/pg-core";\nimport { SCHEMAS } from "../names";\nexport const audit = pgSchema(SCHEMAS.audit);\n`;
      expect(await findings(files)).toEqual([
        `services/billing-ledger/src/db/schema/audit.ts:3:22 error ${ID} The Drizzle schema declares pgSchema("billing_audit"), but service.yaml does not list it in data.schemas_owned. Add \`billing_audit\` to data.schemas_owned, or use a schema this service owns.`,
      ]);
    });
  });

  it("a broken copy of the example yields one finding per break, at the right file and line", async () => {
    const report = await runAllOnExample((files) => {
      edit(files, BILLING_SCHEMA, `pgSchema("billing")`, `pgSchema("billing_v2")`);
      edit(files, NOTIFICATIONS_YAML, "schemas_owned: [notifications]", "schemas_owned: [notifications, messaging]");
    });
    const lines = describeFindings(report.findings.filter((f) => f.rule === ID)).map((l) => l.split(" ").slice(0, 2).join(" "));
    expect(lines).toEqual([
      `${BILLING_YAML}:13:19 error`,
      `${BILLING_SCHEMA}:3:24 error`,
      `${NOTIFICATIONS_YAML}:15:34 error`,
    ]);
  });
});
