import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { BlobCache } from "../../src/github/blob-cache.js";
import { SnapshotReadError } from "../../src/engine/snapshot.js";
import { BLOB_BATCH_LIMITS } from "../../src/github/graphql-blobs.js";
import { loadGitHubSnapshot, type GitHubSnapshotOptions } from "../../src/github/snapshot.js";
import { diffTrees, GRAPHQL_TREE_DEPTH, loadTree, loadTreesInOneQuery, rulesReadFolder } from "../../src/github/tree.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { FakeGitHub } from "../support/fake-github.js";
import { fakeOctokit } from "../support/octokit.js";

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => nock.enableNetConnect());

let fake: FakeGitHub;
beforeEach(async () => {
  fake = await new FakeGitHub().start();
});
afterEach(async () => {
  expect(fake.unexpected()).toEqual([]);
  await fake.stop();
});

const SERVICE_YAML = "services/billing-ledger/service.yaml";

function setup(edit: (files: Record<string, string>) => void, headRepoFullName?: string) {
  const base = exampleFiles();
  const baseSha = fake.commit(base);
  fake.setBranch("main", baseSha);
  const head = { ...base };
  edit(head);
  const headSha = fake.commit(head, [baseSha]);
  fake.setPull(7, { headSha, ...(headRepoFullName ? { headRepoFullName } : {}) });
  return { base, head, baseSha, headSha };
}

function options(init: { headSha: string; baseSha: string }, extra: Partial<GitHubSnapshotOptions> = {}): GitHubSnapshotOptions {
  return {
    owner: fake.owner,
    repo: fake.repo,
    headSha: init.headSha,
    baseSha: init.baseSha,
    changes: { kind: "pull", number: 7 },
    wanted: rulesReadFolder("services"),
    cache: new BlobCache(),
    ...extra,
  };
}

describe("GitHubSnapshot", () => {
  test("answers like the in-memory snapshot of the same files, fetching contents only when read", async () => {
    const init = setup((f) => {
      f[SERVICE_YAML] = f[SERVICE_YAML]!.replace("status: beta", "status: stable");
      f["services/billing-ledger/NOTES.md"] = "new\n";
      delete f["services/notifications/README.md"];
    });
    const snapshot = await loadGitHubSnapshot(fakeOctokit(fake.apiUrl), options(init));
    const memory = new MemorySnapshot({ files: init.head, base: init.base });

    expect(snapshot.listFiles()).toEqual(memory.listFiles());
    expect(snapshot.changedFiles).toEqual(memory.changedFiles);
    expect(fake.calls((r) => r.path.includes("/git/blobs/"))).toEqual([]);

    expect(await snapshot.readFile(SERVICE_YAML)).toBe(init.head[SERVICE_YAML]);
    expect(await snapshot.readFile("nope.txt")).toBeUndefined();
    expect(await snapshot.readBaseFile(SERVICE_YAML)).toBe(init.base[SERVICE_YAML]);
    expect(await snapshot.readBaseFile("services/billing-ledger/NOTES.md")).toBeUndefined();
    expect(await snapshot.readBaseFile("services/notifications/README.md")).toBe(init.base["services/notifications/README.md"]);
    // Unchanged files are the same on both sides: no base tree needed for them.
    expect(await snapshot.readBaseFile("sst.config.ts")).toBe(init.base["sst.config.ts"]);

    for (const dir of ["services/billing-ledger/src", "services/notifications/src", "services", ""]) {
      expect(await snapshot.treeSha(dir)).toBe(await (dir ? memory.treeSha(dir) : Promise.resolve(snapshot.treeSha(""))));
    }
    expect(await snapshot.treeSha("services/billing-ledger/src/")).toBe(await memory.treeSha("services/billing-ledger/src"));
    expect(await snapshot.treeSha("services/nope")).toBeUndefined();
  });

  test("lists a submodule under services/ apart from the files, as GitHub lists a gitlink, so the scope can report it", async () => {
    const init = setup((f) => (f["services/README.md"] = "services\n"));
    fake.addSubmodule(init.headSha, "services/payments", "d".repeat(40));
    const snapshot = await loadGitHubSnapshot(fakeOctokit(fake.apiUrl), options(init));

    expect(snapshot.listSubmodules()).toEqual(["services/payments"]);
    expect(snapshot.listFiles().filter((p) => p.startsWith("services/payments"))).toEqual([]);
  });

  test("the blob cache is shared: a second snapshot fetches only blobs it has not seen", async () => {
    const init = setup((f) => (f[SERVICE_YAML] += "# one\n"));
    const cache = new BlobCache();
    const api = fakeOctokit(fake.apiUrl);
    const first = await loadGitHubSnapshot(api, options(init, { cache }));
    await Promise.all([first.readFile(SERVICE_YAML), first.readFile(SERVICE_YAML), first.readFile("sst.config.ts")]);
    expect(first.fetchedBlobs).toBe(2);
    // Reads asked for together go out together: one GraphQL batch, each blob in it once.
    expect(fake.calls((r) => r.path === "/graphql")).toHaveLength(1);
    expect(Object.keys(fake.requests.find((r) => r.path === "/graphql")!.body.variables)).toHaveLength(2 + 2);

    const nextHead = { ...init.head, [SERVICE_YAML]: init.head[SERVICE_YAML] + "# two\n" };
    const nextSha = fake.commit(nextHead, [init.headSha]);
    fake.setPull(7, { headSha: nextSha });
    fake.reset();
    const second = await loadGitHubSnapshot(api, options({ headSha: nextSha, baseSha: init.baseSha }, { cache }));
    await Promise.all([second.readFile(SERVICE_YAML), second.readFile("sst.config.ts")]);
    expect(fake.codeReads().filter((r) => !r.path.includes("/git/trees/"))).toHaveLength(1);
    expect(second.fetchedBlobs).toBe(1);
  });

  test("a pull request from a fork is read from the base repository by sha", async () => {
    const init = setup((f) => (f[SERVICE_YAML] += "# fork\n"), "forker/platform");
    const snapshot = await loadGitHubSnapshot(fakeOctokit(fake.apiUrl), options(init));
    expect(await snapshot.readFile(SERVICE_YAML)).toBe(init.head[SERVICE_YAML]);
    expect(fake.requests.every((r) => r.path.startsWith("/repos/loop/platform/") || r.path === "/graphql")).toBe(true);
    expect(fake.requests.find((r) => r.path === "/graphql")!.body.variables).toMatchObject({ owner: "loop", name: "platform" });
  });

  test("a truncated tree is listed folder by folder; only a huge folder the rules never read is left out", async () => {
    const init = setup((f) => {
      f[SERVICE_YAML] += "# x\n";
      for (let i = 0; i < 70; i++) f[`vendor/big/blob-${i}.bin`] = `${i}`;
      for (let i = 0; i < 5; i++) f[`tools/small/${i}.txt`] = `${i}`;
    });
    fake.truncateTreesOver = 60;
    const snapshot = await loadGitHubSnapshot(fakeOctokit(fake.apiUrl), options(init));

    const expected = Object.keys(init.head)
      .filter((p) => !p.startsWith("vendor/"))
      .sort();
    expect(snapshot.listFiles()).toEqual(expected);
    expect(await snapshot.treeSha("services/billing-ledger/src")).toBe(await new MemorySnapshot({ files: init.head }).treeSha("services/billing-ledger/src"));
    expect(snapshot.notes.join(" ")).toContain("too large for GitHub to list at once");
    expect(snapshot.notes.join(" ")).toContain("vendor");
    expect(snapshot.listFiles()).toContain("tools/small/3.txt");
    // The services folder itself is over the limit too, so it is walked a level deeper.
    expect(fake.calls((r) => r.path.includes("/git/trees/") && r.query["recursive"] === undefined).length).toBeGreaterThanOrEqual(2);
  });

  test("a pull request lists its changed files in one compare request; past 300 files, from a tree diff (and the report says so)", async () => {
    const small = setup((f) => (f[SERVICE_YAML] += "# one\n"));
    const one = await loadGitHubSnapshot(fakeOctokit(fake.apiUrl), options(small));
    expect(one.changedFiles).toEqual([{ path: SERVICE_YAML, status: "modified" }]);
    expect(fake.calls((r) => !r.path.includes("/git/trees/"))).toEqual([`GET /repos/loop/platform/compare/${small.baseSha}...${small.headSha}`]);

    fake.reset();
    const init = setup((f) => {
      for (let i = 0; i < 3001; i++) f[`generated/file-${String(i).padStart(4, "0")}.txt`] = `${i}\n`;
      f[SERVICE_YAML] += "# many\n";
    });
    const snapshot = await loadGitHubSnapshot(fakeOctokit(fake.apiUrl), options(init));
    expect(snapshot.changedFiles).toHaveLength(3002);
    expect(snapshot.changedFiles).toContainEqual({ path: SERVICE_YAML, status: "modified" });
    expect(snapshot.notes.join(" ")).toContain("at most 300 changed files");
    // The compare, then the head's and the merge base's trees in one GraphQL query: two requests, not thirty pages of files.
    expect(fake.calls()).toEqual([`GET /repos/loop/platform/compare/${init.baseSha}...${init.headSha}`, "POST /graphql"]);
    const memory = new MemorySnapshot({ files: init.head });
    expect(snapshot.listFiles()).toEqual(memory.listFiles());
    expect(await snapshot.treeSha("services/billing-ledger/src")).toBe(await memory.treeSha("services/billing-ledger/src"));
    expect(fake.calls((r) => r.path.endsWith("/pulls/7/files"))).toEqual([]);
  });

  test("a merge group (compare) lists the changed files of base...head, and falls back to a tree diff past 300", async () => {
    const init = setup((f) => (f[SERVICE_YAML] += "# mg\n"));
    const compare = await loadGitHubSnapshot(fakeOctokit(fake.apiUrl), options(init, { changes: { kind: "compare" } }));
    expect(compare.changedFiles).toEqual([{ path: SERVICE_YAML, status: "modified" }]);
    expect(fake.calls((r) => r.path.includes("/compare/"))).toEqual([`GET /repos/loop/platform/compare/${init.baseSha}...${init.headSha}`]);

    const many = { ...init.head };
    for (let i = 0; i < 301; i++) many[`gen/${i}.txt`] = `${i}`;
    const manySha = fake.commit(many, [init.baseSha]);
    const big = await loadGitHubSnapshot(fakeOctokit(fake.apiUrl), options({ headSha: manySha, baseSha: init.baseSha }, { changes: { kind: "compare" } }));
    expect(big.changedFiles).toHaveLength(302);
    expect(big.notes.join(" ")).toContain("at most 300 changed files");
  });
});

describe("GitHubSnapshot.prefetch (GraphQL blob batches)", () => {
  const graphql = () => fake.requests.filter((r) => r.path === "/graphql");
  const blobReads = () => fake.calls((r) => r.path.includes("/git/blobs/"));
  const serviceFiles = (files: Record<string, string>) => Object.keys(files).filter((p) => p.startsWith("services/billing-ledger/"));

  test("reads every listed file in one query, head by sha and changed base files by path; reads then cost nothing", async () => {
    const init = setup((f) => {
      f[SERVICE_YAML] = f[SERVICE_YAML]!.replace("status: beta", "status: stable");
      f["services/billing-ledger/NOTES.md"] = "new\n";
    });
    const snapshot = await loadGitHubSnapshot(fakeOctokit(fake.apiUrl), options(init));
    fake.reset();
    const head = serviceFiles(init.head);
    await snapshot.prefetch({ head, base: [SERVICE_YAML, "services/billing-ledger/NOTES.md", "sst.config.ts"] });

    expect(graphql()).toHaveLength(1);
    const query = graphql()[0]!.body.query as string;
    // Paths and shas travel as variables, never inside the query text.
    expect(query).not.toContain("billing-ledger");
    expect(graphql()[0]!.body.variables).toMatchObject({ owner: "loop", name: "platform" });
    expect(Object.values(graphql()[0]!.body.variables)).toContain(`${init.baseSha}:${SERVICE_YAML}`);

    fake.reset();
    for (const path of head) expect(await snapshot.readFile(path)).toBe(init.head[path]);
    expect(await snapshot.readBaseFile(SERVICE_YAML)).toBe(init.base[SERVICE_YAML]);
    expect(await snapshot.readBaseFile("services/billing-ledger/NOTES.md")).toBeUndefined();
    expect(await snapshot.readBaseFile("sst.config.ts")).toBe(init.base["sst.config.ts"]);
    expect(fake.requests).toEqual([]); // no blob, no base tree
    // The service's distinct blobs, its base service.yaml, and sst.config.ts (unchanged: its head blob is its base).
    expect(snapshot.fetchedBlobs).toBe(new Set(head.map((p) => init.head[p])).size + 2);
  });

  test("splits into batches by count and bytes, with a bounded number in flight", async () => {
    const init = setup((f) => {
      for (let i = 0; i < 10; i++) f[`services/billing-ledger/src/gen/file-${i}.ts`] = `export const n${i} = ${i};\n`;
    });
    const limits = { ...BLOB_BATCH_LIMITS, maxObjects: 3, inFlight: 2 };
    const snapshot = await loadGitHubSnapshot(fakeOctokit(fake.apiUrl), options(init, { batchLimits: limits }));
    const head = Object.keys(init.head).filter((p) => p.includes("/src/gen/"));
    fake.reset();
    const held = fake.hold((r) => r.path === "/graphql");
    const done = snapshot.prefetch({ head, base: [] });
    await held.reached;
    await new Promise((r) => setTimeout(r, 100));
    expect(graphql()).toHaveLength(2); // two in flight, the other two wait
    held.release();
    await done;
    expect(graphql().map((r) => Object.keys(r.body.variables).length - 2)).toEqual([3, 3, 3, 1]);
    expect(blobReads()).toEqual([]);
  });

  test("binary and truncated blobs fall back to one REST read each, only when a rule reads them", async () => {
    const big = `// big\n${"x".repeat(600 * 1024)}\n`;
    const init = setup((f) => {
      f["services/billing-ledger/src/huge.ts"] = big;
      f["services/billing-ledger/data.bin"] = "\u0000\u0001binary";
    });
    // Allow the big blob into a batch, so that GitHub's truncation (not our size cut) is what sends it to REST.
    const limits = { ...BLOB_BATCH_LIMITS, maxBlobBytes: 10 * 1024 * 1024 };
    const snapshot = await loadGitHubSnapshot(fakeOctokit(fake.apiUrl), options(init, { batchLimits: limits }));
    fake.reset();
    await snapshot.prefetch({ head: ["services/billing-ledger/src/huge.ts", "services/billing-ledger/data.bin", SERVICE_YAML], base: [] });
    expect(graphql()).toHaveLength(1);
    expect(blobReads()).toEqual([]);
    expect(await snapshot.readFile("services/billing-ledger/src/huge.ts")).toBe(big);
    expect(await snapshot.readFile("services/billing-ledger/data.bin")).toBe(init.head["services/billing-ledger/data.bin"]);
    expect(await snapshot.readFile(SERVICE_YAML)).toBe(init.head[SERVICE_YAML]);
    expect(blobReads()).toHaveLength(2);
  });

  test("a blob over the batch size limit is never put in a batch", async () => {
    const init = setup((f) => (f["services/billing-ledger/src/huge.ts"] = "y".repeat(600 * 1024)));
    const snapshot = await loadGitHubSnapshot(fakeOctokit(fake.apiUrl), options(init));
    fake.reset();
    await snapshot.prefetch({ head: ["services/billing-ledger/src/huge.ts"], base: [] });
    expect(fake.requests).toEqual([]);
  });

  test("a re-check after a one-file push fetches one blob, through the shared cache", async () => {
    const init = setup((f) => (f[SERVICE_YAML] += "# one\n"));
    const cache = new BlobCache();
    const api = fakeOctokit(fake.apiUrl);
    const head = serviceFiles(init.head);
    await (await loadGitHubSnapshot(api, options(init, { cache }))).prefetch({ head, base: [SERVICE_YAML] });

    const routes = head.find((p) => p.endsWith(".routes.ts") && !p.includes("health"))!;
    const nextHead = { ...init.head, [routes]: `${init.head[routes]}\n// cursor\n` };
    const nextSha = fake.commit(nextHead, [init.headSha]);
    fake.setPull(7, { headSha: nextSha });
    const second = await loadGitHubSnapshot(api, options({ headSha: nextSha, baseSha: init.baseSha }, { cache }));
    fake.reset();
    await second.prefetch({ head, base: [SERVICE_YAML] });
    expect(graphql()).toHaveLength(1);
    // The one changed blob, plus the base service.yaml (looked up by path: it is a changed path of this pull request).
    expect(Object.values(graphql()[0]!.body.variables).filter((v) => v !== "loop" && v !== "platform")).toEqual([
      fake.filesOf(nextSha).get(routes),
      `${init.baseSha}:${SERVICE_YAML}`,
    ]);
    for (const path of head) expect(await second.readFile(path)).toBe(nextHead[path]);
    expect(second.fetchedBlobs).toBe(2);
  });

  test("a failed batch rejects with SnapshotReadError, and nothing failed is remembered", async () => {
    const init = setup((f) => (f[SERVICE_YAML] += "# fail\n"));
    const cache = new BlobCache();
    const snapshot = await loadGitHubSnapshot(fakeOctokit(fake.apiUrl), options(init, { cache }));
    fake.failWhen((r) => r.path === "/graphql", 502, 1);
    const failure = await snapshot.prefetch({ head: [SERVICE_YAML], base: [] }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SnapshotReadError);
    expect(failure).toMatchObject({ path: SERVICE_YAML, retryable: true });
    expect(String((failure as Error).message)).toContain("502");
    expect(cache.size).toBe(0);

    // The 502 is not the file's fate: the next attempt reads it.
    await snapshot.prefetch({ head: [SERVICE_YAML], base: [] });
    expect(await snapshot.readFile(SERVICE_YAML)).toBe(init.head[SERVICE_YAML]);
  });

  test("a failed read outside the prefetch rejects with SnapshotReadError and is not cached", async () => {
    const init = setup((f) => (f[SERVICE_YAML] += "# fail\n"));
    const snapshot = await loadGitHubSnapshot(fakeOctokit(fake.apiUrl), options(init));
    fake.failWhen((r) => r.path === "/graphql", 503, 1);
    await expect(snapshot.readFile(SERVICE_YAML)).rejects.toMatchObject({ name: "SnapshotReadError", path: SERVICE_YAML, retryable: true });
    expect(await snapshot.readFile(SERVICE_YAML)).toBe(init.head[SERVICE_YAML]);
  });
});

describe("diffTrees", () => {
  test("added, modified and removed files, sorted", async () => {
    const a = fake.commit({ "a.txt": "1", "b/c.txt": "2", "d.txt": "3" });
    const b = fake.commit({ "a.txt": "1", "b/c.txt": "changed", "e.txt": "new" });
    const api = fakeOctokit(fake.apiUrl);
    const wanted = () => true;
    const [before, after] = await Promise.all([
      loadTree(api, { owner: fake.owner, repo: fake.repo, ref: a, wanted }),
      loadTree(api, { owner: fake.owner, repo: fake.repo, ref: b, wanted }),
    ]);
    expect(diffTrees(before, after)).toEqual([
      { path: "b/c.txt", status: "modified" },
      { path: "d.txt", status: "removed" },
      { path: "e.txt", status: "added" },
    ]);
  });
});

describe("loadTreesInOneQuery", () => {
  test("lists several commits' trees in one query, as the recursive REST listing does, deep folders included", async () => {
    const deep = `${Array.from({ length: GRAPHQL_TREE_DEPTH + 2 }, (_, i) => `d${i}`).join("/")}/leaf.txt`;
    const a = fake.commit({ "a.txt": "1", "b/c.txt": "2", [deep]: "deep" });
    const b = fake.commit({ "a.txt": "1", "b/c.txt": "changed", "e/f/g.txt": "new" });
    const api = fakeOctokit(fake.apiUrl);
    const wanted = () => true;
    const [viaGraphql, other] = await loadTreesInOneQuery(api, { owner: fake.owner, repo: fake.repo, commits: [a, b], wanted });
    const graphqlCalls = fake.calls((r) => r.path === "/graphql");
    const viaRest = await loadTree(api, { owner: fake.owner, repo: fake.repo, ref: a, wanted });
    expect(graphqlCalls).toHaveLength(1);
    expect(viaGraphql).toEqual(viaRest);
    expect(viaGraphql!.blobs.get(deep)).toBe(fake.filesOf(a).get(deep));
    expect(other!.blobs.get("e/f/g.txt")).toBe(fake.filesOf(b).get("e/f/g.txt"));
    // The one folder below the query's depth took one REST listing of its own.
    expect(fake.calls((r) => r.path.includes("/git/trees/") && r.query["recursive"] === "1" && !r.path.endsWith(a))).toHaveLength(1);
  });
});

describe("rulesReadFolder", () => {
  test.each([
    ["services", true],
    ["services/billing-ledger/src/db", true],
    ["packages", true],
    ["packages/contracts/src", true],
    ["packages/sdk-billing-ledger", true],
    ["packages/ui-kit", false],
    ["docs/services", true],
    [".github", true],
    [".changeset", true],
    ["vendor", false],
    ["node_modules", false],
  ])("%s → %s", (dir, wanted) => {
    expect(rulesReadFolder("services")(dir)).toBe(wanted);
  });

  test("a nested services folder keeps its ancestors", () => {
    const wanted = rulesReadFolder("apps/services");
    expect(wanted("apps")).toBe(true);
    expect(wanted("apps/services/x")).toBe(true);
    expect(wanted("apps/web")).toBe(false);
  });
});
