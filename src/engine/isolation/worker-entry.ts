// The pool's entry in built code (dist/): turns on Node's module compile cache before loading the
// engine, so each new worker (every CLI run starts one) reuses the code V8 compiled for TypeScript's
// bundle and the rest instead of compiling it again. Under vitest, source-entry.mjs is the entry.
import module from "node:module";

// Node's default place (NODE_COMPILE_CACHE, else a folder in the temporary directory);
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. A cache that cannot be used is no error.
module.enableCompileCache?.();
const tasks = await import("./check-worker.js");
export default tasks.default;
export const ruleIds = tasks.ruleIds;
