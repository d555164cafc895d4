// Synthetic monorepos shaped like the example, for `npm run bench` and the request-budget test.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gitTreeSha } from "../engine/git-tree-sha.js";
import { camelName } from "../engine/names.js";
import { WorkingTreeSnapshot } from "../local/working-tree-snapshot.js";

const TEMPLATE_SERVICE = "billing-ledger";

/** The project's root (where package.json is), wherever this module was compiled to (dist/…) or run from (src/…). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "examples/loop-platform"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("bench: the project root (with examples/loop-platform) is not above the bench module");
    dir = up;
  }
  return dir;
}

export function exampleRoot(): string {
  return join(projectRoot(), "examples/loop-platform");
}

/** The example monorepo, loaded into memory so the numbers are the engine's, not the disk's. */
export async function loadExample(): Promise<Record<string, string>> {
  const disk = await WorkingTreeSnapshot.open(exampleRoot());
  const files: Record<string, string> = {};
  for (const path of disk.listFiles()) files[path] = (await disk.readFile(path)) ?? "";
  return files;
}

/** `ledger-001` … : the synthetic services' folder names. */
export function syntheticName(index: number): string {
  return `ledger-${String(index + 1).padStart(3, "0")}`;
}

/**
 * A monorepo of `count` services: the example's other services stay, and
 * billing-ledger becomes `count - (other services)` renamed copies (each with
 * its SDK package, service page, AI overview, CODEOWNERS line, sst.config.ts
 * registration and its own database schema), so the total is `count`.
 */
export function syntheticMonorepo(example: Record<string, string>, count: number): Record<string, string> {
  const otherServices = new Set(
    Object.keys(example)
      .map((p) => /^services\/([^_/][^/]*)\//.exec(p)?.[1])
      .filter((n): n is string => n !== undefined && n !== TEMPLATE_SERVICE),
  ).size;
  const copies = Math.max(1, count - otherServices);
  const files: Record<string, string> = {};
  const ownedBySource = (path: string) =>
    path.startsWith(`services/${TEMPLATE_SERVICE}/`) ||
    path.startsWith(`packages/sdk-${TEMPLATE_SERVICE}/`) ||
    path === `docs/services/${TEMPLATE_SERVICE}.md` ||
    path === `docs/ai-overview/${TEMPLATE_SERVICE}.md`;
  const names = Array.from({ length: copies }, (_, i) => syntheticName(i));
  // Other files that mention billing-ledger (a changeset, a cross-service link) now mean the first copy;
  // sst.config.ts and CODEOWNERS are rewritten for every copy below.
  for (const [path, text] of Object.entries(example)) {
    if (ownedBySource(path)) continue;
    files[path] = path === "sst.config.ts" || path === ".github/CODEOWNERS" ? text : text.replaceAll(TEMPLATE_SERVICE, names[0]!);
  }

  for (const name of names) {
    const camel = camelName(name);
    const pascal = camel[0]!.toUpperCase() + camel.slice(1);
    const schema = name.replace(/-/g, "_");
    const rename = (text: string) =>
      text
        .replaceAll(TEMPLATE_SERVICE, name)
        .replaceAll("billingLedger", camel)
        .replaceAll("BillingLedger", pascal)
        .replaceAll("Billing Ledger", `Ledger ${name.slice(-3)}`)
        .replaceAll('pgSchema("billing")', `pgSchema("${schema}")`)
        .replaceAll('"billing".', `"${schema}".`)
        .replaceAll('SCHEMA IF NOT EXISTS "billing"', `SCHEMA IF NOT EXISTS "${schema}"`)
        .replaceAll("schemas_owned: [billing]", `schemas_owned: [${schema}]`);
    for (const [path, text] of Object.entries(example)) {
      if (ownedBySource(path)) files[rename(path)] = rename(text);
    }
    refreshAiOverview(files, name);
  }

  const codeowners = ".github/CODEOWNERS";
  if (files[codeowners]) {
    files[codeowners] = files[codeowners]
      .split("\n")
      .filter((l) => !l.includes(`/services/${TEMPLATE_SERVICE}/`))
      .concat(names.map((n) => `/services/${n}/      @loop/billing-team`))
      .join("\n");
  }
  const sst = files["sst.config.ts"];
  if (sst) {
    const camel = camelName(TEMPLATE_SERVICE);
    const block = new RegExp(`\\n\\s*const ${camel} = await import\\("\\./services/${TEMPLATE_SERVICE}/infra"\\)[^;]*;`);
    const imports = names.map((n) => `\n    const ${camelName(n)} = await import("./services/${n}/infra").then((m) => m.${camelName(n)}(shared));`).join("");
    const returns = names.map((n) => `\n      ${camelName(n)}Service: ${camelName(n)},`).join("");
    files["sst.config.ts"] = sst.replace(block, imports).replace(new RegExp(`\\n\\s*${camel}Service: ${camel},`), returns);
  }
  return files;
}

/** Records the tree sha of the service's src in its AI overview, as the overview generator would. */
export function refreshAiOverview(files: Record<string, string>, service: string): void {
  const prefix = `services/${service}/src/`;
  const src = new Map(
    Object.entries(files)
      .filter(([p]) => p.startsWith(prefix))
      .map(([p, t]) => [p.slice(prefix.length), t]),
  );
  const overview = `docs/ai-overview/${service}.md`;
  if (files[overview]) files[overview] = files[overview].replace(/source_tree: [0-9a-f]{40}/, `source_tree: ${gitTreeSha(src)}`);
}

/**
 * A pull request's head: `services` edited in a routes file (overviews
 * regenerated), a changeset naming them, and `extraFiles` generated files in
 * a folder no rule reads (a large asset drop riding along).
 */
export function pullRequest(base: Record<string, string>, services: readonly string[], extraFiles = 0): Record<string, string> {
  const head = { ...base };
  for (const service of services) {
    const routes = Object.keys(head).find((p) => p.startsWith(`services/${service}/src/routes/`) && p.endsWith(".routes.ts") && !p.includes("health"));
    if (!routes) throw new Error(`bench: no routes file in ${service}`);
    head[routes] = `${head[routes]}\n// pagination cursor\n`;
    refreshAiOverview(head, service);
  }
  head[".changeset/bench-change.md"] = `---\n${services.map((s) => `"@services/${s}": minor`).join("\n")}\n---\n\nList endpoints now return a pagination cursor.\n`;
  for (let i = 0; i < extraFiles; i++) head[`apps/web/public/icons/icon-${String(i).padStart(4, "0")}.svg`] = `<svg id="i${i}"/>\n`;
  return head;
}

/** Writes a file map to disk under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

/** A git checkout under `dir` holding `base` as one commit and `head` as the next (for `check --base HEAD~1`). */
export function writeGitRepo(dir: string, base: Record<string, string>, head: Record<string, string>): void {
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", dir, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false", ...args], { stdio: "pipe" });
  mkdirSync(dir, { recursive: true });
  git("init", "-q", "-b", "main");
  writeFiles(dir, base);
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  for (const path of Object.keys(base)) if (!(path in head)) git("rm", "-q", path);
  writeFiles(dir, head);
  git("add", "-A");
  git("commit", "-q", "-m", "head");
}
