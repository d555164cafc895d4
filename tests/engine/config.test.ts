import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_CONFIG, parseConfig } from "../../src/engine/config.js";
import { RULE_IDS } from "../../src/rules/index.js";

describe("configuration", () => {
  it("has defaults for every key", () => {
    expect(DEFAULT_CONFIG).toMatchObject({ check_name: "Loop Platform / pre-merge", services_dir: "services", brands: ["loop", "loopbio"], checklist_statuses: ["stable"], scopes_module: "@platform/scopes" });
  });

  it("names the offending key of an invalid file", () => {
    const problems = (raw: unknown) => {
      try {
        parseConfig(raw, ".github/platform-checks.yml", RULE_IDS);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ rules: { "changeset-required": "loud" } })[0]).toMatch(/^rules\.changeset-required: /);
    expect(problems({ rules: { "changeset-requried": "off" } })).toEqual(["rules.changeset-requried: no rule has this id"]);
    expect(problems({ brand: ["loop"] })[0]).toMatch(/^brand: /);
    expect(problems({ brands: [] })[0]).toMatch(/^brands: /);
    expect(problems({ services_dir: "/services/" })[0]).toMatch(/^services_dir: /);
    expect(problems({ checklist_statuses: ["prod"] })[0]).toMatch(/^checklist_statuses\.0: /);
    expect(problems({ scopes_module: "" })[0]).toMatch(/^scopes_module: /);
  });

  it("accepts every documented key", () => {
    const config = parseConfig(
      {
        check_name: "Platform",
        services_dir: "apps",
        ignored_folders: ["legacy"],
        brands: ["loop"],
        rules: { "owner-in-codeowners": "off", "openapi-route-typed": "error" },
        scope_exempt_routes: ["/healthz", "/internal/*"],
        scopes_module: "@acme/authz",
        changeset_ignore: ["**/*.md"],
        checklist_statuses: ["beta", "stable"],
        checklist_items: ["Security review"],
      },
      "x",
      RULE_IDS,
    );
    expect(config.rules["owner-in-codeowners"]).toBe("off");
    expect(config.scopes_module).toBe("@acme/authz");
  });
});
