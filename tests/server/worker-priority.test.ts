import { readdirSync, readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { CheckPool } from "../../src/engine/isolation/run-isolated.js";
import { queueSettings } from "../../src/server/queue-config.js";

/** The nice value of every thread of this process (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return readdirSync("/proc/self/task").map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

test.runIf(process.platform === "linux")("the server's check workers start with the pool, at a lower scheduling priority than the main thread", async () => {
  const before = threadNiceValues();
  expect(before).not.toContain(7);
  const pool = new CheckPool({ threads: 1, minThreads: 1, niceIncrement: 7 });
  try {
    // Started with the pool, before any check: the worker lowers its own priority as it starts.
    const started = Date.now();
    while (!threadNiceValues().includes(7) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 50));
    expect(threadNiceValues()).toContain(7);
    // Only the worker: this (main) thread keeps its priority.
    expect(Number(readFileSync("/proc/thread-self/stat", "utf8").split(") ")[1]!.split(" ")[16])).toBe(before[0]);
  } finally {
    await pool.close();
  }
});

test("CHECK_WORKER_NICE sets the workers' nice increment: 10 unless set, 0 to 19", () => {
  expect(queueSettings({}).workerNice).toBe(10);
  expect(queueSettings({ CHECK_WORKER_NICE: "0" }).workerNice).toBe(0);
  expect(() => queueSettings({ CHECK_WORKER_NICE: "20" })).toThrow(/CHECK_WORKER_NICE must be a whole number from 0 to 19; got "20"/);
  expect(() => queueSettings({ CHECK_WORKER_NICE: "-1" })).toThrow(/CHECK_WORKER_NICE/);
});
