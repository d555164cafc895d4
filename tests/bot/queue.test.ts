import { expect, test } from "vitest";
import { InProcessQueue } from "../../src/queue/in-process.js";
import { check, queueBehaviour, Recorder, tick } from "./queue-behaviour.js";

queueBehaviour(async (options) => new InProcessQueue(options));

test("in-process shutdown: running jobs get the grace period, then are aborted; queued ones are dropped and nothing new is taken", async () => {
  const q = new InProcessQueue({ concurrency: 1 });
  const r = new Recorder();
  q.start(r.processor);
  await q.enqueue(check(7, "A"));
  await q.enqueue(tick(7));
  await q.enqueue(check(8, "X"));
  await r.until("start 7:A");
  await q.shutdown(100);
  expect(r.log).toEqual(["start 7:A", "abort 7:A shutdown", "end 7:A"]);
  await expect(q.enqueue(check(9, "Y"))).rejects.toThrow(/shutting down/);
  expect(await q.ready()).toBe(false);
});

test("in-process shutdown: a job that finishes within the grace period is not aborted", async () => {
  const q = new InProcessQueue();
  const r = new Recorder();
  q.start(r.processor);
  await q.enqueue(check(7, "A"));
  await r.until("start 7:A");
  const stopping = q.shutdown(5_000);
  r.finish("7:A");
  await stopping;
  expect(r.log).toEqual(["start 7:A", "end 7:A"]);
});
