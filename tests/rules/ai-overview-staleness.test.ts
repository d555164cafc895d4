import { describe, expect, it } from "vitest";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import rule from "../../src/rules/ai-overview-staleness.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, exampleFindingsOf } from "../helpers/rule-harness.js";

const OVERVIEW = "docs/ai-overview/billing-ledger.md";
const SRC = "services/billing-ledger/src";
const ID = "warning ai-overview-staleness";
const treeSha = (files: Record<string, string>, src = SRC) => new MemorySnapshot({ files }).treeSha(src);
const recordedIn = (files: Record<string, string>, path = OVERVIEW) => /source_tree: ([0-9a-f]{40})/.exec(files[path]!)![1]!;

/**
 * The example with each overview's source_tree set to the current tree sha, so
 * these cases do not depend on the example's own sync (which "is clean" and the
 * first valid case check).
 */
async function syncedExample(): Promise<Record<string, string>> {
  const files = exampleFiles();
  for (const name of ["billing-ledger", "notifications"]) {
    const path = `docs/ai-overview/${name}.md`;
    files[path] = files[path]!.replace(/source_tree: [0-9a-f]{40}/, `source_tree: ${await treeSha(files, `services/${name}/src`)}`);
  }
  return files;
}

describe("ai-overview-staleness", () => {
  describe("valid", () => {
    it("accepts the example (source_tree equals the git tree sha of src)", async () => {
      const files = exampleFiles();
      expect(await treeSha(files)).toBe(recordedIn(files));
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("ignores changes outside src, and accepts a quoted upper-case sha", async () => {
      const files = await syncedExample();
      const RECORDED = recordedIn(files);
      files["services/billing-ledger/README.md"] += "\nMore words.\n";
      files["services/billing-ledger/tests/unit/extra.test.ts"] = "it('x', () => {});\n";
      edit(files, OVERVIEW, `source_tree: ${RECORDED}`, `source_tree: "${RECORDED.toUpperCase()}"`);
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts a regenerated overview after src changed, and says nothing for a service without src", async () => {
      const files = await syncedExample();
      const RECORDED = recordedIn(files);
      files[`${SRC}/routes/credit-notes.routes.ts`] = "export {};\n";
      const sha = (await treeSha(files))!;
      expect(sha).not.toBe(RECORDED);
      edit(files, OVERVIEW, RECORDED, sha);
      for (const path of Object.keys(files)) if (path.startsWith("services/notifications/src/")) delete files[path];
      delete files["docs/ai-overview/notifications.md"];
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("warns when src changed but the overview was not regenerated, at the source_tree value", async () => {
      const files = await syncedExample();
      const RECORDED = recordedIn(files);
      files[`${SRC}/index.ts`] += "\n// touched\n";
      const sha = (await treeSha(files))!;
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${OVERVIEW}:2:14 ${ID} The AI overview is stale: it was generated from tree ${RECORDED}, but ${SRC} is now tree ${sha}. Regenerate ${OVERVIEW} and commit it.`,
      ]);
    });

    it("warns about a missing overview, without a line", async () => {
      const files = await syncedExample();
      const RECORDED = recordedIn(files);
      delete files[OVERVIEW];
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${OVERVIEW}:-:- ${ID} ${OVERVIEW} is missing. Generate the AI overview for ${SRC} and commit it (its front matter records \`source_tree: ${RECORDED}\`).`,
      ]);
    });

    it("warns about a missing source_tree key or front matter, at the top", async () => {
      const files = await syncedExample();
      edit(files, OVERVIEW, /source_tree: .*\n/, "");
      files["docs/ai-overview/notifications.md"] = "# notifications — AI overview\n";
      const lines = describeFindings(await runRule(rule, files));
      expect(lines.map((l) => l.split(" has no")[0])).toEqual([
        `${OVERVIEW}:1:1 ${ID} ${OVERVIEW}`,
        `docs/ai-overview/notifications.md:1:1 ${ID} docs/ai-overview/notifications.md`,
      ]);
    });
  });

  describe("the example monorepo under the whole engine", () => {
    it("is clean", async () => {
      expect(await exampleFindingsOf(rule.meta.id)).toEqual([]);
    });

    it("reports exactly one finding per break, and only for the service whose src changed in a pull request", async () => {
      const base = await syncedExample();
      const report = await runAllOnExample(
        (files) => {
          Object.assign(files, base);
          files["services/notifications/src/index.ts"] += "\n";
        },
        { base },
      );
      expect(report.services).toEqual(["notifications"]);
      expect(report.findings.filter((f) => f.rule === rule.meta.id).map((f) => `${f.path}:${f.line}:${f.column} ${f.severity}`)).toEqual([
        "docs/ai-overview/notifications.md:2:14 warning",
      ]);
    });
  });
});
