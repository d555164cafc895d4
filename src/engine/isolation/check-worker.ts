// The task a pool worker runs: one whole check, reading the repository over a MessagePort.
import type { MessagePort } from "node:worker_threads";
import type { ManualTicks } from "../../checklist/checklist.js";
import { RULES } from "../../rules/index.js";
import type { Config } from "../config.js";
import { runChecks, type CheckReport } from "../run.js";
import { ChannelReadError, ChannelSnapshot, type ReadFailure, type SnapshotShape } from "./snapshot-channel.js";

export interface CheckTask {
  port: MessagePort;
  snapshot: SnapshotShape;
  config: Config;
  /** Indexes into RULES: rules are code, so the worker takes its own copies from the registry. */
  rules: readonly number[];
  manualTicks?: ManualTicks;
}

export type CheckTaskResult = { kind: "report"; report: CheckReport } | { kind: "readFailed"; failure: ReadFailure };

export default async function runCheckTask(task: CheckTask): Promise<CheckTaskResult> {
  const snapshot = new ChannelSnapshot(task.port, task.snapshot);
  try {
    const report = await runChecks({
      snapshot,
      config: task.config,
      rules: task.rules.map((index) => RULES[index]!),
      ...(task.manualTicks ? { manualTicks: task.manualTicks } : {}),
      observer: {
        onRead: (path) => snapshot.tell({ type: "busy", path }),
        onRule: (rule, service) => snapshot.tell({ type: "rule", rule, service }),
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
