// `npm run bench`: how long the whole engine takes, and how much memory, on the
// example monorepo and on a synthetic one with 60 services, checking everything
// (`--all`) and checking a pull request. Numbers only; nothing passes or fails.
//
//   node dist/bench/main.js [--runs N] [--services N]
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_CONFIG, type Config } from "../engine/config.js";
import { RepoContext } from "../engine/context.js";
import { gitTreeSha } from "../engine/git-tree-sha.js";
import { MemorySnapshot } from "../engine/memory-snapshot.js";
import { camelName } from "../engine/names.js";
import type { Rule } from "../engine/rule.js";
import { runChecks } from "../engine/run.js";
import type { ChangedFile, RepoSnapshot } from "../engine/snapshot.js";
import { WorkingTreeSnapshot } from "../local/working-tree-snapshot.js";
import { RULES } from "../rules/index.js";

const EXAMPLE_ROOT = fileURLToPath(new URL("../../examples/loop-platform", import.meta.url));
const TEMPLATE_SERVICE = "billing-ledger";

interface Scenario {
  name: string;
  files: Record<string, string>;
  /** Base files for a pull request; absent to check everything. */
  base?: Record<string, string>;
}

/** Time spent inside each rule's check (all services together), for the slowest-rules list. */
const ruleMs = new Map<string, number>();
const TIMED_RULES: readonly Rule[] = RULES.map((rule): Rule => {
  const timed = async (ctx: never, report: never) => {
    const started = process.hrtime.bigint();
    try {
      await (rule.check as (c: never, r: never) => unknown)(ctx, report);
    } finally {
      ruleMs.set(rule.meta.id, (ruleMs.get(rule.meta.id) ?? 0) + Number(process.hrtime.bigint() - started) / 1e6);
    }
  };
  return { ...rule, check: timed } as Rule;
});

interface Measurement {
  name: string;
  services: number;
  filesInRepo: number;
  filesRead: number;
  filesParsed: number;
  findings: number;
  crashedRules: number;
  wallMs: number[];
  heapUsedMb: number;
  /** Median-run share per rule: total ms over the measured runs divided by the run count. */
  slowestRules: [string, number][];
}

// Counts the TypeScript ASTs the engine builds: RepoContext parses each file once per check.
let parsedThisRun = new Set<string>();
const parseOnce = RepoContext.prototype.sourceFile;
RepoContext.prototype.sourceFile = function (this: RepoContext, path: string) {
  return parseOnce.call(this, path).then((file) => {
    if (file) parsedThisRun.add(path);
    return file;
  });
};

/** Counts the distinct files the rules read. */
class CountingSnapshot implements RepoSnapshot {
  readonly read = new Set<string>();
  constructor(private readonly inner: RepoSnapshot) {}
  get changedFiles(): readonly ChangedFile[] | undefined {
    return this.inner.changedFiles;
  }
  listFiles(): readonly string[] {
    return this.inner.listFiles();
  }
  readFile(path: string): Promise<string | undefined> {
    this.read.add(path);
    return this.inner.readFile(path);
  }
  readBaseFile(path: string): Promise<string | undefined> {
    return this.inner.readBaseFile(path);
  }
  treeSha(dir: string): Promise<string | undefined> {
    return this.inner.treeSha(dir);
  }
}

async function measure(scenario: Scenario, runs: number, config: Config): Promise<Measurement> {
  const once = async () => {
    parsedThisRun = new Set();
    const snapshot = new CountingSnapshot(
      new MemorySnapshot(scenario.base ? { files: scenario.files, base: scenario.base } : { files: scenario.files }),
    );
    const started = process.hrtime.bigint();
    const report = await runChecks({ snapshot, config, rules: TIMED_RULES });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    return { report, wallMs, read: snapshot.read.size, parsed: parsedThisRun.size };
  };
  await once(); // warm-up: module loading and JIT are not the engine's cost per check
  ruleMs.clear();
  const wallMs: number[] = [];
  let last: Awaited<ReturnType<typeof once>> | undefined;
  for (let i = 0; i < runs; i++) {
    last = await once();
    wallMs.push(last.wallMs);
  }
  const heapUsedMb = process.memoryUsage().heapUsed / 2 ** 20;
  return {
    name: scenario.name,
    services: last!.report.services.length,
    filesInRepo: Object.keys(scenario.files).length,
    filesRead: last!.read,
    filesParsed: last!.parsed,
    findings: last!.report.findings.length,
    crashedRules: last!.report.ruleRuns.filter((r) => r.crashed).length,
    wallMs,
    heapUsedMb,
    slowestRules: [...ruleMs.entries()]
      .map(([id, ms]): [string, number] => [id, ms / runs])
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5),
  };
}

/** The example monorepo, loaded into memory so the numbers are the engine's, not the disk's. */
async function loadExample(): Promise<Record<string, string>> {
  const disk = await WorkingTreeSnapshot.open(EXAMPLE_ROOT);
  const files: Record<string, string> = {};
  for (const path of disk.listFiles()) files[path] = (await disk.readFile(path)) ?? "";
  return files;
}

/**
 * A monorepo of `count` services, each a renamed copy of billing-ledger (with
 * its SDK package, service page, AI overview, CODEOWNERS line, sst.config.ts
 * registration and its own database schema), beside the rest of the example.
 */
function syntheticMonorepo(example: Record<string, string>, count: number): Record<string, string> {
  const files: Record<string, string> = {};
  const ownedBySource = (path: string) =>
    path.startsWith(`services/${TEMPLATE_SERVICE}/`) ||
    path.startsWith(`packages/sdk-${TEMPLATE_SERVICE}/`) ||
    path === `docs/services/${TEMPLATE_SERVICE}.md` ||
    path === `docs/ai-overview/${TEMPLATE_SERVICE}.md`;
  const names = Array.from({ length: count }, (_, i) => `ledger-${String(i + 1).padStart(3, "0")}`);
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
function refreshAiOverview(files: Record<string, string>, service: string): void {
  const prefix = `services/${service}/src/`;
  const src = new Map(
    Object.entries(files)
      .filter(([p]) => p.startsWith(prefix))
      .map(([p, t]) => [p.slice(prefix.length), t]),
  );
  const overview = `docs/ai-overview/${service}.md`;
  if (files[overview]) files[overview] = files[overview].replace(/source_tree: [0-9a-f]{40}/, `source_tree: ${gitTreeSha(src)}`);
}

/** A pull request's head: `services` edited in their routes (overviews regenerated), with a changeset naming them. */
function pullRequest(base: Record<string, string>, services: readonly string[]): Record<string, string> {
  const head = { ...base };
  for (const service of services) {
    const routes = Object.keys(head).find((p) => p.startsWith(`services/${service}/src/routes/`) && p.endsWith(".routes.ts") && !p.includes("health"));
    if (!routes) throw new Error(`bench: no routes file in ${service}`);
    head[routes] = `${head[routes]}\n// pagination cursor\n`;
    refreshAiOverview(head, service);
  }
  head[".changeset/bench-change.md"] = `---\n${services.map((s) => `"@services/${s}": minor`).join("\n")}\n---\n\nList endpoints now return a pagination cursor.\n`;
  return head;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function table(rows: readonly Measurement[]): string {
  const header = ["scenario", "services", "files", "read", "parsed", "findings", "median ms", "min ms", "max ms", "heap MB"];
  const body = rows.map((m) => [
    m.name,
    String(m.services),
    String(m.filesInRepo),
    String(m.filesRead),
    String(m.filesParsed),
    `${m.findings}${m.crashedRules ? ` (${m.crashedRules} rule runs crashed)` : ""}`,
    median(m.wallMs).toFixed(1),
    Math.min(...m.wallMs).toFixed(1),
    Math.max(...m.wallMs).toFixed(1),
    m.heapUsedMb.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

async function bench(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string" }, services: { type: "string" } } });
  const runs = Math.max(1, Number(values.runs ?? process.env["BENCH_RUNS"] ?? 5) || 5);
  const serviceCount = Math.max(3, Number(values.services ?? 60) || 60);

  const example = await loadExample();
  const madeAt = process.hrtime.bigint();
  const synthetic = syntheticMonorepo(example, serviceCount);
  const madeMs = Number(process.hrtime.bigint() - madeAt) / 1e6;
  const three = ["ledger-001", `ledger-${String(Math.ceil(serviceCount / 2)).padStart(3, "0")}`, `ledger-${String(serviceCount).padStart(3, "0")}`];

  const scenarios: Scenario[] = [
    { name: "example --all", files: example },
    { name: "example PR (2 services)", files: pullRequest(example, ["billing-ledger", "notifications"]), base: example },
    { name: `synthetic ${serviceCount + 1} services --all`, files: synthetic },
    { name: `synthetic PR (3 of ${serviceCount + 1} services)`, files: pullRequest(synthetic, three), base: synthetic },
  ];

  process.stdout.write(`platform-checks bench — ${RULES.length} rules + readiness, median of ${runs} run(s) after one warm-up, Node ${process.version}\n`);
  process.stdout.write(`synthetic monorepo: ${Object.keys(synthetic).length} files generated in ${madeMs.toFixed(1)} ms\n\n`);
  const results: Measurement[] = [];
  for (const scenario of scenarios) results.push(await measure(scenario, runs, DEFAULT_CONFIG));
  process.stdout.write(`${table(results)}\n\n`);
  process.stdout.write(
    "files = files in the repository; read = distinct files the rules read; parsed = TypeScript files parsed into an AST (once per check).\n",
  );
  for (const m of results) {
    const slowest = m.slowestRules.map(([id, ms]) => `${id} ${ms.toFixed(0)} ms`).join(", ");
    process.stdout.write(`slowest rules, ${m.name} (mean per run; the first rule to parse a shared file pays for it): ${slowest}\n`);
  }
  process.stdout.write(`peak RSS of the whole process: ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB\n`);
}

await bench();
