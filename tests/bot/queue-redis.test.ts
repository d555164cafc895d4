import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { RedisQueue, type RedisQueueOptions } from "../../src/queue/redis.js";
import { freePort, startRedis, type TestRedis } from "../support/redis-server.js";
import { check, queueBehaviour, Recorder, waitUntil } from "./queue-behaviour.js";

// BullMQ on a real redis-server (tests/support/redis-server.ts), one per file; each test its own key prefix.
let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const redisQueue = (options: Partial<RedisQueueOptions> = {}) => new RedisQueue({ url: redis.url, prefix: `t-${randomUUID()}`, lockMs: 2_000, ...options });

queueBehaviour(async (options) => redisQueue(options));

/** A worker that shuts down (100 ms grace) while checking head A of pull request 7: the queue's prefix and what the job logged. */
async function shutDownWhileRunningA(): Promise<{ prefix: string; log: string[] }> {
  const prefix = `t-${randomUUID()}`;
  const first = redisQueue({ prefix });
  const r1 = new Recorder();
  first.start(r1.processor);
  await first.enqueue(check(7, "A"));
  await r1.until("start 7:A");
  await first.shutdown(100);
  return { prefix, log: r1.log };
}

test("a job still running when its worker shuts down goes back to the queue, and the next worker resumes it", async () => {
  const { prefix, log } = await shutDownWhileRunningA();
  expect(log).toEqual(["start 7:A", "abort 7:A shutdown", "end 7:A"]);

  const second = redisQueue({ prefix });
  const r2 = new Recorder();
  second.start(r2.processor);
  try {
    await r2.until("start 7:A");
    expect(r2.resumed).toEqual(["7:A"]);
    r2.finish("7:A");
    await second.onIdle();
  } finally {
    await second.shutdown(0);
  }
}, 30_000);

test("a returned job whose head was superseded meanwhile still runs once, already aborted, so that it can clean up", async () => {
  const { prefix } = await shutDownWhileRunningA();
  const second = redisQueue({ prefix });
  await second.enqueue(check(7, "B"));
  const r2 = new Recorder();
  second.start(r2.processor);
  try {
    // A waits out BullMQ's retry delay, so B usually goes first; either way A runs once, aborted from the start.
    await r2.until("start 7:B");
    r2.finish("7:B");
    await r2.until("end 7:A");
    await second.onIdle();
    expect(r2.resumed).toEqual(["7:A"]);
    const a = r2.log.filter((e) => e.includes("7:A"));
    expect(a).toEqual(["start 7:A", "abort 7:A superseded by B", "end 7:A"]);
  } finally {
    await second.shutdown(0);
  }
}, 30_000);

test("two queues on one Redis share deliveries, supersede each other's running checks, and never run one pull request twice at once", async () => {
  const prefix = `t-${randomUUID()}`;
  const a = redisQueue({ prefix, concurrency: 2 });
  const b = redisQueue({ prefix, concurrency: 2 });
  const r = new Recorder();
  a.start(r.processor);
  b.start(r.processor);
  try {
    expect(await a.firstDelivery("same")).toBe(true);
    expect(await b.firstDelivery("same")).toBe(false);
    await a.enqueue(check(7, "A"));
    await r.until("start 7:A");
    await b.enqueue(check(7, "B"));
    await r.until("abort 7:A superseded by B");
    await r.until("start 7:B");
    expect(await b.guard.supersededBy(check7("A"))).toBe("B");
    expect(await b.guard.supersededBy(check7("B"))).toBeUndefined();
    r.finish("7:B");
    await a.onIdle();
    expect(r.overlaps).toEqual([]);
  } finally {
    await Promise.all([a.shutdown(0), b.shutdown(0)]);
  }
}, 30_000);

test("the comment write is skipped for an older head and serialised per pull request", async () => {
  const q = redisQueue();
  try {
    await q.enqueue(check(7, "B"));
    const writes: string[] = [];
    await q.guard.commentWrite(check7("A"), async () => void writes.push("A"));
    let inside = 0;
    let most = 0;
    const write = async () => {
      most = Math.max(most, ++inside);
      await new Promise((res) => setTimeout(res, 50));
      inside--;
      writes.push("B");
    };
    await Promise.all([q.guard.commentWrite(check7("B"), write), q.guard.commentWrite(check7("B"), write)]);
    expect(writes).toEqual(["B", "B"]);
    expect(most).toBe(1);
  } finally {
    await q.shutdown(0);
  }
});

test("not ready while Redis is unreachable", async () => {
  const q = new RedisQueue({ url: `redis://127.0.0.1:${await freePort()}`, prefix: "unreachable" });
  try {
    await waitUntil(async () => !(await q.ready()), 5_000);
    expect(await q.ready()).toBe(false);
    await expect(q.enqueue(check(1, "A"))).rejects.toThrow();
  } finally {
    await q.shutdown(0);
  }
});

function check7(head: string) {
  const data = check(7, head);
  if (data.kind !== "check") throw new Error("unreachable");
  return data.target;
}
