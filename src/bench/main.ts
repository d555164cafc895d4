// `npm run bench`: the figures of issue 10, each printed beside its target. A script, not a test:
// nothing here fails a build; a missed target is printed as MISSED (with a CPU profile for the engine).
//
//   npm run bench [-- --only engine,requests,server,memory] [--runs N] [--deliveries N]
import { execFileSync } from "node:child_process";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { engineVersusFloor, profileCheck, type EngineFloorRow } from "./engine.js";
import { figureTable, median, table, type Figure } from "./figures.js";
import { peakMemory } from "./memory.js";
import { measurePullChecks } from "./pull-scenarios.js";
import { ackSummary, serverFigures } from "./server.js";
import { loadExample, syntheticMonorepo } from "./synthetic.js";

const SECTIONS = ["engine", "requests", "server", "memory"] as const;
const RATIO_TARGET = 1.5;
const ACK_P99_TARGET_MS = 50;

const out = (line = "") => process.stdout.write(`${line}\n`);

function machine(): string {
  let memory = `${(totalmem() / 2 ** 30).toFixed(1)} GiB total`;
  try {
    memory = execFileSync("free", ["-h"], { encoding: "utf8" }).trim();
  } catch {
    // not Linux: the total is enough
  }
  // The load matters: on a shared machine every figure below is slower than on an idle one.
  const load = loadavg().map((l) => l.toFixed(2)).join(", ");
  return [`nproc: ${availableParallelism()}`, `CPU: ${cpus()[0]?.model ?? "unknown"}`, `Node: ${process.version}`, `load average (1, 5, 15 min): ${load}`, "free -h:", memory].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: "string" }, runs: { type: "string" }, deliveries: { type: "string" } } });
  const only = new Set((values.only ?? SECTIONS.join(",")).split(",").map((s) => s.trim()));
  const runs = Math.max(1, Number(values.runs ?? 3) || 3);
  const deliveries = Math.max(1, Number(values.deliveries ?? 500) || 500);
  const figures: Figure[] = [];
  const started = Date.now();
  const example = await loadExample();

  out("platform-checks bench (issue 10)");
  out(machine());
  out();

  if (only.has("engine")) {
    out(`## Engine versus the floor (check --all; median of ${runs} runs; floor = load the parsers, parse every file the rules read once)`);
    const rows = await engineVersusFloor(example, [10, 50, 200], runs, out);
    out(
      table(
        ["services", "files", "read", "parsed", "findings", "check --all ms", "floor ms", "ratio", "check CPU ms", "floor CPU ms", "CPU ratio", "warm engine ms", "warm floor ms", "warm ratio"],
        rows.map((r) => [
          String(r.services),
          String(r.files),
          String(r.filesRead),
          String(r.filesParsed),
          String(r.findings),
          median(r.cliMs).toFixed(0),
          median(r.floorMs).toFixed(0),
          `${ratio(r).toFixed(2)}×`,
          median(r.cliCpuMs).toFixed(0),
          median(r.floorCpuMs).toFixed(0),
          `${(median(r.cliCpuMs) / median(r.floorCpuMs)).toFixed(2)}×`,
          median(r.warmEngineMs).toFixed(0),
          median(r.warmFloorMs).toFixed(0),
          `${(median(r.warmEngineMs) / median(r.warmFloorMs)).toFixed(2)}×`,
        ]),
      ),
    );
    out("check --all and the floor are each a fresh `node` process (start-up and module loading included); CPU = user + system time of that process, every thread; warm = in-process, after a warm-up run.");
    for (const r of rows) figures.push({ name: `check --all / floor, ${r.services} services`, value: `${ratio(r).toFixed(2)}×`, target: `≤ ${RATIO_TARGET}×`, met: ratio(r) <= RATIO_TARGET });
    if (rows.some((r) => ratio(r) > RATIO_TARGET)) {
      out();
      out("### Where check --all spends its time (node --cpu-prof, 50 services, self time by package and by function, all threads)");
      const profile = await profileCheck(example, 50);
      out(table(["package", "self ms", "share"], profile.byPackage.map(([p, ms]) => [p, ms.toFixed(0), `${((100 * ms) / profile.totalMs).toFixed(1)}%`])));
      out();
      out(table(["function", "self ms"], profile.byFunction.map(([f, ms]) => [f, ms.toFixed(0)])));
    }
    out();
  }

  if (only.has("requests")) {
    out("## Requests per check (the real app, every rule, the GitHub stand-in; 50-service monorepo with its config file; the installation token not counted)");
    const counts = await measurePullChecks({ services: 50 });
    out(
      table(
        ["scenario", "changed files", "requests", "budget", "GraphQL", "blobs per batch", "REST blobs", "annotations", "conclusion"],
        counts.map((c) => [
          c.scenario,
          String(c.changedFiles),
          String(c.requests),
          String(c.budget),
          String(c.graphqlBatches),
          c.blobBatchSizes.join("+") || "0",
          String(c.restBlobReads),
          String(c.annotations),
          c.conclusion ?? "",
        ]),
      ),
    );
    for (const c of counts) {
      out(`  ${c.scenario}: ${c.calls.map((call) => call.replace(/\/repos\/loop\/platform/, "").replace(/[0-9a-f]{40}/g, (sha) => sha.slice(0, 7))).join(", ")}`);
      figures.push({ name: `requests, ${c.scenario}`, value: String(c.requests), target: `≤ ${c.budget}`, met: c.requests <= c.budget });
    }
    out();
  }

  if (only.has("server")) {
    out(`## The real server on loopback (node dist/server/main.js against the stand-in; example monorepo)`);
    const files = syntheticMonorepo(example, 3);
    const editPath = Object.keys(files).find((p) => /^services\/[^/]+\/src\/routes\/(?!health)[^/]+\.routes\.ts$/.test(p))!;
    const { ack, endToEnd } = await serverFigures(files, { deliveries, concurrency: 32, repetitions: 3, latencies: [0, 50], editPath }, out);
    const phases = [
      { name: "one at a time", ms: ack.sequentialMs },
      { name: `${ack.concurrency} in flight`, ms: ack.burstMs },
    ];
    for (const phase of phases) {
      const { p50, p99 } = ackSummary(phase.ms);
      out(`webhook acknowledgement, ${phase.ms.length} signed deliveries ${phase.name}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...phase.ms).toFixed(1)} ms`);
      figures.push({ name: `webhook ack p50, ${phase.name}`, value: `${p50.toFixed(1)} ms`, target: "—" });
      figures.push({ name: `webhook ack p99, ${phase.name}`, value: `${p99.toFixed(1)} ms`, target: `< ${ACK_P99_TARGET_MS} ms`, met: p99 < ACK_P99_TARGET_MS });
    }
    out(`  non-2xx answers: ${ack.non2xx}; ${ack.runsCompleted} of ${ack.deliveries} check runs completed, the last ${(ack.drainMs / 1000).toFixed(1)} s after the first delivery`);
    figures.push({ name: "deliveries that produced a completed run", value: `${ack.runsCompleted}/${ack.deliveries}`, target: `${ack.deliveries}/${ack.deliveries}`, met: ack.runsCompleted === ack.deliveries && ack.non2xx === 0 });
    for (const e of endToEnd) {
      const how = `${e.latencyMs} ms latency, throttling ${e.throttle ? "on (production)" : "off"}`;
      out(`end to end, ${how}: ${e.ms.map((ms) => ms.toFixed(0)).join(", ")} ms (median ${median(e.ms).toFixed(0)}), ${e.requestsPerCheck} requests`);
      figures.push({ name: `webhook → completed run, ${how}`, value: `${median(e.ms).toFixed(0)} ms`, target: "—" });
    }
    out();
  }

  if (only.has("memory")) {
    out("## Memory (check --base HEAD~1 on a 200-service checkout, the last commit touching 20 services; peak RSS of the CLI process)");
    const memory = await peakMemory(example, 200, 20);
    out(`peak RSS ${memory.peakRssMb.toFixed(0)} MB, ${(memory.ms / 1000).toFixed(1)} s, exit ${memory.exitCode}`);
    figures.push({ name: "peak RSS, 200 services, PR touching 20", value: `${memory.peakRssMb.toFixed(0)} MB`, target: "—" });
    out();
  }

  out("## Figures and targets");
  out(figureTable(figures));
  out();
  out(`bench took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function ratio(row: EngineFloorRow): number {
  return median(row.cliMs) / median(row.floorMs);
}

await main();
