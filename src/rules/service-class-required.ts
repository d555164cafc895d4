import { classExportVerdict, classNameForFile } from "../analysis/exported-classes.js";
import { nodePosition } from "../analysis/imports.js";
import { defineServiceRule } from "../engine/rule.js";

/** `src/services/<entity>.service.ts`, directly in src/services (guide step 3). */
const SERVICE_FILE = /^src\/services\/[^/]+\.service\.ts$/;

export default defineServiceRule({
  meta: {
    id: "service-class-required",
    defaultSeverity: "error",
    title: "Each src/services/*.service.ts exports a service class (ADR-0037)",
    messages: {
      noClass:
        "{{file}} exports no class. ADR-0037 asks for class-based services (business logic in a class that calls the repository): declare `export class {{className}} { … }` here and make these functions its methods.",
      undecidable:
        "{{file}} only re-exports `{{construct}}` from another module, so platform-checks cannot tell whether it is a class. Declare the service class in this file (ADR-0037).",
    },
  },
  async check(ctx, report) {
    const prefix = `${ctx.service.dir}/`;
    for (const path of ctx.files) {
      const relative = path.slice(prefix.length);
      if (!SERVICE_FILE.test(relative)) continue;
      const file = await ctx.sourceFile(path);
      if (!file) continue;
      const verdict = classExportVerdict(file);
      const fileName = relative.slice("src/services/".length);
      if (verdict.kind === "undecidable") {
        report({ messageId: "undecidable", severity: "warning", data: { file: relative, construct: verdict.foreign.construct }, path, ...nodePosition(verdict.foreign.node) });
      } else if (verdict.kind === "none") {
        const position = verdict.at ? nodePosition(verdict.at) : { line: 1, column: 1 };
        report({ messageId: "noClass", data: { file: relative, className: classNameForFile(fileName) }, path, ...position });
      }
    }
  },
});
