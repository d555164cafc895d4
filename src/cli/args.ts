import { parseArgs } from "node:util";

export const USAGE = `Usage: platform-checks check [--repo DIR] [--base REF | --all] [--format text|json]

Runs the platform's convention checks on a local checkout, with the same
engine and rules as the GitHub App.

Options:
  --repo DIR         the monorepo to check (default: the current directory)
  --base REF         check the services changed since REF, as a pull request
                     against REF would (needs git; compares with the merge base
                     of REF and HEAD, and includes uncommitted and untracked files)
  --all              check every service (the default when --base is not given)
  --format text|json output format (default: text)
  -h, --help         show this help

Exit status: 0 when nothing is an error, 1 when something is, 2 on bad usage
or when the check cannot run (bad REF, not a git checkout, invalid config).`;

export interface CheckArgs {
  command: "check";
  /** The directory given with --repo, unresolved (default "."). */
  repo: string;
  /** `{ kind: "base", ref }` with --base, else every service. */
  mode: { kind: "all" } | { kind: "base"; ref: string };
  format: "text" | "json";
}

export type ParsedArgs = CheckArgs | { command: "help" };

/** Bad usage: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

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
  if (command === undefined) throw new UsageError("missing command: the only command is `check`");
  if (command === "help") return { command: "help" };
  if (command !== "check") throw new UsageError(`unknown command \`${command}\`: the only command is \`check\``);
  if (extra.length > 0) throw new UsageError(`unexpected argument \`${extra[0]}\` (options start with --)`);

  if (values.base !== undefined && values.all) throw new UsageError("--base and --all cannot be used together: pick one");
  if (values.base !== undefined && values.base.trim() === "") throw new UsageError("--base needs a git ref, e.g. --base origin/main");
  // A ref never starts with "-"; refusing it keeps the value from reaching git as an option.
  if (values.base?.startsWith("-")) throw new UsageError(`--base needs a git ref, not \`${values.base}\``);
  if (values.repo !== undefined && values.repo.trim() === "") throw new UsageError("--repo needs a directory");
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, not \`${format}\``);

  return {
    command: "check",
    repo: values.repo ?? ".",
    mode: values.base !== undefined ? { kind: "base", ref: values.base } : { kind: "all" },
    format,
  };
}
