// The action's entry point (action.yml `runs.main`), plain JavaScript so that it runs without a
// build. The runner downloads the action as a checkout of this repository, where dist/ is not
// committed: the first run in a job installs the dependencies once (`npm ci`, whose prepare
// script builds dist/), then every run imports the built action.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const entry = join(root, "dist", "action", "main.js");

function npmCommand() {
  // The npm that ships beside the node running this action, else the one on PATH.
  const beside = join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js");
  return existsSync(beside) ? [process.execPath, [beside]] : [process.platform === "win32" ? "npm.cmd" : "npm", []];
}

if (!existsSync(entry) || !existsSync(join(root, "node_modules"))) {
  const [command, prefix] = npmCommand();
  process.stdout.write("::group::platform-checks: installing and building the action (once per job)\n");
  // The build needs the dev dependencies (TypeScript) even under NODE_ENV=production; npm's own
  // output goes to stderr; the lockfile pins every package.
  const result = spawnSync(command, [...prefix, "ci", "--include=dev", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: root,
    stdio: ["ignore", 2, 2],
    shell: process.platform === "win32",
  });
  process.stdout.write("::endgroup::\n");
  if (result.status !== 0 || !existsSync(entry)) {
    process.stdout.write(
      `::error title=platform-checks could not run::installing the action failed (npm ci exited ${result.status ?? result.error?.message}); see the log above%0A`,
    );
    process.exit(2);
  }
}

const { runActionAsProgram } = await import(pathToFileURL(entry).href);
runActionAsProgram();
