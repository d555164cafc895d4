import { describe, expect, it } from "vitest";
import rule from "../../src/rules/event-handler-file-required.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const YAML = "services/notifications/service.yaml";
const HANDLER = "services/notifications/src/events/billing.invoice.created.v1.ts";
const EXAMPLE_HANDLER = "services/notifications/src/events/example.created.v1.ts";

/** The example plus a second consumed event whose handler file has the given text. */
function withSecondHandler(text: string | undefined): Record<string, string> {
  const files = exampleFiles();
  edit(files, YAML, "    - billing.invoice.created.v1\n", "    - billing.invoice.created.v1\n    - example.created.v1\n");
  if (text !== undefined) files[EXAMPLE_HANDLER] = text;
  return files;
}

describe("event-handler-file-required", () => {
  describe("valid", () => {
    it("accepts the example's `export { onInvoiceCreated as handler }`", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it.each([
      ["export const handler", "export const handler = async (event: unknown) => {};"],
      ["export function handler", "export function handler(event: unknown) {}"],
      ["export async function handler", "export async function handler(event: unknown) {}"],
      ["export { handler }", "async function handler(event: unknown) {}\nexport { handler };"],
      ["a re-export from another module", 'export { handler } from "./impl/example";'],
      ["export * from a local file that exports handler", 'export * from "./impl/example";'],
      ["a renamed re-export through a tsconfig path alias and a barrel", 'export { onExample as handler } from "~/consumers";'],
      ["a re-export of a `.js` specifier naming a `.ts` file", 'export { handler } from "./impl/example.js";'],
    ])("accepts %s", async (_, text) => {
      const files = withSecondHandler(text);
      files["services/notifications/src/events/impl/example.ts"] = "export const handler = () => {};";
      files["services/notifications/tsconfig.json"] = '{ "compilerOptions": { "paths": { "~/*": ["./src/*"] } } }';
      files["services/notifications/src/consumers/index.ts"] = 'export * from "./example";';
      files["services/notifications/src/consumers/example.ts"] = "export async function onExample(event: unknown) {}";
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a missing handler file at the events_consumed item", async () => {
      const files = withSecondHandler(undefined);
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${YAML}:13:7 error event-handler-file-required \`example.created.v1\` is listed in events_consumed, but ${EXAMPLE_HANDLER} does not exist. Create it and export the consumer as \`handler\` (guide step 5).`,
      ]);
    });

    it("reports a handler file that exports the consumer under another name, at that export", async () => {
      const files = exampleFiles();
      edit(files, HANDLER, "export { onInvoiceCreated as handler };", "export { onInvoiceCreated };");
      edit(files, HANDLER, "async function onInvoiceCreated", "export async function onInvoiceCreated");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${HANDLER}:8:1 error event-handler-file-required ${HANDLER} handles \`billing.invoice.created.v1\` and exports \`onInvoiceCreated\`, but not \`handler\`, the name the event runtime imports. Add \`export { onInvoiceCreated as handler }\` or rename it.`,
      ]);
    });

    it("reports a handler that is declared but not exported, a default export, and a type-only export", async () => {
      const files = withSecondHandler("export default async function (event: unknown) {}\n");
      edit(files, HANDLER, "export { onInvoiceCreated as handler };", "const handler = onInvoiceCreated;");
      let lines = describeFindings(await runRule(rule, files));
      expect(lines).toEqual([
        `${HANDLER}:12:7 error event-handler-file-required \`handler\` is declared here but not exported. Export it: \`export const handler = …\` or \`export { handler }\`.`,
        `${EXAMPLE_HANDLER}:1:1 error event-handler-file-required The consumer is a default export; the event runtime imports the named export \`handler\`. Export it by name: \`export { yourFunction as handler }\`.`,
      ]);
      files[EXAMPLE_HANDLER] = "type Fn = () => void;\nexport type { Fn as handler };\n";
      lines = describeFindings(await runRule(rule, files));
      expect(lines[1]).toBe(
        `${EXAMPLE_HANDLER}:1:1 error event-handler-file-required ${EXAMPLE_HANDLER} handles \`example.created.v1\` but does not export \`handler\`. Add \`export async function handler(event) { … }\` or \`export { yourFunction as handler }\`.`,
      );
    });

    it("warns when the only candidate is `export *` from a package", async () => {
      const files = withSecondHandler('export * from "@platform/example-consumers";\n');
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${EXAMPLE_HANDLER}:1:1 warning event-handler-file-required Cannot tell statically whether ${EXAMPLE_HANDLER} exports \`handler\`: it only re-exports \`export * from "@platform/example-consumers"\`, which this check cannot read. Export \`handler\` from this file by name.`,
      ]);
    });
  });

  it("the example monorepo is clean under the whole engine", async () => {
    expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
  });
});
