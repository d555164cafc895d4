import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RULE_IDS, RULES } from "../src/rules/index.js";

const root = new URL("../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

describe("documentation", () => {
  it("registers the 33 rules of SPEC section 3", () => {
    expect(RULE_IDS.size).toBe(33);
    expect(new Set(RULES.map((r) => r.meta.id)).size).toBe(RULES.length);
  });

  it.each([...RULE_IDS])("%s has a doc page with a failing and a passing example", (id) => {
    const path = `docs/rules/${id}.md`;
    expect(existsSync(new URL(path, root)), `${path} exists`).toBe(true);
    const page = read(path);
    expect(page.startsWith(`# ${id}`)).toBe(true);
    expect(page).toMatch(/^#+ .*failing/im);
    expect(page).toMatch(/^#+ .*passing/im);
  });

  it.each([...RULE_IDS])("%s is listed in the README's rule table", (id) => {
    expect(read("README.md")).toContain(`[${id}](docs/rules/${id}.md)`);
  });

  it("default severities follow SPEC section 3", () => {
    const warnings = ["owner-in-codeowners", "openapi-route-typed", "ai-overview-staleness"];
    for (const rule of RULES) expect([rule.meta.id, rule.meta.defaultSeverity]).toEqual([rule.meta.id, warnings.includes(rule.meta.id) ? "warning" : "error"]);
  });

  it("rule metadata is complete: a title and a message for every message id used", () => {
    for (const rule of RULES) {
      expect(rule.meta.title.length, rule.meta.id).toBeGreaterThan(10);
      expect(["error", "warning", "notice"]).toContain(rule.meta.defaultSeverity);
    }
  });
});
