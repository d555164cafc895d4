// Light on purpose: the rules, the analysis and their parsers (TypeScript above all) load in the
// worker, so a caller that only hands checks to the pool (the CLI) never loads them itself.
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import type { ManualTicks } from "../../checklist/checklist.js";
import { checkConcurrency } from "../concurrency.js";
import type { Config } from "../config.js";
import type { Rule } from "../rule.js";
import type { CheckReport } from "../run.js";
import type { RepoSnapshot } from "../snapshot.js";
import type { CheckTask, CheckTaskResult } from "./check-worker.js";
import { snapshotShape, SnapshotServer } from "./snapshot-channel.js";
import { WhereaboutsBoard, type Whereabouts } from "./whereabouts.js";

export type { Whereabouts } from "./whereabouts.js";

/** Heap a check's worker may use before it is stopped (`CHECK_HEAP_MB` overrides). */
export const DEFAULT_HEAP_MB = 1024;
/** Wall-clock time a check may take before its worker is terminated (`CHECK_BUDGET_SECONDS` overrides). */
export const DEFAULT_BUDGET_MS = 300_000;

/** Time a worker may take to load the engine before its check's own clock starts. */
const WORKER_START_ALLOWANCE_MS = 60_000;

export interface CheckPoolOptions {
  /** Worker threads; default `checkConcurrency()`, the same setting the job queue uses. */
  threads?: number;
  heapMb?: number;
  budgetMs?: number;
  /**
   * Workers started with the pool and kept when idle (default 0: started on demand, stopped after a
   * minute idle). The server keeps them, so that starting a worker never lands in a webhook's answer.
   */
  minThreads?: number;
  /**
   * Lowers the workers' scheduling priority (a nice increment, per thread; default 0). The server's
   * main thread answers webhooks: with workers at a lower priority, a busy check never starves it.
   */
  niceIncrement?: number;
}

export interface IsolatedCheckOptions {
  /** Default: every rule. Only registered rules can run in a worker (see `run`). */
  rules?: readonly Rule[];
  manualTicks?: ManualTicks;
  /** Aborting (the job was superseded or timed out) terminates the worker. */
  signal?: AbortSignal;
  /** Default: a pool shared by the process. */
  pool?: CheckPool;
}

/**
 * A check stopped by its budget: out of wall-clock time or out of heap. The
 * message names the budget and the file the check was busy with, for the
 * check run's title; it is never an internal error.
 */
export class CheckBudgetExceeded extends Error {
  override readonly name = "CheckBudgetExceeded";

  constructor(
    readonly budget: "time" | "memory",
    /** Seconds or megabytes. */
    readonly limit: number,
    readonly whereabouts: Whereabouts,
  ) {
    const what = budget === "time" ? `its ${limit}-second time budget` : `its ${limit} MB memory budget`;
    const where = whereabouts.path === undefined ? "" : ` while reading ${whereabouts.path}`;
    const rule = whereabouts.rule === undefined ? "" : ` (rule ${whereabouts.rule}${whereabouts.service ? `, service ${whereabouts.service}` : ""})`;
    super(`the check ran out of ${what}${where}${rule}`);
  }
}

/**
 * Worker threads that each run one whole check (piscina), so no input can
 * stall the caller's event loop or take its process down: each worker has a
 * heap limit, and a check past its time budget has its worker terminated.
 */
export class CheckPool {
  readonly heapMb: number;
  readonly budgetMs: number;
  private readonly piscina: Piscina<CheckTask | undefined, CheckTaskResult | string[]>;

  constructor(options: CheckPoolOptions = {}, env: NodeJS.ProcessEnv = process.env) {
    this.heapMb = options.heapMb ?? positiveNumber(env.CHECK_HEAP_MB, "CHECK_HEAP_MB") ?? DEFAULT_HEAP_MB;
    this.budgetMs = options.budgetMs ?? (positiveNumber(env.CHECK_BUDGET_SECONDS, "CHECK_BUDGET_SECONDS") ?? DEFAULT_BUDGET_MS / 1000) * 1000;
    const threads = options.threads ?? checkConcurrency(env);
    this.piscina = new Piscina({
      filename: workerEntry(),
      minThreads: Math.min(options.minThreads ?? 0, threads),
      maxThreads: threads,
      niceIncrement: options.niceIncrement ?? 0,
      idleTimeout: 60_000,
      // Tasks wait on MessagePort replies: the worker's event loop must keep running.
      atomics: "disabled",
      // The rules need no environment: the app's secrets (WEBHOOK_SECRET, PRIVATE_KEY, tokens) stay out of the workers.
      env: workerEnvironment(env),
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, this.heapMb / 8)) },
    });
    // A worker that dies with no task of ours running is reported by the pool as an 'error'
    // event; unheard, that event would take this process down. Its tasks fail on their own.
    this.piscina.on("error", (error: unknown) => {
      this.lastWorkerError = error;
    });
  }

  /** The last error of a worker that died between checks (kept for diagnosis; the pool replaces the worker). */
  lastWorkerError: unknown;

  /**
   * Runs a check in a worker. A rule that is not in the registry cannot be
   * loaded by a worker (rules are code); such a rule set (only tests build
   * one) runs in this thread instead, without the budgets.
   */
  async run(snapshot: RepoSnapshot, config: Config, options: Omit<IsolatedCheckOptions, "pool"> = {}): Promise<CheckReport> {
    let indexes: number[] | undefined;
    if (options.rules !== undefined) {
      // Loaded only when a caller picks rules (the bot, tests); the CLI's "every rule" needs no registry here.
      const { RULES } = await import("../../rules/index.js");
      indexes = options.rules.map((rule) => RULES.indexOf(rule as (typeof RULES)[number]));
      if (indexes.includes(-1)) {
        const { runChecks } = await import("../run.js");
        return runChecks({ snapshot, config, rules: options.rules, ...(options.manualTicks ? { manualTicks: options.manualTicks } : {}) });
      }
    }
    options.signal?.throwIfAborted();

    const { port1, port2 } = new MessageChannel();
    const stop = new AbortController();
    const outOfTime = () => stop.abort(new Error("budget"));
    // The clock starts when the worker starts on the check (its first message), so
    // time spent queued behind other checks or loading the worker is not charged to
    // it; a worker that never gets going is stopped after a minute more than the budget.
    let clock = setTimeout(outOfTime, this.budgetMs + WORKER_START_ALLOWANCE_MS);
    const board = WhereaboutsBoard.create();
    const server = new SnapshotServer(snapshot, port1, board, () => {
      clearTimeout(clock);
      clock = setTimeout(outOfTime, this.budgetMs);
    });
    const onAbort = () => stop.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const task: CheckTask = {
      port: port2,
      snapshot: snapshotShape(snapshot),
      config,
      board: board.buffer,
      ...(indexes ? { rules: indexes } : {}),
      ...(options.manualTicks ? { manualTicks: options.manualTicks } : {}),
    };
    try {
      const result = (await this.piscina.run(task, { transferList: [port2], signal: stop.signal })) as CheckTaskResult;
      if (result.kind === "readFailed") throw server.original(result.failure);
      return result.report;
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (stop.signal.aborted) throw new CheckBudgetExceeded("time", Math.round(this.budgetMs / 1000), server.whereabouts);
      if ((error as NodeJS.ErrnoException | null)?.code === "ERR_WORKER_OUT_OF_MEMORY") {
        throw new CheckBudgetExceeded("memory", this.heapMb, server.whereabouts);
      }
      throw error;
    } finally {
      clearTimeout(clock);
      options.signal?.removeEventListener("abort", onAbort);
      server.close();
    }
  }

  /**
   * Every rule id (the valid keys of the configuration's `rules:` map), from a
   * worker: the caller need not load the rules. Asked first thing, it also
   * starts the worker, whose loading then overlaps the caller's own work.
   */
  async ruleIds(): Promise<ReadonlySet<string>> {
    return new Set((await this.piscina.run(undefined, { name: "ruleIds" })) as string[]);
  }

  /** Stops the workers (the process can then exit); running checks are aborted. */
  close(): Promise<void> {
    return this.piscina.close({ force: true });
  }
}

let shared: CheckPool | undefined;

/**
 * The one way the bot and the CLI run the engine: every rule, in a worker of
 * the process's shared pool (or `options.pool`), under its heap and time budgets.
 */
export function runChecksIsolated(snapshot: RepoSnapshot, config: Config, options: IsolatedCheckOptions = {}): Promise<CheckReport> {
  const { pool, ...rest } = options;
  return (pool ?? sharedCheckPool()).run(snapshot, config, rest);
}

/** The process's shared pool (started on first use). */
export function sharedCheckPool(): CheckPool {
  return (shared ??= new CheckPool());
}

/** Stops the shared pool's workers, if it was started (server shutdown, end of a CLI run). */
export async function closeSharedCheckPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

/**
 * The worker's module, beside this one: compiled JS in dist/ (with the compile
 * cache on), or under vitest (this file is TypeScript) an entry that compiles
 * the sources on load.
 */
function workerEntry(): string {
  const fromSource = import.meta.url.endsWith(".ts");
  return new URL(fromSource ? "./source-entry.mjs" : "./worker-entry.js", import.meta.url).href;
}

/** The few variables that shape formatting, not behaviour, and where Node keeps its compile cache; nothing secret. */
function workerEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of ["NODE_ENV", "TZ", "LANG", "TMPDIR", "NODE_COMPILE_CACHE", "NODE_DISABLE_COMPILE_CACHE"]) {
    const value = env[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

function positiveNumber(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}
