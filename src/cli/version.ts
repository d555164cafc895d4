import { readFileSync } from "node:fs";

/** This package's version (package.json two folders up, from `src/cli/` and `dist/cli/` alike), for SARIF's tool version. */
export function packageVersion(): string {
  try {
    const json = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof json.version === "string" ? json.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}
