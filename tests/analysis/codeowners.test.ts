import { describe, expect, it } from "vitest";
import { parseCodeowners, patternMatcher } from "../../src/analysis/codeowners.js";

const matches = (pattern: string, path: string) => patternMatcher(pattern)!(path);

describe("patternMatcher (GitHub CODEOWNERS semantics)", () => {
  it("matches a pattern without a slash at any depth", () => {
    expect(matches("*", "services/a/service.yaml")).toBe(true);
    expect(matches("*.js", "src/deep/x.js")).toBe(true);
    expect(matches("*.js", "src/deep/x.ts")).toBe(false);
    expect(matches("apps/", "one/apps/x.ts")).toBe(true);
    expect(matches("service.yaml", "services/a/service.yaml")).toBe(true);
  });

  it("anchors a leading or inner slash at the root", () => {
    expect(matches("/services/a/", "services/a/service.yaml")).toBe(true);
    expect(matches("/services/a/", "services/ab/service.yaml")).toBe(false);
    expect(matches("/services/a", "services/a/src/x.ts")).toBe(true);
    expect(matches("services/a/", "x/services/a/service.yaml")).toBe(false);
    expect(matches("/build/logs/", "build/logs/deep/x.log")).toBe(true);
  });

  it("keeps * and ? inside one folder; a final /* owns only direct files", () => {
    expect(matches("services/*/service.yaml", "services/a/service.yaml")).toBe(true);
    expect(matches("services/*/service.yaml", "services/a/b/service.yaml")).toBe(false);
    expect(matches("docs/*", "docs/getting-started.md")).toBe(true);
    expect(matches("docs/*", "docs/build-app/troubleshooting.md")).toBe(false);
    expect(matches("services/a?/", "services/ab/x")).toBe(true);
  });

  it("lets ** span folders", () => {
    expect(matches("**/logs", "deeply/nested/logs/x.log")).toBe(true);
    expect(matches("services/**/schema.ts", "services/a/src/db/schema.ts")).toBe(true);
    expect(matches("services/**/schema.ts", "services/schema.ts")).toBe(true);
    expect(matches("/services/**", "services/a/x")).toBe(true);
  });

  it("takes [ literally and rejects ! negation", () => {
    expect(matches("/docs/[a]/", "docs/[a]/x.md")).toBe(true);
    expect(matches("/docs/[a]/", "docs/a/x.md")).toBe(false);
    expect(patternMatcher("!services/a/")).toBeUndefined();
  });

  it("honours escaped spaces and #", () => {
    expect(matches("/my\\ folder/", "my folder/x")).toBe(true);
    expect(matches("\\#notes/", "#notes/x")).toBe(true);
  });
});

describe("parseCodeowners", () => {
  const file = parseCodeowners(
    ".github/CODEOWNERS",
    [
      "# comment",
      "*                       @loop/platform",
      "",
      "  /services/a/          @Loop/A-Team  a@example.com # inline comment",
      "/services/a/src/legacy/",
      "!/services/b/           @nobody",
      "/my\\ dir/ @x",
    ].join("\n"),
  );

  it("reads patterns, owners, lines and columns; skips comments and lines GitHub rejects", () => {
    expect(file.rules.map(({ pattern, owners, line, column }) => ({ pattern, owners, line, column }))).toEqual([
      { pattern: "*", owners: ["@loop/platform"], line: 2, column: 1 },
      { pattern: "/services/a/", owners: ["@Loop/A-Team", "a@example.com"], line: 4, column: 3 },
      { pattern: "/services/a/src/legacy/", owners: [], line: 5, column: 1 },
      { pattern: "/my\\ dir/", owners: ["@x"], line: 7, column: 1 },
    ]);
  });

  it("lets the last matching line win", () => {
    expect(file.ownerRuleFor("services/a/service.yaml")?.line).toBe(4);
    expect(file.ownerRuleFor("services/a/src/legacy/x.ts")?.owners).toEqual([]);
    expect(file.ownerRuleFor("services/b/service.yaml")?.line).toBe(2);
  });
});
