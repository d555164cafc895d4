import { infraFragment, infraPath } from "../analysis/infra/fragment.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "infra-fragment-required",
    defaultSeverity: "error",
    title: "infra.ts exists and exports the function <camelName>",
    messages: {
      missingFile:
        "{{file}} does not exist. Copy services/_template/infra.ts (guide step 6) and export `function {{camel}}(shared: Shared)` from it.",
      wrongName:
        "infra.ts exports `{{found}}`, but sst.config.ts calls the fragment by the service's camelCase name. Rename it to `{{camel}}` (folder {{service}} → {{camel}}).",
      notExported: "`{{camel}}` is declared here but not exported. Export it: `export function {{camel}}(shared: Shared)`.",
      defaultExport: "The fragment is a default export, but sst.config.ts calls `m.{{camel}}(shared)`. Export it by name: `export function {{camel}}(shared: Shared)`.",
      noFragment: "infra.ts exports no function `{{camel}}`. Add `export function {{camel}}(shared: Shared) { … }` (copy services/_template/infra.ts).",
      foreign:
        "Cannot tell statically whether `{{construct}}` is a function: it comes from a module outside the repository (or a file that does not exist); sst.config.ts calls `m.{{camel}}(shared)`. Declare `export function {{camel}}(shared: Shared)` in infra.ts or in a file of the service.",
      notFunction:
        "Cannot tell statically whether `{{construct}}` is a function; sst.config.ts calls `m.{{camel}}(shared)`. Declare it as `export function {{camel}}(shared: Shared)` or an arrow function.",
    },
  },
  async check(ctx, report) {
    const path = infraPath(ctx);
    const camel = ctx.service.camelName;
    const data = { camel, service: ctx.service.name, file: path };
    const fragment = await infraFragment(ctx);
    if (!fragment) {
      report({ messageId: "missingFile", data, path });
      return;
    }
    const found = fragment.fragment;
    if (found?.kind === "function") return;
    if (found?.kind === "foreign") {
      report({ messageId: "foreign", data: { ...data, construct: found.construct }, severity: "warning", path, ...found.at });
      return;
    }
    if (found?.kind === "notFunction") {
      report({ messageId: "notFunction", data: { ...data, construct: found.construct }, severity: "warning", path, ...found.at });
      return;
    }
    const other = fragment.otherExports[0];
    if (fragment.unexported) report({ messageId: "notExported", data, path, ...fragment.unexported });
    else if (other) report({ messageId: "wrongName", data: { ...data, found: other.name }, path, ...other.at });
    else if (fragment.defaultExport) report({ messageId: "defaultExport", data, path, ...fragment.defaultExport });
    // The file has no construct to point at: the whole file lacks the export.
    else report({ messageId: "noFragment", data, path, line: 1, column: 1 });
  },
});
