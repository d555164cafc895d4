import { describe, expect, it } from "vitest";
import { parseCliArgs, parsePullRequestRef, UsageError } from "../../src/cli/args.js";

describe("parseCliArgs", () => {
  it("defaults to the current directory, every service and text", () => {
    expect(parseCliArgs(["check"])).toEqual({ command: "check", repo: ".", mode: { kind: "all" }, format: "text" });
  });

  it("reads --repo, --base and --format, in any order and with = or a space", () => {
    expect(parseCliArgs(["check", "--format=json", "--base", "origin/main", "--repo", "../mono"])).toEqual({
      command: "check",
      repo: "../mono",
      mode: { kind: "base", ref: "origin/main" },
      format: "json",
    });
    expect(parseCliArgs(["--all", "check", "--repo=x"])).toEqual({ command: "check", repo: "x", mode: { kind: "all" }, format: "text" });
  });

  it("answers --help, -h and `help` with the usage", () => {
    expect(parseCliArgs(["--help"])).toEqual({ command: "help" });
    expect(parseCliArgs(["check", "-h"])).toEqual({ command: "help" });
    expect(parseCliArgs(["help"])).toEqual({ command: "help" });
  });

  it.each([
    [[], /missing command/],
    [["lint"], /unknown command `lint`: the commands are `check`, `rules` or `explain`/],
    [["check", "services/x"], /unexpected argument `services\/x`/],
    [["check", "--base", "main", "--all"], /--base and --all cannot be used together/],
    [["check", "--base"], /argument missing/],
    [["check", "--base="], /--base needs a git ref/],
    [["check", "--base=--output=/tmp/x"], /--base needs a git ref, not `--output=\/tmp\/x`/],
    [["check", "--format", "yaml"], /--format must be one of text, json, sarif, github, markdown, not `yaml`/],
    [["check", "--pr", "loop/platform#1", "--base", "main"], /--base and --pr cannot be used together/],
    [["check", "--pr", "loop/platform#1", "--repo", "."], /--pr reads the pull request from GitHub: --repo does not apply/],
    [["check", "--pr", "loop/platform"], /--pr needs OWNER\/REPO#NUMBER/],
    [["rules", "--all"], /rules takes only --repo and --format/],
    [["rules", "--format", "sarif"], /rules --format must be text or json/],
    [["explain"], /explain needs exactly one rule id/],
    [["explain", "a", "b"], /explain needs exactly one rule id/],
    [["explain", "sdk-drift", "--repo", "."], /explain takes no --repo/],
    [["check", "--bse", "main"], /Unknown option '--bse'/],
    [["check", "--all=yes"], /does not take an argument/],
    [["check", "--repo="], /--repo needs a directory/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCliArgs(argv as string[])).toThrow(UsageError);
    expect(() => parseCliArgs(argv as string[])).toThrow(message);
  });
});

describe("the other formats and commands", () => {
  it.each(["sarif", "github", "markdown"])("accepts --format %s", (format) => {
    expect(parseCliArgs(["check", "--format", format])).toMatchObject({ command: "check", format });
  });

  it("reads --pr as OWNER/REPO#N or a pull request URL", () => {
    expect(parseCliArgs(["check", "--pr", "loop/platform#123", "--format", "json"])).toEqual({
      command: "check",
      repo: ".",
      mode: { kind: "pull", owner: "loop", repo: "platform", number: 123 },
      format: "json",
    });
    expect(parsePullRequestRef("https://github.example.com/loop/platform.js/pull/7/files")).toEqual({ owner: "loop", repo: "platform.js", number: 7 });
    expect(() => parsePullRequestRef("loop/..#1")).toThrow(UsageError);
    expect(() => parsePullRequestRef("loop/platform#0")).toThrow(UsageError);
    expect(() => parsePullRequestRef("../x/platform#1")).toThrow(UsageError);
  });

  it("reads rules and explain", () => {
    expect(parseCliArgs(["rules"])).toEqual({ command: "rules", repo: ".", format: "text" });
    expect(parseCliArgs(["rules", "--repo", "mono", "--format=json"])).toEqual({ command: "rules", repo: "mono", format: "json" });
    expect(parseCliArgs(["explain", "sdk-drift"])).toEqual({ command: "explain", rule: "sdk-drift" });
  });
});
