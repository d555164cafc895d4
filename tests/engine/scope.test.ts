import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/engine/config.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { computeScope } from "../../src/engine/scope.js";
import type { ChangedFile } from "../../src/engine/snapshot.js";
import { exampleFiles } from "../helpers/example-repo.js";

const config = parseConfig({});
const scopeOf = async (changed: ChangedFile[], files = exampleFiles(), cfg = config) => {
  const scope = await computeScope(new MemorySnapshot({ files, changed }), cfg);
  return { services: scope.services.map((s) => s.name), deleted: scope.deletedServices };
};
const modified = (...paths: string[]): ChangedFile[] => paths.map((path) => ({ path, status: "modified" }));

describe("scope (SPEC section 2)", () => {
  it("checks a service when a file under its folder changes", async () => {
    expect(await scopeOf(modified("services/billing-ledger/src/index.ts"))).toEqual({ services: ["billing-ledger"], deleted: [] });
  });

  it("never checks scaffolds or ignored folders", async () => {
    expect((await scopeOf(modified("services/_template/service.yaml"))).services).toEqual([]);
    const cfg = parseConfig({ ignored_folders: ["notifications"] });
    expect((await scopeOf(modified("services/notifications/README.md"), exampleFiles(), cfg)).services).toEqual([]);
  });

  it("checks a service when its SDK, service page or AI overview changes", async () => {
    expect((await scopeOf(modified("packages/sdk-notifications/openapi.yaml"))).services).toEqual(["notifications"]);
    expect((await scopeOf(modified("docs/services/billing-ledger.md"))).services).toEqual(["billing-ledger"]);
    expect((await scopeOf(modified("docs/ai-overview/notifications.md"))).services).toEqual(["notifications"]);
  });

  it("checks every service when sst.config.ts or CODEOWNERS changes", async () => {
    expect((await scopeOf(modified("sst.config.ts"))).services).toEqual(["billing-ledger", "notifications"]);
    expect((await scopeOf(modified(".github/CODEOWNERS"))).services).toEqual(["billing-ledger", "notifications"]);
  });

  it("checks services with events when the contracts registry or event names change", async () => {
    const files = exampleFiles();
    files["services/billing-ledger/service.yaml"] = files["services/billing-ledger/service.yaml"]!.replace(
      "events_published: [billing.invoice.created.v1]",
      "events_published: []",
    );
    expect((await scopeOf(modified("packages/contracts/src/registry.ts"), files)).services).toEqual(["notifications"]);
    expect((await scopeOf(modified("packages/contracts/src/event-names.ts"))).services).toEqual(["billing-ledger", "notifications"]);
  });

  it("does not check a deleted service, but reports it as deleted", async () => {
    const files = exampleFiles();
    for (const path of Object.keys(files)) if (path.startsWith("services/notifications/")) delete files[path];
    const changed: ChangedFile[] = [
      { path: "services/notifications/service.yaml", status: "removed" },
      { path: "services/notifications/src/index.ts", status: "removed" },
    ];
    expect(await scopeOf(changed, files)).toEqual({ services: [], deleted: ["notifications"] });
  });

  it("follows renames from one service folder to another", async () => {
    expect((await scopeOf([{ path: "services/billing-ledger/a.ts", previousPath: "services/notifications/a.ts", status: "renamed" }])).services).toEqual([
      "billing-ledger",
      "notifications",
    ]);
  });

  it("checks every service when there is no pull request (CLI --all)", async () => {
    const scope = await computeScope(new MemorySnapshot({ files: exampleFiles() }), config);
    expect(scope.services.map((s) => s.name)).toEqual(["billing-ledger", "notifications"]);
  });

  it("checks nothing for a PR that only touches repo files no service reads", async () => {
    expect(await scopeOf(modified("README.md", ".changeset/brave-lions-sing.md"))).toEqual({ services: [], deleted: [] });
  });
});

describe("folders under services/ that cannot be checked (issue 8 item 4)", () => {
  const uncheckableOf = async (init: { files: Record<string, string>; changed?: ChangedFile[]; submodules?: string[] }, cfg = config) =>
    (await computeScope(new MemorySnapshot(init), cfg)).uncheckable;

  it("reports hidden folders and submodules when the whole tree is checked, never as services", async () => {
    const files = { ...exampleFiles(), "services/.billing/src/index.ts": "export {};\n", "services/.gitkeep": "" };
    const scope = await computeScope(new MemorySnapshot({ files, submodules: ["services/payments", "services/billing-ledger/vendor/lib", "vendor/x"] }), config);
    expect(scope.uncheckable).toEqual([
      { dir: "services/.billing", kind: "hidden" },
      { dir: "services/payments", kind: "submodule" },
    ]);
    expect(scope.services.map((s) => s.name)).toEqual(["billing-ledger", "notifications"]);
  });

  it("reports them on a pull request only when it touches them, and not when they are ignored", async () => {
    const files = { ...exampleFiles(), "services/.billing/src/index.ts": "export {};\n" };
    const submodules = ["services/payments"];
    expect(await uncheckableOf({ files, submodules, changed: modified("services/billing-ledger/README.md") })).toEqual([]);
    expect(await uncheckableOf({ files, submodules, changed: modified("services/.billing/src/index.ts", "services/payments") })).toEqual([
      { dir: "services/.billing", kind: "hidden" },
      { dir: "services/payments", kind: "submodule" },
    ]);
    expect(await uncheckableOf({ files, submodules }, parseConfig({ ignored_folders: [".billing", "payments"] }))).toEqual([]);
  });
});
