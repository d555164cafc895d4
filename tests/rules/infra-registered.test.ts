import { describe, expect, it } from "vitest";
import rule from "../../src/rules/infra-registered.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const SST = "sst.config.ts";
const RULE = "infra-registered";
const NOTIFICATIONS_IMPORT = '    const notificationsInfra = await import("./services/notifications/infra.ts");\n    const notifications = notificationsInfra.notifications(shared);\n';

describe("infra-registered", () => {
  describe("valid", () => {
    it("accepts the example: `.then((m) => m.billingLedger(shared))` and a module held in a variable", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts a destructured callback parameter, a `.js` extension and `(await import(…)).x(shared)`", async () => {
      const files = exampleFiles();
      edit(files, SST, 'import("./services/billing-ledger/infra").then((m) =>\n      m.billingLedger(shared),\n    );', 'import("./services/billing-ledger/infra.js").then(({ billingLedger: fragment }) => {\n      return fragment(shared);\n    });');
      edit(files, SST, NOTIFICATIONS_IMPORT, '    const notifications = (await import("./services/notifications/infra")).notifications(shared);\n');
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts the call written straight into the returned object, and `const { x } = await import(…)`", async () => {
      const files = exampleFiles();
      edit(files, SST, "      billingLedgerService: billingLedger,", '      billingLedgerService: await import("./services/billing-ledger/infra").then((m) => m.billingLedger(shared)),');
      edit(files, SST, /    const billingLedger = await import[^;]+;\n/, "");
      edit(files, SST, NOTIFICATIONS_IMPORT, '    const { notifications: deployNotifications } = await import("./services/notifications/infra");\n    const notifications = deployNotifications(shared);\n');
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts static namespace and renamed imports, and fragments re-exported by a barrel module", async () => {
      const files = exampleFiles();
      edit(files, SST, "/// <reference", 'import * as billing from "./services/billing-ledger/infra";\nimport * as fragments from "./infra/fragments";\n/// <reference');
      edit(files, SST, /const billingLedger = await import[^;]+;/, "const billingLedger = billing.billingLedger(shared);");
      edit(files, SST, NOTIFICATIONS_IMPORT, "    const notifications = fragments.deployNotifications(shared);\n");
      files["infra/fragments.ts"] = 'export { notifications as deployNotifications } from "../services/notifications/infra";\n';
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts an output of the fragment's result (`billingLedgerService: billingLedger.url`), the shape SST outputs take", async () => {
      const files = exampleFiles();
      edit(files, SST, "billingLedgerService: billingLedger,", "billingLedgerService: billingLedger.url,");
      edit(files, SST, "notificationsService: notifications,", "notificationsService: notifications.nodes.service?.arn,");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("follows modules loaded together: `const [billing, notificationsInfra] = await Promise.all([import(…), import(…)])`", async () => {
      const files = exampleFiles();
      edit(files, SST, /    const billingLedger = await import[^;]+;\n/, "");
      edit(
        files,
        SST,
        NOTIFICATIONS_IMPORT,
        '    const [billing, , notificationsInfra] = await Promise.all([\n      import("./services/billing-ledger/infra"),\n      import("./infra/shared"),\n      import("./services/notifications/infra"),\n    ]);\n    const billingLedger = billing.billingLedger(shared);\n    const notifications = notificationsInfra.notifications(shared);\n',
      );
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("follows a result kept through a stage conditional (`$app.stage === \"production\" ? m.x(shared) : undefined`)", async () => {
      const files = exampleFiles();
      edit(files, SST, "const notifications = notificationsInfra.notifications(shared);", 'const notifications = $app.stage === "production" ? notificationsInfra.notifications(shared) : undefined;');
      expect(await runRule(rule, files)).toEqual([]);
    });
    it("accepts a fragment result destructured into outputs (`const { url: notificationsUrl } = m.x(shared)`)", async () => {
      const files = exampleFiles();
      edit(files, SST, "const notifications = notificationsInfra.notifications(shared);", "const { service, url: notificationsUrl } = notificationsInfra.notifications(shared);");
      edit(files, SST, "notificationsService: notifications,", "notificationsService: notificationsUrl,");
      expect(await runRule(rule, files)).toEqual([]);
    });
    it("reads outputs assigned one by one to the object run() returns, and reports a wrong key at its assignment", async () => {
      const files = exampleFiles();
      edit(
        files,
        SST,
        /    return \{\n      billingLedgerService: billingLedger,\n      notificationsService: notifications,\n    \};/,
        '    const outputs: Record<string, unknown> = {};\n    outputs.billingLedgerService = billingLedger;\n    outputs["notificationsService"] = notifications.url;\n    return outputs;',
      );
      expect(await runRule(rule, files)).toEqual([]);
      edit(files, SST, "outputs.billingLedgerService = billingLedger;", "outputs.billing = billingLedger;");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${SST}:18:5 error ${RULE} The result of \`billingLedger(shared)\` is returned under \`billing\`; the platform expects \`billingLedgerService\`. Rename the key.`,
      ]);
    });
  });

  describe("cannot decide", () => {
    it("reads imports made in a loop over a constant list, and warns about the export chosen at run time", async () => {
      const files = exampleFiles();
      edit(files, SST, /    const billingLedger = await import[^;]+;\n/, "");
      edit(
        files,
        SST,
        NOTIFICATIONS_IMPORT,
        [
          "    const outputs: Record<string, unknown> = {};",
          "    for (const name of SERVICES) {",
          "      const fragment = await import(`./services/${name}/infra`);",
          "      outputs[name] = fragment[toCamel(name)](shared);",
          "    }",
          "",
        ].join("\n"),
      );
      edit(files, SST, "export default $config({", 'const SERVICES = ["billing-ledger", "notifications"] as const;\nexport default $config({');
      const warning = (dir: string, camel: string) =>
        `${SST}:15:23 warning ${RULE} Cannot tell statically whether sst.config.ts calls \`${camel}\` from \`./services/${dir}/infra\`: the module is used as \`fragment[toCamel(name)]\`. Call \`m.${camel}(shared)\` directly.`;
      expect(describeFindings(await runRule(rule, files))).toEqual([warning("billing-ledger", "billingLedger"), warning("notifications", "notifications")]);
    });
  });

  describe("invalid", () => {
    it("reports a service sst.config.ts does not import, at the returned object", async () => {
      const files = exampleFiles();
      edit(files, SST, NOTIFICATIONS_IMPORT, "");
      edit(files, SST, "      notificationsService: notifications,\n", "");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${SST}:15:12 error ${RULE} sst.config.ts does not import \`./services/notifications/infra\`. Add \`const notifications = await import("./services/notifications/infra").then((m) => m.notifications(shared));\` in run() and return it as \`notificationsService: notifications\` (guide step 6).`,
      ]);
    });

    it("reports a call of the template's fragment name at the call", async () => {
      const files = exampleFiles();
      edit(files, SST, "m.billingLedger(shared)", "m.yourService(shared)");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${SST}:11:7 error ${RULE} sst.config.ts calls \`yourService\` from \`./services/billing-ledger/infra\`, but the fragment of billing-ledger is \`billingLedger\` (its folder name in camelCase). Call \`m.billingLedger(shared)\`.`,
      ]);
    });

    it("reports a result returned under the wrong key, a missing key and a wrong value", async () => {
      const files = exampleFiles();
      edit(files, SST, "billingLedgerService: billingLedger", "billingService: billingLedger");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${SST}:18:7 error ${RULE} The result of \`billingLedger(shared)\` is returned under \`billingService\`; the platform expects \`billingLedgerService\`. Rename the key.`,
      ]);
      edit(files, SST, "billingService: billingLedger", "billingUrl: billingLedger.url");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${SST}:18:7 error ${RULE} The result of \`billingLedger(shared)\` is returned under \`billingUrl\`; the platform expects \`billingLedgerService\`. Rename the key.`,
      ]);
      edit(files, SST, "      billingUrl: billingLedger.url,\n", "");
      edit(files, SST, "notificationsService: notifications", "notificationsService: shared");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${SST}:17:12 error ${RULE} run() does not return billing-ledger's resources under \`billingLedgerService\`. Add \`billingLedgerService: billingLedger\` to the returned object (guide step 6).`,
        `${SST}:18:7 error ${RULE} \`notificationsService\` returns \`shared\`, not the result of \`notifications(shared)\` (\`notifications\`). Return \`notificationsService: notifications\`.`,
      ]);
    });

    it("reports, repo-level, an import of a service the pull request deletes", async () => {
      const base = exampleFiles();
      base["services/legacy-jobs/infra.ts"] = "export function legacyJobs() {}\n";
      base["services/legacy-jobs/service.yaml"] = "name: legacy-jobs\n";
      const head = exampleFiles();
      edit(head, SST, "\n    return {\n", '\n    const legacyJobs = await import("./services/legacy-jobs/infra").then((m) => m.legacyJobs(shared));\n    return {\n');
      base[SST] = head[SST]!;
      const findings = await runRule(rule, head, { base });
      expect(describeFindings(findings)).toEqual([
        `${SST}:17:30 error ${RULE} sst.config.ts imports \`./services/legacy-jobs/infra\`, but services/legacy-jobs does not exist (this pull request deletes it). Remove this import, its call and its \`legacyJobsService\` key.`,
      ]);
      expect(findings[0]!.service).toBeNull();
    });

    it("warns when import paths are built at run time", async () => {
      const files = exampleFiles();
      edit(files, SST, NOTIFICATIONS_IMPORT, "    for (const name of names) await import(`./services/${name}/infra`);\n");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${SST}:14:37 warning ${RULE} Cannot tell statically whether sst.config.ts imports \`./services/notifications/infra\`: it builds import paths at run time (\`import(\`./services/\${name}/infra\`)\` at line 14). Import each service's infra with a literal path.`,
      ]);
    });
  });

  it("a deliberately broken copy of the example gives one finding per break, across the infra rules", async () => {
    const INFRA_RULES = ["infra-fragment-required", "infra-registered", "infra-scaling-declared"];
    const report = await runAllOnExample((files) => {
      // infra-fragment-required: notifications' fragment keeps the template's name.
      edit(files, "services/notifications/infra.ts", "export function notifications(", "export function yourService(");
      // infra-registered: billing-ledger is returned under the wrong key.
      edit(files, SST, "billingLedgerService: billingLedger", "billingService: billingLedger");
      // infra-scaling-declared: the per-stage map forgets staging.
      edit(files, "services/billing-ledger/infra.ts", "  staging: { min: 1, max: 4 },\n", "");
    });
    const mine = report.findings.filter((f) => INFRA_RULES.includes(f.rule));
    expect(mine.map((f) => `${f.path}:${f.line}:${f.column} ${f.rule} ${f.service}`)).toEqual([
      "services/billing-ledger/infra.ts:4:17 infra-scaling-declared billing-ledger",
      `${SST}:18:7 infra-registered billing-ledger`,
      "services/notifications/infra.ts:3:17 infra-fragment-required notifications",
    ]);
  });

  it("the example monorepo is clean under the whole engine", async () => {
    expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
  });
});
