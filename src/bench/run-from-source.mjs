// `npm run bench` runs the bench from its TypeScript sources: the bench drives the test suite's GitHub
// stand-in (tests/support), which the build does not compile. The engine's own source hooks
// (type stripping, `./x.js` → `./x.ts`) load both; the CLI and the server it measures run from dist/.
import { register } from "node:module";

register("../engine/isolation/ts-source-hooks.mjs", import.meta.url);
await import("./main.ts");
