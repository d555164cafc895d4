import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";

const HOOKS = new URL("../../../src/engine/isolation/ts-source-hooks.mjs", import.meta.url).href;
const REPLAY = new URL("../../../src/analysis/sql/migration-replay.ts", import.meta.url).href;
const SQL_TEXT = new URL("../../../src/analysis/sql/sql-text.ts", import.meta.url).href;

/**
 * The engine runs in a piscina worker thread; module state (and the WASM
 * instance) is per thread, so the parser must load lazily inside the worker.
 * Two workers replay at once, each loading its own copy.
 */
function replayInWorker(sql: string): Promise<string[]> {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const { register } = require("node:module");
    register(workerData.hooks);
    (async () => {
      const { replayMigrations } = await import(workerData.replay);
      const { SqlFile } = await import(workerData.sqlText);
      const result = await replayMigrations([new SqlFile("drizzle/0000.sql", workerData.sql)]);
      parentPort.postMessage([...result.tables.values()].map((t) => t.qualifiedName + ": " + [...t.columns].join(",") + (t.brandIdLostAt ? " lost@" + t.brandIdLostAt.line : "")));
    })().catch((error) => parentPort.postMessage(["error: " + error.message]));
  `;
  const worker = new Worker(code, { eval: true, workerData: { hooks: HOOKS, replay: REPLAY, sqlText: SQL_TEXT, sql }, resourceLimits: { maxOldGenerationSizeMb: 256 } });
  return new Promise((resolve, reject) => {
    worker.once("message", (message: string[]) => {
      void worker.terminate();
      resolve(message);
    });
    worker.once("error", reject);
  });
}

describe("libpg-query in worker threads", () => {
  it("loads once per worker and replays migrations there", async () => {
    const [a, b] = await Promise.all([
      replayInWorker(`CREATE TABLE a (id uuid, brand_id text);\nDO $$ BEGIN ALTER TABLE a DROP COLUMN brand_id; END $$;`),
      replayInWorker(`SET search_path TO billing;\nCREATE TABLE b (id uuid, brand_id text);`),
    ]);
    expect(a).toEqual(["public.a: id lost@2"]);
    expect(b).toEqual(["billing.b: id,brand_id"]);
  });
});
