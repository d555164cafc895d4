// Pool entry when the engine runs from its TypeScript sources (under vitest):
// worker threads do not inherit vitest's transform, so this registers a loader
// that compiles each .ts file with the TypeScript compiler (transpile only),
// then loads the real worker tasks. Built code (dist/) never uses this file.
import { register } from "node:module";

register("./ts-source-hooks.mjs", import.meta.url);
const tasks = await import("./check-worker.ts");
export default tasks.default;
export const ruleIds = tasks.ruleIds;
