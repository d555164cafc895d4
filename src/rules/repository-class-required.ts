import { reportFilesWithoutClass } from "../analysis/exported-classes.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "repository-class-required",
    defaultSeverity: "error",
    title: "Each src/db/*.repository.ts exports a repository class (ADR-0037)",
    messages: {
      noClass:
        "{{file}} exports no class. ADR-0037 asks for one repository class per aggregate: declare `export class {{className}} { … }` here and make these functions its methods.",
      undecidable:
        "{{file}} only re-exports `{{construct}}` from another module, so platform-checks cannot tell whether it is a class. Declare the repository class in this file (ADR-0037).",
    },
  },
  async check(ctx, report) {
    // Only files directly in src/db (guide step 3).
    await reportFilesWithoutClass(ctx, report, "src/db", ".repository.ts");
  },
});
