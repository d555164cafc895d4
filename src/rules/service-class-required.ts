import { reportFilesWithoutClass } from "../analysis/exported-classes.js";
import { defineServiceRule } from "../engine/rule.js";

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
    // Only files directly in src/services (guide step 3).
    await reportFilesWithoutClass(ctx, report, "src/services", ".service.ts");
  },
});
