import { describe, expect, it } from "vitest";
import { sstConfig, type SstConfig } from "../../src/analysis/infra/sst-config.js";
import { DEFAULT_CONFIG } from "../../src/engine/config.js";
import { RepoContext } from "../../src/engine/context.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";

async function read(config: string, extra: Record<string, string> = {}): Promise<SstConfig> {
  const files = { "sst.config.ts": config, ...extra };
  return sstConfig(new RepoContext(new MemorySnapshot({ files }), DEFAULT_CONFIG, [], [], []));
}

/** `service <- specifier @line: export→holder, …` per import, plus what could not be followed. */
function summary(config: SstConfig): string[] {
  return [
    ...config.imports.map((i) => {
      const calls = i.calls.map((c) => `${c.exportName}→${c.holder.kind === "variable" ? c.holder.name : c.holder.kind === "property" ? `{${c.holder.key}}` : "none"}`);
      return `${i.service} <- ${i.specifier} @${i.at.line}: ${calls.join(", ") || "-"}${i.unfollowed ? ` ?${i.unfollowed.construct}` : ""}`;
    }),
    ...config.dynamicImports.map((d) => `dynamic? ${d.construct} @${d.line}`),
    `returns: ${config.returned.flatMap((r) => [...r.keys.keys()]).join(", ")}`,
  ];
}

const wrap = (body: string[]) => ["export default $config({", "  async run() {", "    const shared = {};", ...body.map((l) => `    ${l}`), "  },", "});"].join("\n");

describe("sst.config.ts read through the program", () => {
  it("reads the guide's `.then((m) => m.x(shared))`, a module held in a variable, and destructured imports", async () => {
    const config = await read(
      wrap([
        'const billingLedger = await import("./services/billing-ledger/infra").then((m) => m.billingLedger(shared));',
        'const mod = await import("./services/notifications/infra.ts");',
        "const notifications = mod.notifications(shared);",
        'const { search: deploySearch } = await import("./services/search/infra.js");',
        "return { billingLedgerService: billingLedger, notificationsService: notifications, searchService: deploySearch(shared) };",
      ]),
    );
    expect(summary(config)).toEqual([
      "billing-ledger <- ./services/billing-ledger/infra @4: billingLedger→billingLedger",
      "notifications <- ./services/notifications/infra.ts @5: notifications→notifications",
      "search <- ./services/search/infra.js @7: search→{searchService}",
      "returns: billingLedgerService, notificationsService, searchService",
    ]);
  });

  it("expands imports over a constant list (for…of and .map), naming the export chosen at run time", async () => {
    const config = await read(
      [
        'const SERVICES = ["billing-ledger", "notifications"] as const;',
        wrap([
          "for (const name of SERVICES) {",
          "  const fragment = await import(`./services/${name}/infra`);",
          "  fragment[name](shared);",
          "}",
          "await Promise.all(SERVICES.map((service) => import(`./services/${service}/infra`)));",
          "for (const name of names) await import(`./services/${name}/infra`);",
        ]),
      ].join("\n"),
    );
    expect(summary(config)).toEqual([
      "billing-ledger <- ./services/billing-ledger/infra @6: - ?fragment[name]",
      "notifications <- ./services/notifications/infra @6: - ?fragment[name]",
      "billing-ledger <- ./services/billing-ledger/infra @9: - ?(service) => import(`./services/${service}/infra`)",
      "notifications <- ./services/notifications/infra @9: - ?(service) => import(`./services/${service}/infra`)",
      "dynamic? import(`./services/${name}/infra`) @10",
      "returns: ",
    ]);
  });

  it("follows static imports: namespace, renamed, and a repository barrel that re-exports fragments", async () => {
    const config = await read(
      [
        'import * as billing from "./services/billing-ledger/infra";',
        'import { notifications as deployNotifications } from "./services/notifications/infra";',
        'import { more } from "./infra/all";',
        wrap(["const b = billing.billingLedger(shared);", "const n = deployNotifications(shared);", "const s = more.search(shared);", "return { b, n, s };"]),
      ].join("\n"),
      {
        "infra/all.ts": 'export * as more from "../services/search/infra";\n',
        "services/search/infra.ts": "export function search(shared: unknown) {\n  return shared;\n}\n",
      },
    );
    expect(summary(config)).toEqual([
      "billing-ledger <- ./services/billing-ledger/infra @1: billingLedger→b",
      "notifications <- ./services/notifications/infra @2: notifications→n",
      "search <- ./infra/all @3: search→s",
      "returns: b, n, s",
    ]);
  });

  it("reads what run returns when run is a function expression, not what a function nested in it returns", async () => {
    const config = await read(
      [
        "export default $config({",
        "  run: async function () {",
        "    const shared = {};",
        '    const billing = await import("./services/billing-ledger/infra").then((m) => m.billingLedger(shared));',
        "    const describe = function () { return { ignored: true }; };",
        "    return { billingLedgerService: billing };",
        "  },",
        "});",
      ].join("\n"),
    );
    expect(summary(config)).toEqual(["billing-ledger <- ./services/billing-ledger/infra @4: billingLedger→billing", "returns: billingLedgerService"]);
  });
});
