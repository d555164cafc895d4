import { describe, expect, it } from "vitest";
import rule from "../../src/rules/changeset-valid.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, runAllOnExample, runRule } from "../helpers/rule-harness.js";

/** A pull request over the example that adds or replaces the given files. */
async function pr(added: Record<string, string>, remove: string[] = []) {
  const base = exampleFiles();
  const head = { ...exampleFiles(), ...added };
  for (const path of remove) delete head[path];
  return describeFindings(await runRule(rule, head, { base }));
}

/** The whole tree, as `--all` checks it. */
async function all(added: Record<string, string>) {
  return describeFindings(await runRule(rule, { ...exampleFiles(), ...added }));
}

const SUMMARY = "\nInvoices are now paginated with a cursor.\n";

describe("changeset-valid", () => {
  describe("valid", () => {
    it("the example is clean under the whole engine", async () => {
      const report = await runAllOnExample();
      expect(report.findings.filter((f) => f.rule === "changeset-valid")).toEqual([]);
    });

    it("accepts a changeset naming several packages, quoted or not, with every bump type", async () => {
      expect(
        await pr({
          ".changeset/wide-cats-play.md": `---\n"@services/billing-ledger": major\n'@platform/contracts': minor\n"@platform/sdk-notifications": patch\n---\n${SUMMARY}`,
        }),
      ).toEqual([]);
    });

    it("ignores the README and config.json of .changeset, and files outside it", async () => {
      expect(
        await all({
          ".changeset/README.md": "# Changesets\n\nHello, this folder has been automatically generated.\n",
          ".changeset/config.json": "{ not json",
          "docs/notes.md": "---\nnot: a changeset\n---\n",
        }),
      ).toEqual([]);
    });

    it("accepts an empty changeset (no package released)", async () => {
      expect(await pr({ ".changeset/quiet-days.md": "---\n---\n\nCI-only change, nothing to release.\n" })).toEqual([]);
    });

    it("checks only the changesets the pull request touches (a broken one it deletes or leaves alone is not its problem)", async () => {
      const base = { ...exampleFiles(), ".changeset/old-broken.md": "no front matter\n" };
      const head = { ...base, ".changeset/new-good.md": `---\n"@services/notifications": patch\n---\n${SUMMARY}` };
      expect(await runRule(rule, head, { base })).toEqual([]);
      expect(await pr({}, [".changeset/brave-lions-sing.md"])).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports an unknown package at its key, suggesting the close name", async () => {
      expect(
        await pr({
          ".changeset/odd-ducks.md": `---\n"@services/billing-ledger": minor\n"@services/biling-ledger": minor\n"@services/payments": patch\n---\n${SUMMARY}`,
        }),
      ).toEqual([
        ".changeset/odd-ducks.md:3:1 error changeset-valid This changeset names `@services/biling-ledger`, but no package of the workspace has that package.json name (did you mean `@services/billing-ledger`?). Use the exact `name` from the package's package.json, or remove the line.",
        ".changeset/odd-ducks.md:4:1 error changeset-valid This changeset names `@services/payments`, but no package of the workspace has that package.json name. Use the exact `name` from the package's package.json, or remove the line.",
      ]);
    });

    it("reports a bad bump type and `none` at the value", async () => {
      expect(
        await pr({
          ".changeset/big-bang.md": `---\n"@services/billing-ledger": huge\n"@platform/contracts":   none\n"@platform/sdk-notifications":\n---\n${SUMMARY}`,
        }),
      ).toEqual([
        ".changeset/big-bang.md:2:29 error changeset-valid This changeset gives `@services/billing-ledger` the bump `huge`; use major, minor or patch.",
        ".changeset/big-bang.md:3:26 error changeset-valid This changeset gives `@platform/contracts` the bump `none`, which the platform does not release; use major, minor or patch, or remove the line if the package does not change.",
        ".changeset/big-bang.md:4:31 error changeset-valid This changeset gives `@platform/sdk-notifications` the bump `(nothing)`; use major, minor or patch.",
      ]);
    });

    it("reports a file without front matter, an empty file, and broken YAML at its line", async () => {
      const lines = await pr({
        ".changeset/a-no-front-matter.md": "Invoices are paginated now.\n",
        ".changeset/b-empty.md": "\n",
        ".changeset/c-bad-yaml.md": `---\n"@services/billing-ledger": minor\n"@platform/contracts: patch\n---\n${SUMMARY}`,
        ".changeset/d-list.md": `---\n- "@services/billing-ledger"\n---\n${SUMMARY}`,
        ".changeset/e-duplicate.md": `---\n"@services/billing-ledger": minor\n"@services/billing-ledger": patch\n---\n${SUMMARY}`,
      });
      expect(lines.map((l) => l.split(". A changeset is")[0])).toEqual([
        ".changeset/a-no-front-matter.md:1:1 error changeset-valid This is not a valid changeset: it does not start with front matter between two `---` lines",
        ".changeset/b-empty.md:1:1 error changeset-valid This is not a valid changeset: the file is empty",
        expect.stringMatching(/^\.changeset\/c-bad-yaml\.md:3:\d+ error changeset-valid This is not a valid changeset: its front matter is not valid YAML \(/),
        ".changeset/d-list.md:2:1 error changeset-valid This is not a valid changeset: its front matter must map package names to a bump type, like `\"@services/x\": patch`",
        expect.stringMatching(/^\.changeset\/e-duplicate\.md:3:1 error changeset-valid This is not a valid changeset: its front matter is not valid YAML \(Map keys must be unique/),
      ]);
    });

    it("with --all, checks every changeset; a scaffold package name is not a workspace package", async () => {
      expect(
        await all({ ".changeset/from-template.md": `---\n"@services/<your-service>": minor\n---\n${SUMMARY}` }),
      ).toEqual([
        ".changeset/from-template.md:2:1 error changeset-valid This changeset names `@services/<your-service>`, but no package of the workspace has that package.json name. Use the exact `name` from the package's package.json, or remove the line.",
      ]);
    });

    it("a broken copy of the example yields exactly one finding per break, under the whole engine", async () => {
      const report = await runAllOnExample((files) => {
        files[".changeset/brave-lions-sing.md"] = files[".changeset/brave-lions-sing.md"]!.replace(
          '"@platform/sdk-billing-ledger": minor',
          '"@platform/sdk-billing": minor',
        ).replace('"@services/billing-ledger": minor', '"@services/billing-ledger": minr');
      });
      expect(describeFindings(report.findings.filter((f) => f.rule === "changeset-valid")).map((l) => l.split(" This")[0])).toEqual([
        ".changeset/brave-lions-sing.md:2:29 error changeset-valid",
        ".changeset/brave-lions-sing.md:3:1 error changeset-valid",
      ]);
    });
  });
});
