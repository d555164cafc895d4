// The tasks a pool worker runs: one whole check, reading the repository over a MessagePort;
// and the rule ids, for a caller that validates its configuration without loading the rules itself.
import type { MessagePort } from "node:worker_threads";
import type { ManualTicks } from "../../checklist/checklist.js";
import { RULE_IDS, RULES } from "../../rules/index.js";
import type { Config } from "../config.js";
import { runChecks, type CheckReport } from "../run.js";
import { ChannelReadError, ChannelSnapshot, type ReadFailure, type SnapshotShape } from "./snapshot-channel.js";
import { WhereaboutsBoard } from "./whereabouts.js";

export interface CheckTask {
  port: MessagePort;
  snapshot: SnapshotShape;
  config: Config;
  /** Indexes into RULES (rules are code, so the worker takes its own copies from the registry); omitted: every rule. */
  rules?: readonly number[];
  manualTicks?: ManualTicks;
  /** A WhereaboutsBoard's memory, shared with the main thread. */
  board: SharedArrayBuffer;
}

export type CheckTaskResult = { kind: "report"; report: CheckReport } | { kind: "readFailed"; failure: ReadFailure };

export default async function runCheckTask(task: CheckTask): Promise<CheckTaskResult> {
  const board = new WhereaboutsBoard(task.board);
  const snapshot = new ChannelSnapshot(task.port, task.snapshot, board);
  try {
    const report = await runChecks({
      snapshot,
      config: task.config,
      rules: task.rules === undefined ? RULES : task.rules.map((index) => RULES[index]!),
      ...(task.manualTicks ? { manualTicks: task.manualTicks } : {}),
      observer: {
        onRead: (path) => {
          board.path = path;
        },
        onRule: (rule, service) => board.rule(rule, service),
      },
    });
    return { kind: "report", report };
  } catch (error) {
    // Returned, not thrown: a thrown error loses its fields crossing the thread boundary.
    if (error instanceof ChannelReadError) return { kind: "readFailed", failure: error.failure };
    throw error;
  } finally {
    snapshot.close();
  }
}

/** Every rule id, the valid keys of the configuration's `rules:` map. */
export function ruleIds(): string[] {
  return [...RULE_IDS];
}
