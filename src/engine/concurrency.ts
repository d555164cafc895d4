import { availableParallelism } from "node:os";

/**
 * How many checks one process runs at once. One setting for both the job queue
 * and the engine's worker pool, so a burst of deliveries queues instead of
 * building hundreds of TypeScript programs at the same time.
 * `CHECK_CONCURRENCY` overrides; the default suits a 2-core container.
 */
export function checkConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CHECK_CONCURRENCY?.trim();
  if (raw) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 64) {
      throw new Error(`CHECK_CONCURRENCY must be a whole number from 1 to 64, got "${raw}"`);
    }
    return n;
  }
  return Math.max(1, Math.min(2, availableParallelism()));
}
