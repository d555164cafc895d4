// Pull requests checked by the real app against the local GitHub stand-in, counting every request
// the check makes: the request-budget test and `npm run bench` share these scenarios.
import { CONFIG_PATH } from "../engine/config.js";
import { pullRequestPayload, startBot } from "../../tests/support/bot-harness.js";
import { FakeGitHub, type FakePull, type RecordedRequest } from "../../tests/support/fake-github.js";
import { loadExample, pullRequest, syntheticMonorepo, syntheticName } from "./synthetic.js";

/** Issue 10: at most 8 requests, plus one per 50 annotations beyond the first 50 (the installation token aside). */
export function requestBudget(annotations: number): number {
  return 8 + Math.ceil(Math.max(0, annotations - 50) / 50);
}

export interface PullCheckCount {
  scenario: string;
  changedFiles: number;
  /** Requests to GitHub for this check, the installation token aside. */
  requests: number;
  budget: number;
  annotations: number;
  conclusion: string | null;
  /** `METHOD /path` of each counted request, in order. */
  calls: string[];
  /** GraphQL requests (blob batches, trees, pull state). */
  graphqlBatches: number;
  /** Objects asked for in each GraphQL blob batch. */
  blobBatchSizes: number[];
  restBlobReads: number;
}

export interface PullScenarioOptions {
  /** Services in the synthetic monorepo. */
  services: number;
  /** Simulated latency per stand-in request. */
  latencyMs?: number;
}

const isTokenRequest = (r: RecordedRequest) => /^\/app\/installations\/\d+\/access_tokens$/.test(r.path);

/**
 * Checks of a configured repository, each on a fresh bot (cold blob cache): a pull request touching one
 * service, one touching five, one of 3000 changed files (one service, its
 * changeset and generated assets no rule reads), and then a re-check of the
 * first after a one-file push (warm cache, as on the same server).
 */
export async function measurePullChecks(options: PullScenarioOptions): Promise<PullCheckCount[]> {
  const fake = await new FakeGitHub().start();
  try {
    // A repository that runs the bot keeps its configuration in .github/platform-checks.yml (without one,
    // Probot's loader also asks the org's .github repository: one request more).
    const main = { ...syntheticMonorepo(await loadExample(), options.services), [CONFIG_PATH]: "check_name: Loop Platform / pre-merge\n" };
    fake.setBranch("main", fake.commit(main));
    const five = Array.from({ length: 5 }, (_, i) => syntheticName(i));
    const oneFileCount = Object.keys(diff(main, pullRequest(main, [syntheticName(0)]))).length;
    const counts: PullCheckCount[] = [];

    const check = async (scenario: string, number: number, head: Record<string, string>, bot?: Awaited<ReturnType<typeof startBot>>) => {
      const parent = fake.pulls.get(number)?.head.sha ?? fake.branches.get("main")!;
      const pull = fake.setPull(number, { headSha: fake.commit(head, [parent]) });
      const runner = bot ?? (await startBot(fake));
      fake.reset();
      fake.latencyMs = options.latencyMs ?? 0;
      await runner.deliver("pull_request", pullRequestPayload(fake, bot ? "synchronize" : "opened", pull));
      fake.latencyMs = 0;
      counts.push(countFor(fake, scenario, pull, Object.keys(diff(main, head)).length));
      return runner;
    };

    const first = pullRequest(main, [syntheticName(0)]);
    const bot = await check("PR touching 1 service", 1, first);
    await check("PR touching 5 services", 2, pullRequest(main, five));
    await check("PR of 3000 files", 3, pullRequest(main, [syntheticName(0)], 3000 - oneFileCount));
    const readme = `services/${syntheticName(0)}/README.md`;
    await check("re-check after a one-file push", 1, { ...first, [readme]: `${first[readme]}\nSee the runbook for paging.\n` }, bot);
    return counts;
  } finally {
    await fake.stop();
  }
}

function countFor(fake: FakeGitHub, scenario: string, pull: FakePull, changedFiles: number): PullCheckCount {
  const counted = fake.requests.filter((r) => !isTokenRequest(r));
  const run = fake.checkRunsFor(pull.head.sha).at(-1);
  const annotations = run?.annotations.length ?? 0;
  return {
    scenario,
    changedFiles,
    requests: counted.length,
    budget: requestBudget(annotations),
    annotations,
    conclusion: run?.status === "completed" ? run.conclusion : `not completed (${run?.status ?? "no check run"})`,
    calls: counted.map((r) => `${r.method} ${r.path}${blobPath(fake, pull, r)}`),
    graphqlBatches: counted.filter((r) => r.path === "/graphql").length,
    blobBatchSizes: counted
      .filter((r) => r.path === "/graphql" && /^query BlobBatch\(/.test(String(r.body?.query)))
      .map((r) => Object.keys(r.body.variables).filter((k) => k !== "owner" && k !== "name").length),
    restBlobReads: counted.filter((r) => r.path.includes("/git/blobs/")).length,
  };
}

/** For a single blob read, which file it was (at the head or the base): a read the prefetch missed. */
function blobPath(fake: FakeGitHub, pull: FakePull, request: RecordedRequest): string {
  const sha = /\/git\/blobs\/([0-9a-f]{40})$/.exec(request.path)?.[1];
  if (!sha) return "";
  for (const ref of [pull.head.sha, pull.base.sha]) {
    for (const [path, blob] of fake.filesOf(ref)) if (blob === sha) return ` (${path})`;
  }
  return "";
}

function diff(base: Record<string, string>, head: Record<string, string>): Record<string, true> {
  const out: Record<string, true> = {};
  for (const [path, text] of Object.entries(head)) if (base[path] !== text) out[path] = true;
  for (const path of Object.keys(base)) if (!(path in head)) out[path] = true;
  return out;
}
