import { describe, expect, it } from "vitest";
import { parseCliArgs, UsageError } from "../../src/cli/args.js";

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
    [["lint"], /unknown command `lint`/],
    [["check", "services/x"], /unexpected argument `services\/x`/],
    [["check", "--base", "main", "--all"], /--base and --all cannot be used together/],
    [["check", "--base"], /argument missing/],
    [["check", "--base="], /--base needs a git ref/],
    [["check", "--base=--output=/tmp/x"], /--base needs a git ref, not `--output=\/tmp\/x`/],
    [["check", "--format", "yaml"], /--format must be text or json, not `yaml`/],
    [["check", "--bse", "main"], /Unknown option '--bse'/],
    [["check", "--all=yes"], /does not take an argument/],
    [["check", "--repo="], /--repo needs a directory/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCliArgs(argv as string[])).toThrow(UsageError);
    expect(() => parseCliArgs(argv as string[])).toThrow(message);
  });
});
