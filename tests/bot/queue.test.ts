import { describe, expect, test } from "vitest";
import { abortReason, RunQueue, type AbortReason, type Job } from "../../src/bot/queue.js";

/** A job that records its life and finishes when told (or when aborted). */
function job(log: string[], key: string, headSha: string, options: Partial<Pick<Job, "kind" | "supersedes">> = {}) {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  const j: Job = {
    key,
    headSha,
    kind: options.kind ?? "check",
    supersedes: options.supersedes ?? true,
    async run(signal) {
      log.push(`start ${key} ${headSha}`);
      started();
      await new Promise<void>((resolve) => {
        void done.then(resolve);
        signal.addEventListener("abort", () => {
          const reason = abortReason(signal)!;
          log.push(`abort ${key} ${headSha} ${reason.kind}${reason.kind === "superseded" ? ` by ${reason.by}` : ""}`);
          resolve();
        });
      });
      log.push(`end ${key} ${headSha}`);
    },
    dropped(reason: AbortReason) {
      log.push(`drop ${key} ${headSha} ${reason.kind}`);
    },
  };
  return { job: j, finish, running };
}

describe("RunQueue", () => {
  test("one job at a time per key, keys in parallel", async () => {
    const log: string[] = [];
    const q = new RunQueue();
    const a1 = job(log, "a", "1", { kind: "tick" });
    const a2 = job(log, "a", "2", { kind: "tick" });
    const b1 = job(log, "b", "1");
    q.enqueue(a1.job);
    q.enqueue(a2.job);
    q.enqueue(b1.job);
    await Promise.all([a1.running, b1.running]);
    expect(log).toEqual(["start a 1", "start b 1"]);
    expect(q.depth()).toBe(3);
    a1.finish();
    await a2.running;
    a2.finish();
    b1.finish();
    await q.onIdle();
    expect(log).toEqual(["start a 1", "start b 1", "end a 1", "start a 2", "end a 2", "end b 1"]);
    expect(q.depth()).toBe(0);
  });

  test("a newer head aborts the running check and drops queued ones; a tick waits its turn", async () => {
    const log: string[] = [];
    const q = new RunQueue();
    const first = job(log, "pr", "A");
    q.enqueue(first.job);
    await first.running;
    const tick = job(log, "pr", "", { kind: "tick", supersedes: false });
    q.enqueue(tick.job);
    q.enqueue(job(log, "pr", "B").job);
    const last = job(log, "pr", "C");
    q.enqueue(last.job);
    await tick.running;
    tick.finish();
    await last.running;
    last.finish();
    await q.onIdle();
    expect(log).toEqual([
      "start pr A",
      "abort pr A superseded by B",
      "drop pr B superseded",
      "end pr A",
      "start pr ",
      "end pr ",
      "start pr C",
      "end pr C",
    ]);
  });

  test("the same head queued twice runs once more, not twice more", async () => {
    const log: string[] = [];
    const q = new RunQueue();
    const first = job(log, "pr", "A");
    q.enqueue(first.job);
    await first.running;
    const again = job(log, "pr", "A");
    q.enqueue(again.job);
    q.enqueue(job(log, "pr", "A").job);
    expect(q.depth()).toBe(2);
    first.finish();
    await again.running;
    again.finish();
    await q.onIdle();
    expect(log).toEqual(["start pr A", "end pr A", "start pr A", "end pr A"]);
  });

  test("a re-run of an older head does not abort the current one", async () => {
    const log: string[] = [];
    const q = new RunQueue();
    const current = job(log, "pr", "B");
    q.enqueue(current.job);
    await current.running;
    const rerun = job(log, "pr", "A", { supersedes: false });
    q.enqueue(rerun.job);
    current.finish();
    await rerun.running;
    rerun.finish();
    await q.onIdle();
    expect(log).toEqual(["start pr B", "end pr B", "start pr A", "end pr A"]);
  });

  test("a job running past the timeout is aborted with a timeout reason", async () => {
    const log: string[] = [];
    const q = new RunQueue({ timeoutMs: 30 });
    q.enqueue(job(log, "pr", "A").job);
    await q.onIdle();
    expect(log).toEqual(["start pr A", "abort pr A timeout", "end pr A"]);
  });

  test("onIdle waits for tracked background work too, and depth is reported", async () => {
    const depths: number[] = [];
    const q = new RunQueue({ onDepthChange: (d) => depths.push(d) });
    let resolve!: () => void;
    q.track(new Promise<void>((r) => (resolve = r)));
    let idle = false;
    const waiting = q.onIdle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(idle).toBe(false);
    resolve();
    await waiting;
    expect(idle).toBe(true);

    const log: string[] = [];
    const a = job(log, "pr", "A");
    q.enqueue(a.job);
    a.finish();
    await q.onIdle();
    expect(depths).toContain(1);
    expect(depths.at(-1)).toBe(0);
  });

  test("abortAll (shutdown) aborts running jobs and drops the rest", async () => {
    const log: string[] = [];
    const q = new RunQueue();
    const a = job(log, "pr", "A");
    q.enqueue(a.job);
    q.enqueue(job(log, "pr", "t", { kind: "tick" }).job);
    await a.running;
    q.abortAll({ kind: "shutdown" });
    await q.onIdle();
    expect(log).toEqual(["start pr A", "drop pr t shutdown", "abort pr A shutdown", "end pr A"]);
  });
});
