#!/usr/bin/env node
// `platform-checks check [--repo DIR] [--base REF | --all] [--format text|json]` (SPEC section 7):
// the bot's engine and rules over a local checkout. Nothing here imports Probot.
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../engine/config.js";
import type { Rule } from "../engine/rule.js";
import { runChecks } from "../engine/run.js";
import { loadLocalConfig } from "../local/load-config.js";
import { LocalRepoError, WorkingTreeSnapshot } from "../local/working-tree-snapshot.js";
import { renderJson } from "../report/json.js";
import { renderText } from "../report/text.js";
import { RULE_IDS, RULES } from "../rules/index.js";
import { parseCliArgs, USAGE, UsageError, type CheckArgs } from "./args.js";

export const EXIT_SUCCESS = 0;
/** Some finding is an error. */
export const EXIT_FINDINGS = 1;
/** Bad usage, or the check could not run (see the message on stderr). */
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Where a relative --repo is resolved from. */
  cwd: string;
}

export interface MainOptions {
  /** The rules to run (default: every rule). Tests pass a subset. */
  rules?: readonly Rule[];
}

/** Runs the CLI and returns its exit code; never calls process.exit, so tests can call it in-process. */
export async function main(argv: readonly string[], io: CliIo = processIo(), options: MainOptions = {}): Promise<number> {
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`platform-checks: ${error.message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (args.command === "help") {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_SUCCESS;
  }
  try {
    return await check(args, io, options);
  } catch (error) {
    if (error instanceof LocalRepoError || error instanceof ConfigError) {
      io.stderr.write(`platform-checks: ${error.message}\n`);
    } else {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      io.stderr.write(`platform-checks: internal error, the check could not run:\n${detail}\n`);
    }
    return EXIT_USAGE;
  }
}

async function check(args: CheckArgs, io: CliIo, options: MainOptions): Promise<number> {
  const dir = resolve(io.cwd, args.repo);
  const base = args.mode.kind === "base" ? args.mode.ref : undefined;
  const snapshot = await WorkingTreeSnapshot.open(dir, base === undefined ? {} : { base });
  const { config, notes } = await loadLocalConfig(dir, RULE_IDS);
  for (const note of notes) io.stderr.write(`platform-checks: ${note}\n`);

  const report = await runChecks({ snapshot, config, rules: options.rules ?? RULES });

  if (args.format === "json") {
    io.stdout.write(renderJson(report));
  } else {
    const scope =
      base === undefined
        ? "every service"
        : `changed since ${base}${snapshot.baseCommit ? `, merge base ${snapshot.baseCommit.slice(0, 12)}` : ""}`;
    io.stdout.write(renderText(report, { scope, gatedStatuses: config.checklist_statuses }));
  }
  return report.conclusion === "failure" ? EXIT_FINDINGS : EXIT_SUCCESS;
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

/** True when this file is the program node was started with (also through npm's bin symlink). */
function isEntryPoint(): boolean {
  const started = process.argv[1];
  if (!started) return false;
  try {
    return realpathSync(started) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `platform-checks check | head` closes the pipe early: that is not a failure worth a stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`platform-checks: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
