#!/usr/bin/env node
// `platform-checks check|rules|explain` (SPEC section 7, issue 11): the bot's engine and rules
// over a local checkout or a pull request read from GitHub. Nothing here imports Probot.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Config } from "../engine/config.js";
import { ConfigError } from "../engine/config-error.js";
import type { filesToPrefetch } from "../engine/prefetch.js";
import { camelName } from "../engine/names.js";
import type { Rule } from "../engine/rule.js";
import { CheckBudgetExceeded, closeSharedCheckPool, sharedCheckPool } from "../engine/isolation/run-isolated.js";
import type { CheckReport } from "../engine/run.js";
import { SnapshotReadError } from "../engine/snapshot.js";
import { LocalRepoError, WorkingTreeSnapshot } from "../local/working-tree-snapshot.js";
import { parseCliArgs, USAGE, UsageError, type CheckArgs, type ExplainArgs, type PullRequestRef, type RulesArgs } from "./args.js";
import { isEntryPoint, runAsProgram } from "./entry-point.js";
import { DEFAULT_API_URL, PullRequestReadError } from "./pull-request-error.js";
import { packageVersion } from "./version.js";

// The rules (and with them the analysis and its parsers, TypeScript above all) are imported only
// where this thread needs them: `rules`, `explain`, SARIF and --pr. The local check runs them in
// the pool's worker, which loads them while this thread lists the files. The configuration's
// schema (zod, yaml) and the reporters load after the worker has been started, for the same reason.
const ruleRegistry = () => import("../rules/index.js");
const ruleCatalog = () => import("./rule-catalog.js");
const configLoader = () => import("../local/load-config.js");
type FilesToPrefetch = typeof filesToPrefetch;

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
  /** GITHUB_TOKEN, GITHUB_API_URL (for --pr) and GITHUB_WORKSPACE (annotation paths). Default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface MainOptions {
  /** The rules to run (default: every rule, loaded in the worker only). Tests pass a subset. */
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
    if (args.command === "explain") return await explain(args, io);
    if (args.command === "rules") return await rules(args, io);
    return await check(args, io, options);
  } catch (error) {
    if (isNamedFailure(error)) {
      io.stderr.write(`platform-checks: ${error.message}\n`);
    } else {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      io.stderr.write(`platform-checks: internal error, the check could not run:\n${detail}\n`);
    }
    return EXIT_USAGE;
  }
}

/** A failure whose message says what happened (bad input, a budget, a read): shown without a stack trace. */
export function isNamedFailure(error: unknown): error is Error {
  return [LocalRepoError, ConfigError, PullRequestReadError, CheckBudgetExceeded, SnapshotReadError].some((type) => error instanceof type);
}

/** A finished check, whichever way the repository was read. */
export interface CheckOutcome {
  report: CheckReport;
  config: Config;
  scope: string;
  headSha?: string | undefined;
  /** The folder checked on disk; undefined for a pull request read from GitHub. */
  dir?: string;
  /** Said before the report: on stdout with the text format, on stderr with the others (which stay machine-readable). */
  preamble?: string[];
}

async function check(args: CheckArgs, io: CliIo, options: MainOptions): Promise<number> {
  const env = io.env ?? process.env;
  let outcome: CheckOutcome;
  const rendering = import("./render.js"); // loads while the check runs
  if (args.mode.kind === "pull") {
    outcome = await checkPull(args.mode, io, options.rules ?? (await ruleRegistry()).RULES);
  } else {
    const dir = resolve(io.cwd, args.repo);
    outcome = await checkLocal(dir, args.mode.kind === "base" ? args.mode.ref : undefined, io, options.rules);
  }
  const preamble = (outcome.preamble ?? []).map((line) => `platform-checks: ${line}\n`).join("");
  (args.format === "text" ? io.stdout : io.stderr).write(preamble);
  const { pathPrefixFor, renderReport } = await rendering;
  const pathPrefix = outcome.dir === undefined ? "" : pathPrefixFor(outcome.dir, env["GITHUB_WORKSPACE"] || io.cwd);
  io.stdout.write(await renderReport(args.format, outcome.report, { config: outcome.config, scope: outcome.scope, headSha: outcome.headSha, pathPrefix }));
  return outcome.report.conclusion === "failure" ? EXIT_FINDINGS : EXIT_SUCCESS;
}

/** The local check: a working-tree snapshot, the working tree's configuration, every rule (or `rules`). */
export async function checkLocal(dir: string, base: string | undefined, io: Pick<CliIo, "stderr">, rules?: readonly Rule[]): Promise<CheckOutcome> {
  // As the bot does: in a worker under heap and time budgets, so no file can hang or crash the CLI.
  // Asking it for the rule ids first starts it: it loads the engine while git lists the files.
  const pool = sharedCheckPool();
  const ruleIds = rules === undefined ? pool.ruleIds() : ruleRegistry().then((registry) => registry.RULE_IDS);
  ruleIds.catch(() => {}); // awaited below; if the snapshot fails first, the pool is closed and this rejection is moot
  const loader = configLoader(); // loads while git lists the files
  const prefetchList = import("../engine/prefetch.js");
  const snapshot = await WorkingTreeSnapshot.open(dir, base === undefined ? {} : { base });
  const { loadLocalConfig } = await loader;
  if (base === undefined) {
    // Every service is in scope, so the files the worker will ask for are known now: read them
    // while it still loads. The configuration is read here for its folders only (checked below).
    const draft = await loadLocalConfig(dir).catch(() => undefined);
    if (draft) snapshot.readAhead(filesOfEveryService(snapshot, draft.config, (await prefetchList).filesToPrefetch));
  }
  const { config, notes } = await loadLocalConfig(dir, await ruleIds);
  for (const note of notes) io.stderr.write(`platform-checks: ${note}\n`);

  const report = await pool.run(snapshot, config, rules === undefined ? {} : { rules });

  const scope =
    base === undefined ? "every service" : `changed since ${base}${snapshot.baseCommit ? `, merge base ${snapshot.baseCommit.slice(0, 12)}` : ""}`;
  return { report, config, scope, dir };
}

/**
 * What `filesToPrefetch` asks for when every folder under the services folder
 * is in scope: a superset of what the worker will ask for with --all (the
 * exact scope, which skips some folders, is the engine's).
 */
function filesOfEveryService(snapshot: WorkingTreeSnapshot, config: Config, filesToPrefetch: FilesToPrefetch): readonly string[] {
  const prefix = `${config.services_dir}/`;
  const names = new Set<string>();
  for (const path of snapshot.listFiles()) {
    const parts = path.startsWith(prefix) ? path.slice(prefix.length).split("/") : [];
    if (parts.length > 1) names.add(parts[0]!);
  }
  const services = [...names].sort().map((name) => ({ name, dir: `${prefix}${name}`, camelName: camelName(name) }));
  return filesToPrefetch(snapshot, config, { services, allServices: services, deletedServices: [], uncheckable: [] }).head;
}

/** `--pr`: the bot's check of a pull request, read through the GitHub API and written nowhere. */
async function checkPull(ref: PullRequestRef, io: CliIo, rules: readonly Rule[]): Promise<CheckOutcome> {
  const env = io.env ?? process.env;
  const token = env["GITHUB_TOKEN"] || env["GH_TOKEN"] || undefined;
  const apiUrl = env["GITHUB_API_URL"] || DEFAULT_API_URL;
  if (!token) io.stderr.write("platform-checks: no GITHUB_TOKEN set: reading without a token works only for public repositories, with a low rate limit.\n");
  // Loaded only for --pr: the local check never loads the GitHub client.
  const { checkPullRequest } = await import("./pull-request.js");
  const [{ RULE_IDS }, { renderTitle }] = await Promise.all([ruleRegistry(), import("../report/check-run.js")]);
  const result = await checkPullRequest(ref, { token, apiUrl, rules, ruleIds: RULE_IDS, userAgent: `platform-checks/${packageVersion()} (--pr)` });
  const where = `${ref.owner}/${ref.repo}#${ref.number}`;
  return {
    // What the check run would show: its name, conclusion and title, and the notes atop its summary.
    preamble: [
      `check run "${result.config.check_name}" on ${result.headSha.slice(0, 7)} would conclude ${result.report.conclusion}: ${renderTitle(result.report)}`,
      ...result.notes.map((note) => `note: ${note}`),
    ],
    report: result.report,
    config: result.config,
    scope: `pull request ${where} at ${result.headSha.slice(0, 12)}, configuration from ${result.baseRef}`,
    headSha: result.headSha,
  };
}

async function rules(args: RulesArgs, io: CliIo): Promise<number> {
  const dir = resolve(io.cwd, args.repo);
  const [{ RULE_IDS }, { listRules, renderRuleList }, { loadLocalConfig }, { CONFIG_PATH }] = await Promise.all([
    ruleRegistry(),
    ruleCatalog(),
    configLoader(),
    import("../engine/config.js"),
  ]);
  const { config, notes } = await loadLocalConfig(dir, RULE_IDS);
  for (const note of notes) io.stderr.write(`platform-checks: ${note}\n`);
  const listing = listRules(config);
  const source = existsSync(join(dir, CONFIG_PATH)) ? join(dir, CONFIG_PATH) : `the defaults (no ${CONFIG_PATH} in ${dir})`;
  io.stdout.write(args.format === "json" ? `${JSON.stringify(listing, null, 2)}\n` : renderRuleList(listing, source));
  return EXIT_SUCCESS;
}

async function explain(args: ExplainArgs, io: CliIo): Promise<number> {
  const { ruleDocPage, similarRuleIds } = await ruleCatalog();
  const page = ruleDocPage(args.rule);
  if (page === undefined) {
    const similar = similarRuleIds(args.rule);
    const hint = similar.length > 0 ? `did you mean ${similar.map((id) => `\`${id}\``).join(", ")}?` : "`platform-checks rules` lists them";
    io.stderr.write(`platform-checks: no rule \`${args.rule}\`: ${hint}\n`);
    return EXIT_USAGE;
  }
  io.stdout.write(page.endsWith("\n") ? page : `${page}\n`);
  return EXIT_SUCCESS;
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

if (isEntryPoint(import.meta.url)) runAsProgram("platform-checks", () => main(process.argv.slice(2)).finally(closeSharedCheckPool));
