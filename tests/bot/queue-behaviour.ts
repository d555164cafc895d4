import { afterEach, expect, test } from "vitest";
import { abortReason, type JobData, type JobProcessor } from "../../src/queue/job.js";
import type { WorkQueue } from "../../src/queue/work-queue.js";

/** Check job data for pull request `pr` at `head`. */
export function check(pr: number, head: string, supersedes = true): JobData {
  return {
    kind: "check",
    installationId: 1,
    target: { owner: "loop", repo: "platform", headSha: head, baseSha: "base", baseRef: "main", pullNumber: pr, trigger: "test", supersedes },
  };
}

export function tick(pr: number): JobData {
  return { kind: "tick", installationId: 1, tick: { owner: "loop", repo: "platform", pullNumber: pr, commentId: 1 } };
}

function label(data: JobData): string {
  return data.kind === "check" ? `${data.target.pullNumber}:${data.target.headSha}` : `${data.tick.pullNumber}:tick`;
}

/**
 * A processor whose jobs record their life and finish when released (or
 * aborted), and that notices two jobs of one pull request running at once.
 */
export class Recorder {
  readonly log: string[] = [];
  readonly overlaps: string[] = [];
  readonly resumed: string[] = [];
  private readonly release = new Map<string, () => void>();
  private readonly runningPulls = new Map<string, string>();
  private running = 0;
  maxRunning = 0;

  readonly processor: JobProcessor = async (data, { signal, resumed }) => {
    const name = label(data);
    const pull = name.split(":")[0]!;
    const other = this.runningPulls.get(pull);
    if (other !== undefined) this.overlaps.push(`${other} with ${name}`);
    this.runningPulls.set(pull, name);
    this.maxRunning = Math.max(this.maxRunning, ++this.running);
    if (resumed) this.resumed.push(name);
    this.log.push(`start ${name}`);
    await new Promise<void>((resolve) => {
      this.release.set(name, resolve);
      const onAbort = () => {
        this.release.delete(name);
        const reason = abortReason(signal)!;
        this.log.push(`abort ${name} ${reason.kind}${reason.kind === "superseded" ? ` by ${reason.by}` : ""}`);
        resolve();
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
    this.log.push(`end ${name}`);
    this.running--;
    this.runningPulls.delete(pull);
  };

  /** Jobs started and not yet told to finish. */
  waiting(): string[] {
    return [...this.release.keys()];
  }

  finish(name: string): void {
    const release = this.release.get(name);
    if (!release) throw new Error(`${name} is not running`);
    this.release.delete(name);
    release();
  }

  async until(entry: string, timeoutMs = 15_000): Promise<void> {
    const started = Date.now();
    while (!this.log.includes(entry)) {
      if (Date.now() - started > timeoutMs) throw new Error(`never logged "${entry}"; log: ${JSON.stringify(this.log)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  count(entry: string): number {
    return this.log.filter((e) => e === entry).length;
  }
}

export interface QueueFactoryOptions {
  timeoutMs?: number;
  concurrency?: number;
}

/**
 * The behaviour both back ends share (SPEC section 4 and issue 9): run against
 * the in-process queue in queue.test.ts and against BullMQ on a real Redis in
 * queue-redis.test.ts.
 */
export function queueBehaviour(make: (options: QueueFactoryOptions) => Promise<WorkQueue>): void {
  const opened: WorkQueue[] = [];
  const open = async (options: QueueFactoryOptions = {}) => {
    const queue = await make(options);
    opened.push(queue);
    return queue;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((q) => q.shutdown(0)));
  });

  test("one job at a time per pull request, pull requests in parallel", async () => {
    const q = await open({ concurrency: 4 });
    const r = new Recorder();
    q.start(r.processor);
    await q.enqueue(tick(1));
    await q.enqueue(tick(1));
    await q.enqueue(check(2, "b1"));
    await r.until("start 1:tick");
    await r.until("start 2:b1");
    expect(r.count("start 1:tick")).toBe(1);
    r.finish("1:tick");
    await r.until("end 1:tick");
    await waitUntil(() => r.count("start 1:tick") === 2);
    r.finish("1:tick");
    r.finish("2:b1");
    await q.onIdle();
    expect(r.overlaps).toEqual([]);
    expect(r.count("end 1:tick")).toBe(2);
    expect(await q.stats()).toMatchObject({ waiting: 0, running: 0 });
  });

  test("at most `concurrency` jobs run at once in a process; the rest queue", async () => {
    const q = await open({ concurrency: 2 });
    const r = new Recorder();
    q.start(r.processor);
    for (const pr of [1, 2, 3, 4, 5]) await q.enqueue(check(pr, `h${pr}`));
    await waitUntil(() => r.log.filter((e) => e.startsWith("start")).length === 2);
    await new Promise((res) => setTimeout(res, 300));
    expect(r.log.filter((e) => e.startsWith("start"))).toHaveLength(2);
    expect((await q.stats()).waiting).toBe(3);
    for (let done = 0; done < 5; done++) {
      await waitUntil(() => r.log.filter((e) => e.startsWith("start")).length > done);
      const name = r.log.filter((e) => e.startsWith("start"))[done]!.slice("start ".length);
      r.finish(name);
    }
    await q.onIdle();
    expect(r.maxRunning).toBe(2);
    expect(r.log.filter((e) => e.startsWith("end"))).toHaveLength(5);
  });

  test("a newer head aborts the running check and drops queued older ones; a tick still runs", async () => {
    const q = await open({ concurrency: 2 });
    const r = new Recorder();
    q.start(r.processor);
    await q.enqueue(check(7, "A"));
    await r.until("start 7:A");
    await q.enqueue(tick(7));
    await q.enqueue(check(7, "B"));
    await q.enqueue(check(7, "C"));
    await r.until("end 7:A");
    expect(r.log).toContain("abort 7:A superseded by B");
    // The tick and C then run one after the other (in-process in queue order; across replicas either may go first).
    for (let i = 0; i < 2; i++) {
      await waitUntil(() => r.waiting().length > 0);
      expect(r.waiting()).toHaveLength(1);
      r.finish(r.waiting()[0]!);
    }
    await q.onIdle();
    expect(r.count("end 7:tick")).toBe(1);
    expect(r.count("start 7:B")).toBe(0);
    expect(r.count("end 7:C")).toBe(1);
    expect(r.overlaps).toEqual([]);
  });

  test("the same head queued twice while one runs runs once more, not twice more", async () => {
    const q = await open({ concurrency: 2 });
    const r = new Recorder();
    q.start(r.processor);
    await q.enqueue(check(7, "A"));
    await r.until("start 7:A");
    await q.enqueue(check(7, "A"));
    await q.enqueue(check(7, "A"));
    r.finish("7:A");
    await waitUntil(() => r.count("start 7:A") === 2);
    r.finish("7:A");
    await q.onIdle();
    await new Promise((res) => setTimeout(res, 300));
    expect(r.count("start 7:A")).toBe(2);
    expect(r.overlaps).toEqual([]);
  });

  test("a re-run of an older head neither aborts the current check nor is dropped", async () => {
    const q = await open({ concurrency: 2 });
    const r = new Recorder();
    q.start(r.processor);
    await q.enqueue(check(7, "B"));
    await r.until("start 7:B");
    await q.enqueue(check(7, "A", false));
    r.finish("7:B");
    await r.until("start 7:A");
    r.finish("7:A");
    await q.onIdle();
    expect(r.log).toEqual(["start 7:B", "end 7:B", "start 7:A", "end 7:A"]);
  });

  test("a job running past the timeout is aborted with a timeout reason", async () => {
    const q = await open({ timeoutMs: 200 });
    const r = new Recorder();
    q.start(r.processor);
    await q.enqueue(check(7, "A"));
    await q.onIdle();
    expect(r.log).toEqual(["start 7:A", "abort 7:A timeout", "end 7:A"]);
  });

  test("a delivery id is taken once; a forgotten one (its enqueue failed) can be taken again", async () => {
    const q = await open();
    expect(await q.firstDelivery("d-1")).toBe(true);
    expect(await q.firstDelivery("d-1")).toBe(false);
    expect(await q.firstDelivery("d-2")).toBe(true);
    await q.forgetDelivery("d-1");
    expect(await q.firstDelivery("d-1")).toBe(true);
  });

  test("live checks name every queued or running check; onIdle waits for tracked work", async () => {
    const q = await open({ concurrency: 1 });
    const r = new Recorder();
    q.start(r.processor);
    await q.enqueue(check(7, "A"));
    await q.enqueue(check(8, "X"));
    await r.until("start 7:A");
    expect(await q.liveChecks()).toEqual(new Set(["loop/platform#7@A", "loop/platform#8@X"]));
    let resolveTask!: () => void;
    q.track(new Promise<void>((res) => (resolveTask = res)));
    r.finish("7:A");
    await r.until("start 8:X");
    r.finish("8:X");
    let idle = false;
    const waiting = q.onIdle().then(() => (idle = true));
    await new Promise((res) => setTimeout(res, 200));
    expect(idle).toBe(false);
    resolveTask();
    await waiting;
    expect(await q.liveChecks()).toEqual(new Set());
    expect(await q.ready()).toBe(true);
  });
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
