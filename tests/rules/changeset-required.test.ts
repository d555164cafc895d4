import { describe, expect, it } from "vitest";
import rule, { placeholderReason } from "../../src/rules/changeset-required.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runAllOnExample, runRule, type HarnessOptions } from "../helpers/rule-harness.js";

const ROUTES = "services/billing-ledger/src/routes/invoices.routes.ts";
const NOTIFY_SERVICE = "services/notifications/src/services/delivery.service.ts";
const REGISTRY = "packages/contracts/src/registry.ts";

/** A pull request over the example: base = the example, head = the example after `change`. */
async function pr(change: (files: Record<string, string>) => void, options: HarnessOptions = {}) {
  const base = exampleFiles();
  const head = exampleFiles();
  change(head);
  return describeFindings(await runRule(rule, head, { base, ...options }));
}

function changeset(names: Record<string, string>, summary: string): string {
  return `---\n${Object.entries(names).map(([n, t]) => `"${n}": ${t}`).join("\n")}\n---\n\n${summary}\n`;
}

const touchRoutes = (files: Record<string, string>) => edit(files, ROUTES, /\n/, "\n// paginated\n");
const GOOD = "Invoices are now paginated: pass `cursor` to get the next page.";

describe("changeset-required", () => {
  describe("valid", () => {
    it("the example is clean under the whole engine (no pull request: nothing is required)", async () => {
      const report = await runAllOnExample();
      expect(report.findings.filter((f) => f.rule === "changeset-required")).toEqual([]);
    });

    it("accepts a source change with a new changeset that names the package", async () => {
      expect(
        await pr((f) => {
          touchRoutes(f);
          f[".changeset/quick-owls-run.md"] = changeset({ "@services/billing-ledger": "minor" }, GOOD);
        }),
      ).toEqual([]);
    });

    it("accepts an edited existing changeset that now names the package", async () => {
      expect(
        await pr((f) => {
          edit(f, NOTIFY_SERVICE, /\n/, "\n// retries are capped\n");
          edit(f, ".changeset/brave-lions-sing.md", '"@platform/sdk-billing-ledger": minor\n', '"@platform/sdk-billing-ledger": minor\n"@services/notifications": patch\n');
        }),
      ).toEqual([]);
    });

    it("needs no changeset for tests, Markdown docs, files outside packages, or ignored globs", async () => {
      expect(
        await pr(
          (f) => {
            f["services/billing-ledger/tests/unit/extra.test.ts"] = "export {};\n";
            edit(f, "services/billing-ledger/README.md", /\n/, "\n\n");
            edit(f, "sst.config.ts", /\n/, "\n\n");
            edit(f, "docs/services/notifications.md", /\n$/, "\n\n");
            edit(f, "services/notifications/openapi.yaml", /\n$/, "\n\n");
          },
          { config: { changeset_ignore: ["services/*/openapi.yaml"] } },
        ),
      ).toEqual([]);
    });

    it("needs no changeset for the scaffold (services/_template is not released)", async () => {
      expect(await pr((f) => edit(f, "services/_template/src/index.ts", /\n/, "\n\n"))).toEqual([]);
    });

    it("reports nothing when the whole tree is checked (CLI --all)", async () => {
      const files = exampleFiles();
      touchRoutes(files);
      expect(await runRule(rule, files)).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a changed service without a changeset at its package.json name, for that service", async () => {
      const base = exampleFiles();
      const head = exampleFiles();
      touchRoutes(head);
      const findings = await runRule(rule, head, { base });
      expect(describeFindings(findings)).toEqual([
        "services/billing-ledger/package.json:2:3 error changeset-required `@services/billing-ledger` changed (services/billing-ledger/src/routes/invoices.routes.ts), but no added or edited changeset names it. Run `pnpm changeset`, select `@services/billing-ledger`, choose the bump, and write a summary a user can read.",
      ]);
      expect(findings[0]!.service).toBe("billing-ledger");
    });

    it("an existing changeset the pull request does not touch does not count", async () => {
      // brave-lions-sing.md already names @services/billing-ledger, but describes an earlier change.
      expect(await pr(touchRoutes)).toHaveLength(1);
    });

    it("reports each package the changeset forgets, repo-level for a non-service package", async () => {
      const base = exampleFiles();
      const head = exampleFiles();
      edit(head, REGISTRY, /\n/, "\n// registry\n");
      edit(head, NOTIFY_SERVICE, /\n/, "\n// capped\n");
      edit(head, "services/notifications/src/db/schema.ts", /\n/, "\n\n");
      head[".changeset/calm-seas-glow.md"] = changeset({ "@platform/sdk-notifications": "patch" }, "The notifications SDK retries failed requests twice.");
      const findings = await runRule(rule, head, { base });
      expect(describeFindings(findings).map((l) => l.split(", but ")[0])).toEqual([
        "packages/contracts/package.json:2:3 error changeset-required `@platform/contracts` changed (packages/contracts/src/registry.ts)",
        "services/notifications/package.json:2:3 error changeset-required `@services/notifications` changed (services/notifications/src/db/schema.ts and 1 more file(s))",
      ]);
      expect(findings.map((f) => f.service)).toEqual([null, "notifications"]);
    });

    it("counts a deleted or renamed source file as a change", async () => {
      const base = exampleFiles();
      const head = exampleFiles();
      head["services/notifications/src/services/deliveries.service.ts"] = head[NOTIFY_SERVICE]!;
      delete head[NOTIFY_SERVICE];
      const lines = describeFindings(
        await runRule(rule, head, {
          base,
          changed: [{ path: "services/notifications/src/services/deliveries.service.ts", previousPath: NOTIFY_SERVICE, status: "renamed" }],
        }),
      );
      expect(lines.map((l) => l.split(", but ")[0])).toEqual([
        "services/notifications/package.json:2:3 error changeset-required `@services/notifications` changed (services/notifications/src/services/deliveries.service.ts and 1 more file(s))",
      ]);
    });

    it("reports placeholder summaries at the summary line", async () => {
      const lines = await pr((f) => {
        touchRoutes(f);
        f[".changeset/a-update.md"] = changeset({ "@services/billing-ledger": "patch" }, "Update");
        f[".changeset/b-fixes.md"] = changeset({ "@services/billing-ledger": "patch" }, "Fixes and updates");
        f[".changeset/c-empty.md"] = '---\n"@services/billing-ledger": patch\n---\n';
        f[".changeset/d-dot.md"] = changeset({ "@services/billing-ledger": "patch" }, ".");
        f[".changeset/e-todo.md"] = changeset({ "@services/billing-ledger": "patch" }, "\n\nTODO: describe the pagination change");
      });
      expect(lines.map((l) => l.split(". Write")[0])).toEqual([
        '.changeset/a-update.md:5:1 error changeset-required The changeset summary "Update" is not user-facing: it has one word, fewer than 3',
        '.changeset/b-fixes.md:5:1 error changeset-required The changeset summary "Fixes and updates" is not user-facing: it only uses words like fix, update or changes, which tell a user nothing',
        ".changeset/c-empty.md:3:1 error changeset-required The changeset summary (empty) is not user-facing: it is empty",
        '.changeset/d-dot.md:5:1 error changeset-required The changeset summary "." is not user-facing: it contains no words',
        '.changeset/e-todo.md:7:1 error changeset-required The changeset summary "TODO: describe the pagination change" is not user-facing: it starts with "todo", which marks unfinished work',
      ]);
    });

    it("follows pnpm-workspace.yaml globs, including negations", async () => {
      const lines = await pr((f) => {
        f["pnpm-workspace.yaml"] = 'packages:\n  - "services/*"\n  - "packages/*"\n  - "!packages/sdk-*"\n  - "tools/*"\n';
        f["tools/gen/package.json"] = '{\n  "private": true,\n  "name": "@tools/gen"\n}\n';
        f["tools/gen/index.ts"] = "export {};\n";
        edit(f, "packages/sdk-billing-ledger/src/client.ts", /\n/, "\n\n");
      });
      expect(lines.map((l) => l.split(" changed")[0])).toEqual([
        "tools/gen/package.json:3:3 error changeset-required `@tools/gen`",
      ]);
    });
  });

  it("without pnpm-workspace.yaml, uses package.json workspaces, else services/* and packages/*", async () => {
    const withWorkspaces = await pr((f) => {
      delete f["pnpm-workspace.yaml"];
      edit(f, "package.json", '"private": true,', '"private": true,\n  "workspaces": ["services/*"],');
      edit(f, REGISTRY, /\n/, "\n// registry\n");
      edit(f, NOTIFY_SERVICE, /\n/, "\n// capped\n");
    });
    expect(withWorkspaces.map((l) => l.split(" changed")[0])).toEqual([
      "services/notifications/package.json:2:3 error changeset-required `@services/notifications`",
    ]);
    const byDefault = await pr((f) => {
      delete f["pnpm-workspace.yaml"];
      edit(f, REGISTRY, /\n/, "\n// registry\n");
    });
    expect(byDefault.map((l) => l.split(" changed")[0])).toEqual([
      "packages/contracts/package.json:2:3 error changeset-required `@platform/contracts`",
    ]);
  });

  describe("placeholderReason", () => {
    it("accepts short real sentences and rejects vague ones", () => {
      expect(placeholderReason("Bump hono to 4.6")).toBeUndefined();
      expect(placeholderReason("Fix typo in README")).toBeUndefined();
      expect(placeholderReason(GOOD)).toBeUndefined();
      expect(placeholderReason("Fixed some bugs")).toMatch(/only uses words/);
      expect(placeholderReason("update deps")).toMatch(/2 words/);
      expect(placeholderReason("WIP: add invoice pagination")).toMatch(/unfinished/);
      expect(placeholderReason("  \n ")).toBe("it is empty");
    });
  });
});
