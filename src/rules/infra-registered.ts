import { SST_CONFIG_PATH, sstConfig, type SstConfig, type SstUndecidable } from "../analysis/infra/sst-config.js";
import type { ServiceInfo } from "../engine/context.js";
import { camelName } from "../engine/names.js";
import { defineRepoRule, type ReportFn } from "../engine/rule.js";

const messages = {
  configMissing: "sst.config.ts does not exist, so no service is deployed. Restore it at the repository root (guide step 6).",
  notImported:
    "sst.config.ts does not import `./{{dir}}/infra`. Add `const {{camel}} = await import(\"./{{dir}}/infra\").then((m) => m.{{camel}}(shared));` in run() and return it as `{{camel}}Service: {{camel}}` (guide step 6).",
  importNotDecidable:
    "Cannot tell statically whether sst.config.ts imports `./{{dir}}/infra`: it builds import paths at run time ({{constructs}}). Import each service's infra with a literal path.",
  wrongFunction:
    "sst.config.ts calls `{{called}}` from `./{{dir}}/infra`, but the fragment of {{service}} is `{{camel}}` (its folder name in camelCase). Call `m.{{camel}}(shared)`.",
  notCalled: "sst.config.ts imports `./{{dir}}/infra` but never calls its `{{camel}}`. Call it: `.then((m) => m.{{camel}}(shared))`.",
  callNotDecidable:
    "Cannot tell statically whether sst.config.ts calls `{{camel}}` from `./{{dir}}/infra`: the module is used as `{{construct}}`. Call `m.{{camel}}(shared)` directly.",
  notKept:
    "The result of `{{camel}}(shared)` is not kept, so run() cannot return it. Assign it (`const {{camel}} = …`) and return it as `{{camel}}Service: {{camel}}`.",
  notReturned:
    "run() does not return {{service}}'s resources under `{{camel}}Service`. Add `{{camel}}Service: {{value}}` to the returned object (guide step 6).",
  wrongReturnValue:
    "`{{camel}}Service` returns `{{found}}`, not the result of `{{camel}}(shared)` (`{{value}}`). Return `{{camel}}Service: {{value}}`.",
  returnNotDecidable:
    "Cannot tell statically whether run() returns `{{camel}}Service`: the returned value includes {{constructs}}. Write the key in the returned object literal.",
  wrongKey: "The result of `{{camel}}(shared)` is returned under `{{found}}`; the platform expects `{{camel}}Service`. Rename the key.",
  importsMissingService:
    "sst.config.ts imports `{{specifier}}`, but {{dir}} does not exist{{deleted}}. Remove this import, its call and its `{{camel}}Service` key.",
} as const;

export default defineRepoRule({
  meta: {
    id: "infra-registered",
    defaultSeverity: "error",
    title: "sst.config.ts imports, calls and returns each service's infra fragment",
    messages,
  },
  async check(ctx, report) {
    const config = await sstConfig(ctx);
    if (!config.exists) {
      if (ctx.services.length > 0) report({ messageId: "configMissing", path: SST_CONFIG_PATH });
      return;
    }
    for (const service of ctx.services) checkService(config, service, report);

    // Imports of service folders that are gone: repo-level, whatever the scope (a deleted service is not in scope).
    for (const imp of config.imports) {
      const dir = `${ctx.config.services_dir}/${imp.service}`;
      if (ctx.filesUnder(dir).length > 0) continue;
      const deleted = ctx.deletedServices.includes(imp.service);
      report({
        messageId: "importsMissingService",
        data: {
          specifier: imp.specifier,
          dir,
          camel: camelName(imp.service),
          deleted: deleted ? " (this pull request deletes it)" : "",
        },
        service: null,
        path: SST_CONFIG_PATH,
        ...imp.at,
      });
    }
  },
});

function describe(parts: readonly SstUndecidable[]): string {
  return parts.map((p) => `\`${p.construct}\` at line ${p.line}`).join(", ");
}

function checkService(config: SstConfig, service: ServiceInfo, report: ReportFn<typeof messages>): void {
  const camel = service.camelName;
  const data = { service: service.name, dir: service.dir, camel };
  const where = (at: { line: number; column: number }) => ({ service: service.name, path: SST_CONFIG_PATH, ...at });
  const anchor = config.returned[0]?.at ?? config.runAt ?? { line: 1, column: 1 };

  const imports = config.imports.filter((i) => i.service === service.name);
  if (imports.length === 0) {
    if (config.dynamicImports.length > 0) {
      report({ messageId: "importNotDecidable", data: { ...data, constructs: describe(config.dynamicImports) }, severity: "warning", ...where(config.dynamicImports[0]!) });
    } else {
      report({ messageId: "notImported", data, ...where(anchor) });
    }
    return;
  }

  const calls = imports.flatMap((i) => i.calls);
  const call = calls.find((c) => c.exportName === camel);
  if (!call) {
    const other = calls[0];
    const unfollowed = imports.find((i) => i.unfollowed)?.unfollowed;
    if (other) report({ messageId: "wrongFunction", data: { ...data, called: other.exportName }, ...where(other.at) });
    else if (unfollowed) report({ messageId: "callNotDecidable", data: { ...data, construct: unfollowed.construct }, severity: "warning", ...where(unfollowed) });
    else report({ messageId: "notCalled", data, ...where(imports[0]!.at) });
    return;
  }

  const holder = call.holder;
  if (holder.kind === "none") {
    report({ messageId: "notKept", data, ...where(call.at) });
    return;
  }
  const expectedKey = `${camel}Service`;
  if (holder.kind === "property") {
    // Written straight into an object literal: it must be the returned one, under the right key.
    const returned = config.returned.some((r) => r.object === holder.object);
    if (returned && holder.key === expectedKey) return;
    if (returned) report({ messageId: "wrongKey", data: { ...data, found: holder.key ?? "(computed key)" }, ...where(holder.at) });
    else report({ messageId: "notReturned", data: { ...data, value: camel }, ...where(call.at) });
    return;
  }

  const value = holder.name;
  const entry = config.returned.map((r) => r.keys.get(expectedKey)).find((e) => e !== undefined);
  if (entry) {
    if (entry.reads === undefined || !holder.names.includes(entry.reads)) {
      report({ messageId: "wrongReturnValue", data: { ...data, value, found: entry.value.getText().replace(/\s+/g, " ") }, ...where(entry.at) });
    }
    return;
  }
  const underOtherKey = config.returned.flatMap((r) => [...r.keys.entries()]).find(([, e]) => e.reads !== undefined && holder.names.includes(e.reads));
  if (underOtherKey) report({ messageId: "wrongKey", data: { ...data, found: underOtherKey[0] }, ...where(underOtherKey[1].at) });
  else if (config.returnUndecidable.length > 0) {
    report({ messageId: "returnNotDecidable", data: { ...data, constructs: describe(config.returnUndecidable) }, severity: "warning", ...where(config.returnUndecidable[0]!) });
  } else report({ messageId: "notReturned", data: { ...data, value }, ...where(anchor) });
}
