import { defineServiceRule } from "../engine/rule.js";

/** The three buckets of the guide's step 8. */
const BUCKETS = ["unit", "integration", "conformance"] as const;

export default defineServiceRule({
  meta: {
    id: "test-buckets-required",
    defaultSeverity: "error",
    title: "tests/unit, tests/integration and tests/conformance each hold a *.test.ts",
    messages: {
      bucketMissing: "{{folder}}/ has no tests. Add at least one `*.test.ts` there ({{purpose}}; guide step 8).",
      bucketWrongNames:
        "{{folder}}/ has no `*.test.ts` file (found {{found}}). Name test files `<name>.test.ts` so the platform's test run picks them up ({{purpose}}; guide step 8).",
    },
  },
  check(ctx, report) {
    for (const bucket of BUCKETS) {
      const folder = ctx.path(`tests/${bucket}`);
      const files = ctx.repo.filesUnder(folder);
      if (files.some((f) => f.endsWith(".test.ts"))) continue;
      const purpose = PURPOSE[bucket];
      if (files.length === 0) {
        report({ messageId: "bucketMissing", data: { folder, purpose }, path: folder });
      } else {
        const found = files.slice(0, 3).map((f) => `\`${f.slice(folder.length + 1)}\``).join(", ") + (files.length > 3 ? ", …" : "");
        report({ messageId: "bucketWrongNames", data: { folder, found, purpose }, path: folder });
      }
    }
  },
});

const PURPOSE: Record<(typeof BUCKETS)[number], string> = {
  unit: "pure functions and isolated service classes",
  integration: "route handlers with a real database and event publishing",
  conformance: "the platform-wide assertions: audit, brand scoping, scope enforcement",
};
