import { parseArgs } from "node:util";

export const USAGE = `Usage: platform-checks check [--repo DIR] [--base REF | --all | --pr OWNER/REPO#N] [--format FORMAT]
       platform-checks rules [--repo DIR] [--format text|json]
       platform-checks explain RULE

Runs the platform's convention checks with the same engine and rules as the
GitHub App: on a local checkout, or on a pull request read from GitHub.

check options:
  --repo DIR         the monorepo to check (default: the current directory)
  --base REF         check the services changed since REF, as a pull request
                     against REF would (needs git; compares with the merge base
                     of REF and HEAD, and includes uncommitted and untracked files)
  --all              check every service (the default when --base is not given)
  --pr OWNER/REPO#N  check pull request N of OWNER/REPO through the GitHub API,
                     exactly as the bot would, and write nothing to GitHub
                     (GITHUB_TOKEN: a token that can read the repository;
                     GITHUB_API_URL: the API of a GitHub Enterprise server)
  --format FORMAT    text (default), json (SPEC section 7), sarif (SARIF 2.1.0
                     for code scanning), github (workflow-command annotations),
                     markdown (the bot's comment, for $GITHUB_STEP_SUMMARY)

rules                lists every rule with its severity under the configuration
                     of --repo (.github/platform-checks.yml)
explain RULE         prints the rule's documentation page
  -h, --help         show this help

Exit status: 0 when nothing is an error, 1 when something is, 2 on bad usage
or when the check cannot run (bad REF, not a git checkout, invalid config,
GitHub unreachable or the pull request not readable).`;

export const CHECK_FORMATS = ["text", "json", "sarif", "github", "markdown"] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

export type CheckMode = { kind: "all" } | { kind: "base"; ref: string } | ({ kind: "pull" } & PullRequestRef);

export interface CheckArgs {
  command: "check";
  /** The directory given with --repo, unresolved (default "."). */
  repo: string;
  mode: CheckMode;
  format: CheckFormat;
}

export interface RulesArgs {
  command: "rules";
  repo: string;
  format: "text" | "json";
}

export interface ExplainArgs {
  command: "explain";
  rule: string;
}

export type ParsedArgs = CheckArgs | RulesArgs | ExplainArgs | { command: "help" };

/** Bad usage: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

const COMMANDS = "`check`, `rules` or `explain`";

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        repo: { type: "string" },
        base: { type: "string" },
        all: { type: "boolean" },
        pr: { type: "string" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    // node:util's messages are precise ("Unknown option '--bse'", "Option '--base <value>' argument missing").
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };

  const [command, ...extra] = positionals;
  if (command === undefined) throw new UsageError(`missing command: ${COMMANDS}`);
  if (command === "help") return { command: "help" };
  if (values.repo !== undefined && values.repo.trim() === "") throw new UsageError("--repo needs a directory");

  if (command === "explain") {
    const only = (name: string, given: unknown) => {
      if (given !== undefined) throw new UsageError(`explain takes no ${name}`);
    };
    only("--repo", values.repo);
    only("--base", values.base);
    only("--all", values.all);
    only("--pr", values.pr);
    only("--format", values.format);
    if (extra.length !== 1) throw new UsageError("explain needs exactly one rule id, e.g. `platform-checks explain publish-in-transaction`");
    return { command: "explain", rule: extra[0]! };
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument \`${extra[0]}\` (options start with --)`);

  if (command === "rules") {
    if (values.base !== undefined || values.all || values.pr !== undefined) throw new UsageError("rules takes only --repo and --format");
    const format = values.format ?? "text";
    if (format !== "text" && format !== "json") throw new UsageError(`rules --format must be text or json, not \`${format}\``);
    return { command: "rules", repo: values.repo ?? ".", format };
  }
  if (command !== "check") throw new UsageError(`unknown command \`${command}\`: the commands are ${COMMANDS}`);

  const modes = [values.base !== undefined && "--base", values.all && "--all", values.pr !== undefined && "--pr"].filter(Boolean);
  if (modes.length > 1) throw new UsageError(`${modes.join(" and ")} cannot be used together: pick one`);
  if (values.base !== undefined && values.base.trim() === "") throw new UsageError("--base needs a git ref, e.g. --base origin/main");
  // A ref never starts with "-"; refusing it keeps the value from reaching git as an option.
  if (values.base?.startsWith("-")) throw new UsageError(`--base needs a git ref, not \`${values.base}\``);
  if (values.pr !== undefined && values.repo !== undefined) throw new UsageError("--pr reads the pull request from GitHub: --repo does not apply");
  const format = values.format ?? "text";
  if (!(CHECK_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${CHECK_FORMATS.join(", ")}, not \`${format}\``);
  }

  return {
    command: "check",
    repo: values.repo ?? ".",
    mode:
      values.pr !== undefined
        ? { kind: "pull", ...parsePullRequestRef(values.pr) }
        : values.base !== undefined
          ? { kind: "base", ref: values.base }
          : { kind: "all" },
    format: format as CheckFormat,
  };
}

/** `owner/repo#123`, or a pull request's address (`https://github.example.com/owner/repo/pull/123`). */
export function parsePullRequestRef(text: string): PullRequestRef {
  const short = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})#([1-9][0-9]{0,9})$/.exec(text.trim());
  const url = /^https?:\/\/[^/\s]+\/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})\/pull\/([1-9][0-9]{0,9})(?:[/?#].*)?$/.exec(text.trim());
  const match = short ?? url;
  if (!match || match[2] === "." || match[2] === "..") {
    throw new UsageError(`--pr needs OWNER/REPO#NUMBER (e.g. loop/platform#123) or a pull request URL, not \`${text}\``);
  }
  return { owner: match[1]!, repo: match[2]!, number: Number(match[3]) };
}
