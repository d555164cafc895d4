import { describe, expect, it } from "vitest";
import rule from "../../src/rules/infra-scaling-declared.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const BILLING = "services/billing-ledger/infra.ts";
const NOTIFICATIONS = "services/notifications/infra.ts";
const RULE = "infra-scaling-declared";
const STAGE_HINT = "Every stage (dev, staging, production) needs `min` and `max`.";

describe("infra-scaling-declared", () => {
  describe("valid", () => {
    it("accepts the example: a per-stage map lookup and a `$app.stage` conditional", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts literal numbers, `scaling: SCALING[$app.stage]`, a `prod` alias and a `??` fallback", async () => {
      const files = exampleFiles();
      edit(files, NOTIFICATIONS, /scaling: \{\n\s+min: production \? 2 : 1,\n\s+max: production \? 6 : 2,\n\s+\}/, "scaling: { min: 1, max: 3 }");
      edit(files, BILLING, "  production: { min: 2, max: 10 },", "  prod: { min: 2, max: 10 },");
      edit(files, BILLING, "scaling: { min: SCALING[stage].min, max: SCALING[stage].max },", "scaling: SCALING[$app.stage] ?? { min: 1, max: 1 },");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts an alarm topic linked through a local array and a health path held in a constant", async () => {
      const files = exampleFiles();
      edit(files, NOTIFICATIONS, "link: [shared.database, shared.nats, shared.alarmTopic],", "link: LINKS,");
      edit(files, NOTIFICATIONS, '  const production = $app.stage === "production";', '  const production = $app.stage === "production";\n  const LINKS = [shared.database, ...[shared.alarmTopic]];');
      edit(files, NOTIFICATIONS, 'path: "/healthz"', "path: HEALTH_PATH");
      files[NOTIFICATIONS] += '\nconst HEALTH_PATH = "/healthz";\n';
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("follows scaling, links and the health path into the service's helper files and constants imported from them", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/infra/settings.ts"] = [
        'import type { Shared } from "../../../infra/shared";',
        "export const SCALING_BY_STAGE = {",
        "  dev: { min: 1, max: 1 },",
        "  staging: { min: 1, max: 2 },",
        "  production: { min: 3, max: 9 },",
        "} as const;",
        'export const HEALTH_PATH = "/healthz";',
        "export const scalingFor = (stage: string) => SCALING_BY_STAGE[stage as keyof typeof SCALING_BY_STAGE];",
        "export function linksFor(shared: Shared) {",
        "  return [shared.database, shared.nats, shared.alarmTopic];",
        "}",
      ].join("\n");
      edit(files, BILLING, 'import type { Shared } from "../../infra/shared";', 'import type { Shared } from "../../infra/shared";\nimport { HEALTH_PATH, linksFor, scalingFor } from "./infra/settings";');
      edit(files, BILLING, "link: [shared.database, shared.nats, shared.alarmTopic],", "link: linksFor(shared),");
      edit(files, BILLING, "scaling: { min: SCALING[stage].min, max: SCALING[stage].max },", "scaling: scalingFor($app.stage),");
      edit(files, BILLING, 'path: "/healthz"', "path: HEALTH_PATH");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("binds a helper's parameter to the call's argument: `health: httpHealth(\"/health\")` is read as that path", async () => {
      const files = exampleFiles();
      files["services/notifications/infra/health.ts"] = 'export const httpHealth = (path: string) => ({ "8080/http": { path, interval: "10 seconds" } });\n';
      edit(files, NOTIFICATIONS, 'import type { Shared } from "../../infra/shared";', 'import type { Shared } from "../../infra/shared";\nimport { httpHealth } from "./infra/health";');
      edit(files, NOTIFICATIONS, 'health: { "8080/http": { path: "/healthz" } },', 'health: httpHealth("/health"),');
      const health = await exampleFindingsOf("health-endpoint-required", (f) => Object.assign(f, files));
      expect(describeFindings(health)).toEqual([
        `${NOTIFICATIONS}:16:26 error health-endpoint-required infra.ts sets the health path to \`/health\`, but the service's health route is GET /healthz. Set it to "/healthz".`,
      ]);
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("binds scaling helper parameters to the call's arguments, per stage", async () => {
      const files = exampleFiles();
      files["infra/scaling.ts"] = "export const tasks = (min: number, max: number) => ({ min, max });\n";
      edit(files, NOTIFICATIONS, 'import type { Shared } from "../../infra/shared";', 'import type { Shared } from "../../infra/shared";\nimport { tasks } from "../../infra/scaling";');
      edit(files, NOTIFICATIONS, /scaling: \{\n\s+min: production \? 2 : 1,\n\s+max: production \? 6 : 2,\n\s+\}/, "scaling: production ? tasks(2, 6) : tasks(1, Number(process.env.MAX_TASKS))");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${NOTIFICATIONS}:10:50 warning ${RULE} Cannot tell statically what \`Number(process.env.MAX_TASKS)\` is (scaling max). Write the scaling as numbers, a conditional on \`$app.stage\`, or a lookup into a local per-stage map.`,
      ]);
    });

    it("counts an alarm topic a platform helper links for every service", async () => {
      const files = exampleFiles();
      files["infra/platform-service.ts"] = [
        'import type { Shared } from "./shared";',
        "export function platformService(shared: Shared, name: string, args: Record<string, unknown> & { link?: unknown[] }) {",
        "  return new sst.aws.Service(name, { cluster: shared.cluster, ...args, link: [shared.alarmTopic, ...(args.link ?? [])] });",
        "}",
      ].join("\n");
      edit(files, NOTIFICATIONS, 'import type { Shared } from "../../infra/shared";', 'import type { Shared } from "../../infra/shared";\nimport { platformService } from "../../infra/platform-service";');
      edit(files, NOTIFICATIONS, 'return new sst.aws.Service("Notifications", {', 'return platformService(shared, "Notifications", {');
      edit(files, NOTIFICATIONS, "link: [shared.database, shared.nats, shared.alarmTopic],", "link: [shared.database, shared.nats],");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("reads a sizing helper that returns one object per `switch` case, spread into scaling or given as it, and a helper returning a number per stage", async () => {
      const files = exampleFiles();
      const sizing = [
        "const sizing = () => {",
        "  switch ($app.stage) {",
        '    case "production":',
        "      return { min: 4, max: 16, cpuUtilization: 60 };",
        '    case "staging":',
        "      return { min: 1, max: 2 };",
        "    default: {",
        "      return { min: 1, max: 1 };",
        "    }",
        "  }",
        "};",
        "",
      ].join("\n");
      edit(files, NOTIFICATIONS, "export function notifications", `${sizing}export function notifications`);
      edit(files, NOTIFICATIONS, /scaling: \{\n\s+min: production \? 2 : 1,\n\s+max: production \? 6 : 2,\n\s+\}/, "scaling: { ...sizing(), cpuUtilization: 70 }");
      edit(files, BILLING, "scaling: { min: SCALING[stage].min, max: SCALING[stage].max },", "scaling: tasks(stage),");
      edit(files, BILLING, "export function billingLedger", 'function tasks(stage: string) {\n  if (stage === "production") return { min: 2, max: 10 };\n  return { min: 1, max: 2 };\n}\n\nexport function billingLedger');
      edit(files, BILLING, "return { min: 1, max: 2 };", "return { min: 1, max: maxTasks() };");
      edit(files, BILLING, "export function billingLedger", 'function maxTasks(): number {\n  if ($app.stage === "staging") return 4;\n  return 2;\n}\n\nexport function billingLedger');
      expect(describeFindings(await runRule(rule, files))).toEqual([]);
    });

    it("reads the health path of a container health command whose URL holds the port in a template (`http://localhost:${PORT}/healthz`) or no scheme (`curl -f localhost:8080/healthz`)", async () => {
      const files = exampleFiles();
      edit(files, NOTIFICATIONS, '      health: { "8080/http": { path: "/healthz" } },\n', "");
      edit(files, NOTIFICATIONS, "    loadBalancer: {", "    health: { command: [\"CMD-SHELL\", `wget -q --spider http://localhost:${PORT}/healthz || exit 1`], retries: 3 },\n    loadBalancer: {");
      edit(files, NOTIFICATIONS, "export function notifications", "const PORT = 8080;\n\nexport function notifications");
      edit(files, BILLING, '      health: { "8080/http": { path: "/healthz", interval: "10 seconds" } },\n', "");
      edit(files, BILLING, "    loadBalancer: {", '    health: { command: ["CMD-SHELL", "curl -f localhost:8080/healthz || exit 1"] },\n    loadBalancer: {');
      expect(describeFindings(await runRule(rule, files))).toEqual([]);
    });

    it("leaves the ACU scaling of a database the service declares (`new sst.aws.Aurora(…, { scaling: { min: \"0.5 ACU\" } })`) to SST", async () => {
      const files = exampleFiles();
      edit(files, NOTIFICATIONS, "  return new sst.aws.Service(", '  const db = new sst.aws.Aurora("NotificationsDb", {\n    engine: "postgres",\n    scaling: { min: "0.5 ACU", max: production ? "8 ACU" : "2 ACU" },\n  });\n  return new sst.aws.Service(');
      edit(files, NOTIFICATIONS, "link: [shared.database,", "link: [db,");
      expect(describeFindings(await runRule(rule, files))).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a stage missing from a map in a helper file, at that map", async () => {
      const files = exampleFiles();
      files["services/billing-ledger/infra/scaling.ts"] = "export const TASKS = {\n  dev: { min: 1, max: 1 },\n  staging: { min: 1, max: 2 },\n};\n";
      edit(files, BILLING, 'import type { Shared } from "../../infra/shared";', 'import type { Shared } from "../../infra/shared";\nimport { TASKS } from "./infra/scaling";');
      edit(files, BILLING, "scaling: { min: SCALING[stage].min, max: SCALING[stage].max },", "scaling: TASKS[$app.stage],");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `services/billing-ledger/infra/scaling.ts:1:22 error ${RULE} \`TASKS\` has no entry for stage \`production\`. ${STAGE_HINT}`,
      ]);
    });

    it("warns, naming it, about a scaling value read at run time", async () => {
      const files = exampleFiles();
      edit(files, NOTIFICATIONS, "max: production ? 6 : 2,", "max: Number(process.env.MAX_TASKS),");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${NOTIFICATIONS}:11:12 warning ${RULE} Cannot tell statically what \`Number(process.env.MAX_TASKS)\` is (scaling max). Write the scaling as numbers, a conditional on \`$app.stage\`, or a lookup into a local per-stage map.`,
      ]);
    });


    it("reports a `switch` case of a sizing helper that returns no max, at that object", async () => {
      const files = exampleFiles();
      edit(files, NOTIFICATIONS, "export function notifications", 'const sizing = () => {\n  switch ($app.stage) {\n    case "production":\n      return { min: 4, max: 16 };\n    default:\n      return { min: 1 };\n  }\n};\n\nexport function notifications');
      edit(files, NOTIFICATIONS, /scaling: \{\n\s+min: production \? 2 : 1,\n\s+max: production \? 6 : 2,\n\s+\}/, "scaling: { ...sizing() }");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${NOTIFICATIONS}:8:14 error ${RULE} \`scaling\` has no \`max\`. Set \`scaling: { min, max }\` with the task counts per stage (guide step 6), e.g. \`scaling: { min: production ? 2 : 1, max: production ? 4 : 2 }\`.`,
      ]);
    });

    it("reports scaling set on one branch only (`production ? { … } : undefined`), at the empty branch", async () => {
      const files = exampleFiles();
      edit(files, NOTIFICATIONS, /scaling: \{\n\s+min: production \? 2 : 1,\n\s+max: production \? 6 : 2,\n\s+\}/, "scaling: production ? { min: 2, max: 6 } : undefined");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${NOTIFICATIONS}:9:48 error ${RULE} \`scaling\` is \`undefined\` on a branch, so the stages it covers get no \`min\` or \`max\`. ${STAGE_HINT}`,
      ]);
    });

    it("warns about a health command whose URL path is built at run time, naming it", async () => {
      const files = exampleFiles();
      edit(files, NOTIFICATIONS, '      health: { "8080/http": { path: "/healthz" } },\n', "");
      edit(files, NOTIFICATIONS, "    loadBalancer: {", "    health: { command: [\"CMD-SHELL\", `curl -f http://localhost:8080${probe} || exit 1`] },\n    loadBalancer: {");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${NOTIFICATIONS}:13:38 warning ${RULE} Cannot tell statically which health path \`\`curl -f http://localhost:8080\${probe} || exit 1\`\` sets. Write the path as a string literal, e.g. \`path: "/healthz"\`.`,
      ]);
    });

    it("stops, undecided, on a sizing helper whose returns call it again (hostile input)", async () => {
      const files = exampleFiles();
      const returns = Array.from({ length: 20 }, (_, i) => `  if (n === ${i}) return sizing(n + 1);`).join("\n");
      edit(files, NOTIFICATIONS, "export function notifications", `function sizing(n: number): { min: number; max: number } {\n${returns}\n  return sizing(n - 1);\n}\n\nexport function notifications`);
      edit(files, NOTIFICATIONS, /scaling: \{\n\s+min: production \? 2 : 1,\n\s+max: production \? 6 : 2,\n\s+\}/, "scaling: sizing(0)");
      const findings = await runRule(rule, files);
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.every((f) => f.messageId === "scalingNotStatic" && f.severity === "warning")).toBe(true);
    });

    it("reports a min above max, in a stage map entry and a plain object, at the object", async () => {
      const files = exampleFiles();
      edit(files, BILLING, "production: { min: 2, max: 10 }", "production: { min: 12, max: 10 }");
      edit(files, BILLING, "scaling: { min: SCALING[stage].min, max: SCALING[stage].max },", "scaling: SCALING[stage],");
      edit(files, NOTIFICATIONS, /scaling: \{\n\s+min: production \? 2 : 1,\n\s+max: production \? 6 : 2,\n\s+\}/, "scaling: { min: 3, max: 2 }");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${BILLING}:7:15 error ${RULE} \`scaling\` sets \`min\` 12 above \`max\` 10 for stage \`production\`: the deploy fails (a service cannot keep more tasks than its maximum). Set \`min\` at most \`max\`.`,
        `${NOTIFICATIONS}:9:14 error ${RULE} \`scaling\` sets \`min\` 3 above \`max\` 2: the deploy fails (a service cannot keep more tasks than its maximum). Set \`min\` at most \`max\`.`,
      ]);
    });

    it("reports a stage map missing a stage, once, at the map", async () => {
      const files = exampleFiles();
      edit(files, BILLING, "  staging: { min: 1, max: 4 },\n", "");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${BILLING}:4:17 error ${RULE} \`SCALING\` has no entry for stage \`staging\`. ${STAGE_HINT}`,
      ]);
    });

    it("reports a stage entry without max, and a conditional branch without min", async () => {
      const files = exampleFiles();
      edit(files, BILLING, "production: { min: 2, max: 10 }", "production: { min: 2 }");
      edit(files, NOTIFICATIONS, /scaling: \{\n\s+min: production \? 2 : 1,\n\s+max: production \? 6 : 2,\n\s+\}/, "scaling: production ? { min: 2, max: 6 } : { max: 2 }");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${BILLING}:7:15 error ${RULE} \`SCALING\` gives stage \`production\` no \`max\`. ${STAGE_HINT}`,
        `${NOTIFICATIONS}:9:48 error ${RULE} \`scaling\` has no \`min\`. Set \`scaling: { min, max }\` with the task counts per stage (guide step 6), e.g. \`scaling: { min: production ? 2 : 1, max: production ? 4 : 2 }\`.`,
      ]);
    });

    it("reports missing scaling, alarm topic and health path at the Service", async () => {
      const files = exampleFiles();
      edit(files, NOTIFICATIONS, /    scaling: \{\n\s+min: production \? 2 : 1,\n\s+max: production \? 6 : 2,\n\s+\},\n/, "");
      edit(files, NOTIFICATIONS, "shared.nats, shared.alarmTopic]", "shared.nats]");
      edit(files, NOTIFICATIONS, '      health: { "8080/http": { path: "/healthz" } },\n', "");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${NOTIFICATIONS}:5:10 error ${RULE} The service sets no \`scaling\`. Set \`scaling: { min, max }\` with the task counts per stage (guide step 6), e.g. \`scaling: { min: production ? 2 : 1, max: production ? 4 : 2 }\`.`,
        `${NOTIFICATIONS}:5:10 error ${RULE} infra.ts sets no health-check path. Add \`health: { "8080/http": { path: "/healthz" } }\` under \`loadBalancer\` (guide step 6: health endpoint paths).`,
        `${NOTIFICATIONS}:8:5 error ${RULE} The service links no alarm topic. Add it to \`link\`, e.g. \`link: [shared.database, shared.nats, shared.alarmTopic]\` (guide step 6: resources linked … alarm topic).`,
      ]);
    });

    it("warns about values it cannot decide (a call, an env var, a spread link)", async () => {
      const files = exampleFiles();
      edit(files, NOTIFICATIONS, "min: production ? 2 : 1,", "min: Number(process.env.MIN_TASKS),");
      edit(files, NOTIFICATIONS, "link: [shared.database, shared.nats, shared.alarmTopic],", "link: [...shared.links],");
      const lines = describeFindings(await runRule(rule, files));
      expect(lines).toEqual([
        `${NOTIFICATIONS}:8:12 warning ${RULE} Cannot tell statically whether \`...shared.links\` links the alarm topic. List \`shared.alarmTopic\` in the \`link\` array itself.`,
        `${NOTIFICATIONS}:10:12 warning ${RULE} Cannot tell statically what \`Number(process.env.MIN_TASKS)\` is (scaling min). Write the scaling as numbers, a conditional on \`$app.stage\`, or a lookup into a local per-stage map.`,
      ]);
    });
  });

  it("uses the message ids the readiness checklist maps", async () => {
    const files = exampleFiles();
    edit(files, BILLING, "  dev: { min: 1, max: 2 },\n", "");
    edit(files, NOTIFICATIONS, "shared.nats, shared.alarmTopic]", "shared.nats]");
    const ids = (await runRule(rule, files)).map((f) => f.messageId);
    expect(ids).toEqual(["scalingStageMissing", "alarmTopicMissing"]);
  });

  it("the example monorepo is clean under the whole engine", async () => {
    expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
  });
});
