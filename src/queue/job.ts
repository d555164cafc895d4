import type { CheckTarget } from "../bot/target.js";
import { pullKey, queueKey } from "../bot/target.js";
import type { TickTarget } from "../bot/tick-job.js";

/**
 * One unit of queued work, as plain data: it may be stored in Redis and run by
 * another replica, which authenticates as the installation itself.
 */
export type JobData =
  /** A full check of a head commit (superseded by a newer head of the same pull request). */
  | { kind: "check"; installationId: number; target: CheckTarget }
  /** A checklist box was ticked in the sticky comment (cheap, never superseded). */
  | { kind: "tick"; installationId: number; tick: TickTarget };

/** Why a running job's signal was aborted. */
export type AbortReason =
  | { kind: "superseded"; by: string }
  | { kind: "timeout"; afterMs: number }
  | { kind: "shutdown" };

export interface JobContext {
  /** Aborted with an AbortReason. */
  signal: AbortSignal;
  /** The job was started before by a process that died or stopped: what it left in progress must be cleaned up. */
  resumed: boolean;
}

/** Does the work of one job; must handle its own errors (a throw is logged, never retried). */
export type JobProcessor = (data: JobData, context: JobContext) => Promise<void>;

/** One job at a time per key: a pull request (`owner/repo#12`) or a merge group head. */
export function jobKey(data: JobData): string {
  return data.kind === "check" ? queueKey(data.target) : pullKey(data.tick.owner, data.tick.repo, data.tick.pullNumber);
}

/** The head commit a check is about ("" for a tick). */
export function jobHead(data: JobData): string {
  return data.kind === "check" ? data.target.headSha : "";
}

/**
 * The job checks the latest head (a push, `/recheck`), so it supersedes work on
 * any other head of the same key. A re-run of an older head (the Re-run button
 * on an old commit) does not.
 */
export function jobSupersedes(data: JobData): boolean {
  return data.kind === "check" && data.target.supersedes;
}

export function abortReason(signal: AbortSignal): AbortReason | undefined {
  if (!signal.aborted) return undefined;
  const reason = signal.reason as AbortReason | undefined;
  return reason && typeof reason === "object" && "kind" in reason ? reason : { kind: "shutdown" };
}

/** An abort controller that fires `{ kind: "timeout" }` after `timeoutMs`; `dispose` clears the timer. */
export function jobController(timeoutMs: number | undefined): { controller: AbortController; dispose(): void } {
  const controller = new AbortController();
  const timer =
    timeoutMs !== undefined ? setTimeout(() => controller.abort({ kind: "timeout", afterMs: timeoutMs } satisfies AbortReason), timeoutMs) : undefined;
  timer?.unref?.();
  return { controller, dispose: () => timer && clearTimeout(timer) };
}
