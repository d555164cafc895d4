import { describe, expect, it } from "vitest";
import rule from "../../src/rules/infra-fragment-required.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const BILLING = "services/billing-ledger/infra.ts";
const NOTIFICATIONS = "services/notifications/infra.ts";

describe("infra-fragment-required", () => {
  describe("valid", () => {
    it("accepts the example's `export function <camelName>`", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts `export const billingLedger = (shared) => …`", async () => {
      const files = exampleFiles();
      edit(files, BILLING, "export function billingLedger(shared: Shared) {", "export const billingLedger = (shared: Shared) => {");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts `export { fragment as notifications }` and a re-export from another module", async () => {
      const files = exampleFiles();
      edit(files, NOTIFICATIONS, "export function notifications(", "function fragment(");
      files[NOTIFICATIONS] += "\nexport { fragment as notifications };\n";
      files[BILLING] = 'export { billingLedger } from "./infra/fragment";\n';
      files["services/billing-ledger/infra/fragment.ts"] = "export function billingLedger(shared: unknown) {\n  return shared;\n}\n";
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("follows a default export re-exported by name, and a fragment built by an identity helper in the repository", async () => {
      const files = exampleFiles();
      files[BILLING] = 'export { default as billingLedger } from "./infra/service.js";\n';
      files["services/billing-ledger/infra/service.ts"] = "export default (shared: unknown) => shared;\n";
      files["infra/define.ts"] = "export function defineFragment<T>(fragment: T): T {\n  return fragment;\n}\n";
      edit(files, NOTIFICATIONS, "export function notifications(shared: Shared) {", 'import { defineFragment } from "../../infra/define";\nexport const notifications = defineFragment((shared: Shared) => {');
      edit(files, NOTIFICATIONS, /\}\n$/, "});\n");
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a missing infra.ts without a line", async () => {
      const files = exampleFiles();
      delete files[NOTIFICATIONS];
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${NOTIFICATIONS}:-:- error infra-fragment-required ${NOTIFICATIONS} does not exist. Copy services/_template/infra.ts (guide step 6) and export \`function notifications(shared: Shared)\` from it.`,
      ]);
    });

    it("reports a fragment left under the template's name, naming the expected one", async () => {
      const files = exampleFiles();
      edit(files, BILLING, "export function billingLedger(", "export function yourService(");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${BILLING}:10:17 error infra-fragment-required infra.ts exports \`yourService\`, but sst.config.ts calls the fragment by the service's camelCase name. Rename it to \`billingLedger\` (folder billing-ledger → billingLedger).`,
      ]);
    });

    it("reports an unexported fragment and a default export", async () => {
      const files = exampleFiles();
      edit(files, BILLING, "export function billingLedger(", "function billingLedger(");
      edit(files, NOTIFICATIONS, "export function notifications(", "export default function (");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${BILLING}:10:10 error infra-fragment-required \`billingLedger\` is declared here but not exported. Export it: \`export function billingLedger(shared: Shared)\`.`,
        `${NOTIFICATIONS}:3:1 error infra-fragment-required The fragment is a default export, but sst.config.ts calls \`m.notifications(shared)\`. Export it by name: \`export function notifications(shared: Shared)\`.`,
      ]);
    });

    it("warns about a fragment re-exported from a package outside the repository", async () => {
      const files = exampleFiles();
      files[BILLING] = '// shared fragments\nexport { ledgerFragment as billingLedger } from "@acme/sst-fragments";\n';
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${BILLING}:2:10 warning infra-fragment-required Cannot tell statically whether \`ledgerFragment as billingLedger\` is a function: it comes from a module outside the repository (or a file that does not exist); sst.config.ts calls \`m.billingLedger(shared)\`. Declare \`export function billingLedger(shared: Shared)\` in infra.ts or in a file of the service.`,
      ]);
    });

    it("warns about an exported value it cannot tell is a function", async () => {
      const files = exampleFiles();
      files[NOTIFICATIONS] = 'import { makeFragment } from "../../infra/make";\n\nexport const notifications = makeFragment("Notifications");\n';
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${NOTIFICATIONS}:3:14 warning infra-fragment-required Cannot tell statically whether \`notifications = makeFragment("Notifications")\` is a function; sst.config.ts calls \`m.notifications(shared)\`. Declare it as \`export function notifications(shared: Shared)\` or an arrow function.`,
      ]);
    });
  });

  it("the example monorepo is clean under the whole engine", async () => {
    expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
  });
});
