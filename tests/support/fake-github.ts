import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gitBlobSha } from "../../src/engine/git-tree-sha.js";
import { answerGraphql } from "./fake-github-graphql.js";

/**
 * A local stand-in for the part of the GitHub REST API the bot uses, on
 * 127.0.0.1, over in-memory git objects built from plain file maps. It
 * records every request, answers unknown routes with 404 and marks them
 * `unexpected`, can fail or hold chosen requests, and serves both the
 * github.com paths and GitHub Enterprise's `/api/v3` prefix (which Probot
 * uses when GHE_HOST is set).
 */

export interface RecordedRequest {
  method: string;
  /** Without the `/api/v3` prefix and the query string. */
  path: string;
  query: Record<string, string>;
  body: any;
  /** No route matched. */
  unexpected?: boolean;
  /** The Authorization header, if any (e.g. `token ghp_…` from the CLI's --pr). */
  authorization?: string;
}

interface TreeEntry {
  name: string;
  /** "commit": a submodule (gitlink), as GitHub lists it. */
  type: "blob" | "tree" | "commit";
  sha: string;
}

export interface FakePull {
  number: number;
  state: "open" | "closed";
  draft: boolean;
  head: { sha: string; ref: string; repoFullName: string };
  base: { sha: string; ref: string };
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: { login: string; type: "User" | "Bot" };
  performedViaAppId?: number;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  started_at?: string;
  completed_at?: string;
  output: { title?: string; summary?: string };
  annotations: any[];
  /** Each request's annotation count, in order (create and updates). */
  annotationBatches: number[];
}

type Rule = { match: (req: RecordedRequest) => boolean; status: number; message: string; times: number; headers: Record<string, string> };

/** A fault the stand-in injects instead of answering (see `slowWhen`, `dropWhen`). */
type Fault = { match: (req: RecordedRequest) => boolean; times: number } & ({ kind: "slow"; delayMs: number } | { kind: "drop" });

export interface Hold {
  /** Resolves when a matching request arrives (it then waits for `release`). */
  reached: Promise<void>;
  release(): void;
}

export const BOT_LOGIN = "platform-checks[bot]";

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly appId: number;
  /** Installations of the app (GET /app/installations); each sees this one repository. */
  readonly installationIds: number[] = [77];
  readonly requests: RecordedRequest[] = [];
  /** Recursive tree listings with more entries than this come back `truncated` (GitHub's limit is far larger). */
  truncateTreesOver = Infinity;
  /** Every request waits this long before it is answered (simulated network latency, for `npm run bench`). */
  latencyMs = 0;

  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly commits = new Map<string, { tree: string; parents: string[] }>();
  readonly branches = new Map<string, string>();
  readonly pulls = new Map<number, FakePull>();
  readonly comments: FakeComment[] = [];
  readonly reactions: { commentId: number; content: string }[] = [];
  readonly checkRuns: FakeCheckRun[] = [];
  /** Collaborator permission by login; missing logins are not collaborators (404). */
  readonly permissions = new Map<string, { permission: string; role_name: string }>();
  /** Files of other repositories in the owner's account (e.g. `.github` for org-wide config): repo → path → text. */
  readonly otherRepos = new Map<string, Record<string, string>>();

  private server: Server | undefined;
  private port = 0;
  private nextId = 1000;
  private readonly failures: Rule[] = [];
  private readonly faults: Fault[] = [];
  private readonly holds: { match: (req: RecordedRequest) => boolean; gate: Promise<void>; arrived: () => void }[] = [];

  constructor(options: { owner?: string; repo?: string; appId?: number } = {}) {
    this.owner = options.owner ?? "loop";
    this.repo = options.repo ?? "platform";
    this.appId = options.appId ?? 4242;
  }

  // ---- lifecycle -------------------------------------------------------------

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const hold of this.holds) hold.arrived();
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections?.();
      this.server?.close(() => resolve());
    });
  }

  /** `host:port`, as GHE_HOST wants it. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Base URL as Probot builds it from GHE_HOST with GHE_PROTOCOL=http. */
  get apiUrl(): string {
    return `http://${this.host}/api/v3`;
  }

  // ---- state -----------------------------------------------------------------

  /** Stores the files as git objects and returns a commit sha. */
  commit(files: Record<string, string>, parents: string[] = []): string {
    const tree = this.writeTree(files);
    const sha = sha1(`commit ${tree} ${parents.join(",")} ${this.nextId++}`);
    this.commits.set(sha, { tree, parents });
    return sha;
  }

  setBranch(name: string, sha: string): void {
    this.branches.set(name, sha);
  }

  /** Opens (or moves) a pull request; the base is the base branch's current commit. */
  setPull(number: number, init: { headSha: string; baseRef?: string; headRef?: string; headRepoFullName?: string; draft?: boolean }): FakePull {
    const baseRef = init.baseRef ?? "main";
    const baseSha = this.branches.get(baseRef);
    if (!baseSha) throw new Error(`fake GitHub: no branch ${baseRef}`);
    const pull: FakePull = {
      number,
      state: "open",
      draft: init.draft ?? false,
      head: { sha: init.headSha, ref: init.headRef ?? `feature-${number}`, repoFullName: init.headRepoFullName ?? `${this.owner}/${this.repo}` },
      base: { sha: baseSha, ref: baseRef },
    };
    this.pulls.set(number, pull);
    return pull;
  }

  /** A person edits a comment (e.g. ticks a box), as GitHub stores it. */
  editComment(id: number, body: string): FakeComment {
    const comment = this.comments.find((c) => c.id === id);
    if (!comment) throw new Error(`fake GitHub: no comment ${id}`);
    comment.body = body;
    return comment;
  }

  addComment(issueNumber: number, body: string, user: FakeComment["user"] = { login: "octocat", type: "User" }): FakeComment {
    const comment: FakeComment = { id: this.nextId++, issueNumber, body, user };
    this.comments.push(comment);
    return comment;
  }

  /** The next `times` requests matching `match` answer `status` (with `headers`, e.g. `retry-after`). */
  failWhen(match: (req: RecordedRequest) => boolean, status = 500, times = Infinity, message = "fake failure", headers: Record<string, string> = {}): void {
    this.failures.push({ match, status, message, times, headers });
  }

  /**
   * The next `times` requests matching `match` hit GitHub's secondary rate
   * limit: `status` (403 or 429) with `retry-after: seconds` and GitHub's message.
   */
  rateLimitWhen(match: (req: RecordedRequest) => boolean, seconds: number, times = Infinity, status: 403 | 429 = 403): void {
    this.failWhen(match, status, times, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", { "retry-after": String(seconds) });
  }

  /** The next `times` requests matching `match` are answered only after `delayMs` (a slow GitHub). */
  slowWhen(match: (req: RecordedRequest) => boolean, delayMs: number, times = Infinity): void {
    this.faults.push({ kind: "slow", match, delayMs, times });
  }

  /** The next `times` requests matching `match` get no answer: the connection is dropped. */
  dropWhen(match: (req: RecordedRequest) => boolean, times = Infinity): void {
    this.faults.push({ kind: "drop", match, times });
  }

  /** GitHub is back: no more injected failures, slow answers or dropped connections. */
  clearFaults(): void {
    this.failures.length = 0;
    this.faults.length = 0;
  }

  /** Matching requests wait until released. */
  hold(match: (req: RecordedRequest) => boolean): Hold {
    let release!: () => void;
    let arrived!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const reached = new Promise<void>((r) => (arrived = r));
    this.holds.push({ match, gate, arrived });
    return {
      reached,
      release: () => {
        const i = this.holds.findIndex((h) => h.gate === gate);
        if (i >= 0) this.holds.splice(i, 1);
        release();
      },
    };
  }

  // ---- assertions helpers ------------------------------------------------------

  /** `METHOD /path` of every request, in order. */
  calls(filter?: (req: RecordedRequest) => boolean): string[] {
    return this.requests.filter(filter ?? (() => true)).map((r) => `${r.method} ${r.path}`);
  }

  unexpected(): RecordedRequest[] {
    return this.requests.filter((r) => r.unexpected);
  }

  /** Requests that read code: trees, blobs and GraphQL blob batches. */
  codeReads(): RecordedRequest[] {
    return this.requests.filter((r) => /\/git\/(trees|blobs)\//.test(r.path) || r.path === "/graphql");
  }

  stickyComments(issueNumber: number): FakeComment[] {
    return this.comments.filter((c) => c.issueNumber === issueNumber && c.user.type === "Bot");
  }

  checkRunsFor(sha: string): FakeCheckRun[] {
    return this.checkRuns.filter((r) => r.head_sha === sha);
  }

  reset(): void {
    this.requests.length = 0;
  }

  // ---- git objects -------------------------------------------------------------

  private writeTree(files: Record<string, string>): string {
    type Dir = Map<string, Dir | string>;
    const root: Dir = new Map();
    for (const [path, content] of Object.entries(files)) {
      const parts = path.split("/");
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        let next = dir.get(part);
        if (!(next instanceof Map)) {
          next = new Map();
          dir.set(part, next);
        }
        dir = next;
      }
      const body = Buffer.from(content, "utf8");
      const sha = gitBlobSha(body);
      this.blobs.set(sha, body);
      dir.set(parts[parts.length - 1]!, sha);
    }
    const write = (dir: Dir): string => {
      const entries: TreeEntry[] = [...dir.entries()].map(([name, value]) =>
        value instanceof Map ? { name, type: "tree", sha: write(value) } : { name, type: "blob", sha: value },
      );
      entries.sort((a, b) => Buffer.compare(Buffer.from(a.type === "tree" ? `${a.name}/` : a.name), Buffer.from(b.type === "tree" ? `${b.name}/` : b.name)));
      const body = Buffer.concat(
        entries.map((e) => Buffer.concat([Buffer.from(`${e.type === "tree" ? "40000" : "100644"} ${e.name}\0`), Buffer.from(e.sha, "hex")])),
      );
      const sha = createHash("sha1").update(Buffer.concat([Buffer.from(`tree ${body.length}\0`), body])).digest("hex");
      this.trees.set(sha, entries);
      return sha;
    };
    return write(root);
  }

  /**
   * Adds a submodule (a gitlink entry) at `path` in a commit's tree, as a
   * repository with `git submodule add` has. Trees are shared by content, so
   * the folder holding it should differ from the other commits' in the test.
   */
  addSubmodule(ref: string, path: string, target: string): void {
    let sha = this.commits.get(ref)?.tree ?? ref;
    const parts = path.split("/");
    const name = parts.pop()!;
    for (const part of parts) {
      const next = this.trees.get(sha)?.find((e) => e.name === part && e.type === "tree");
      if (!next) throw new Error(`no folder ${part} on the way to ${path}`);
      sha = next.sha;
    }
    this.trees.get(sha)!.push({ name, type: "commit", sha: target });
  }

  /** Every file of a commit (or tree): path → blob sha. */
  filesOf(ref: string): Map<string, string> {
    const treeSha = this.commits.get(ref)?.tree ?? ref;
    const out = new Map<string, string>();
    const walk = (sha: string, prefix: string) => {
      for (const e of this.trees.get(sha) ?? []) {
        const path = prefix ? `${prefix}/${e.name}` : e.name;
        if (e.type === "tree") walk(e.sha, path);
        else if (e.type === "blob") out.set(path, e.sha);
      }
    };
    walk(treeSha, "");
    return out;
  }

  readText(ref: string, path: string): string | undefined {
    const sha = this.filesOf(ref).get(path);
    return sha === undefined ? undefined : this.blobs.get(sha)!.toString("utf8");
  }

  private diff(baseSha: string, headSha: string) {
    const base = this.filesOf(baseSha);
    const head = this.filesOf(headSha);
    const files: { filename: string; status: string; sha: string }[] = [];
    for (const [path, sha] of head) {
      const before = base.get(path);
      if (before === undefined) files.push({ filename: path, status: "added", sha });
      else if (before !== sha) files.push({ filename: path, status: "modified", sha });
    }
    for (const [path, sha] of base) if (!head.has(path)) files.push({ filename: path, status: "removed", sha });
    return files.sort((a, b) => (a.filename < b.filename ? -1 : 1));
  }

  // ---- HTTP --------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `http://${this.host}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      // GHE serves REST under /api/v3 and GraphQL at /api/graphql; record both as github.com spells them.
      path: url.pathname.replace(/^\/api\/v3(?=\/)/, "").replace(/^\/api\/graphql$/, "/graphql"),
      query: Object.fromEntries(url.searchParams),
      body: raw ? safeJson(raw) : undefined,
      ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
    };
    this.requests.push(record);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

    for (const hold of [...this.holds]) {
      if (hold.match(record)) {
        hold.arrived();
        await hold.gate;
      }
    }
    const fault = this.faults.find((f) => f.times > 0 && f.match(record));
    if (fault) {
      fault.times--;
      if (fault.kind === "drop") {
        req.socket.destroy();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (res.destroyed) return; // the client gave up waiting
    }
    const failure = this.failures.find((f) => f.times > 0 && f.match(record));
    if (failure) {
      failure.times--;
      return send(res, failure.status, { message: failure.message }, failure.headers);
    }
    try {
      const answer = this.route(record, req);
      if (!answer) {
        record.unexpected = true;
        return send(res, 404, { message: `fake GitHub: no route for ${record.method} ${record.path}` });
      }
      if (answer.raw !== undefined) {
        res.writeHead(answer.status, { "content-type": "text/plain; charset=utf-8" }).end(answer.raw);
        return;
      }
      return send(res, answer.status, answer.body, answer.headers);
    } catch (error) {
      return send(res, 500, { message: String(error) });
    }
  }

  private route(r: RecordedRequest, req: IncomingMessage): { status: number; body?: unknown; raw?: string; headers?: Record<string, string> } | undefined {
    const m = (pattern: RegExp) => (pattern.exec(r.path) ?? undefined) as RegExpExecArray | undefined;
    const repoPrefix = `/repos/${this.owner}/${this.repo}`;
    let g: RegExpExecArray | undefined;

    // The app's installations and the repositories an installation sees (the interrupted-run sweep walks them).
    if (r.method === "GET" && r.path === "/app/installations") {
      return this.page(r, this.installationIds.map((id) => ({ id, account: { login: this.owner } })));
    }
    if (r.method === "GET" && r.path === "/installation/repositories") {
      const repository = { name: this.repo, full_name: `${this.owner}/${this.repo}`, owner: { login: this.owner } };
      return { status: 200, body: { total_count: 1, repositories: [repository] } };
    }

    if (r.method === "POST" && m(/^\/app\/installations\/\d+\/access_tokens$/)) {
      return {
        status: 201,
        body: { token: "ghs_fake_installation_token", expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: "all" },
      };
    }

    // Config lookups in other repositories (the org's `.github`): contents or 404.
    if ((g = m(/^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/)) && r.method === "GET" && !(g[1] === this.owner && g[2] === this.repo)) {
      const text = g[1] === this.owner ? this.otherRepos.get(g[2]!)?.[decodeURIComponent(g[3]!)] : undefined;
      return text === undefined ? { status: 404, body: { message: "Not Found" } } : { status: 200, raw: text };
    }

    if (r.method === "POST" && r.path === "/graphql") return answerGraphql(this, r);

    if (!r.path.startsWith(`${repoPrefix}/`)) return undefined;
    const p = r.path.slice(repoPrefix.length);
    const sub = (pattern: RegExp) => (pattern.exec(p) ?? undefined) as RegExpExecArray | undefined;

    // git
    if (r.method === "GET" && (g = sub(/^\/git\/trees\/([^/]+)$/))) {
      const ref = g[1]!;
      const treeSha = this.commits.get(ref)?.tree ?? this.commits.get(this.branches.get(ref) ?? "")?.tree ?? ref;
      if (!this.trees.has(treeSha)) return { status: 404, body: { message: "Not Found" } };
      const recursive = r.query["recursive"] !== undefined;
      const entries: { path: string; mode: string; type: string; sha: string; size?: number }[] = [];
      const walk = (sha: string, prefix: string) => {
        for (const e of this.trees.get(sha)!) {
          const path = prefix ? `${prefix}/${e.name}` : e.name;
          entries.push({ path, mode: e.type === "tree" ? "040000" : e.type === "commit" ? "160000" : "100644", type: e.type, sha: e.sha, ...(e.type === "blob" ? { size: this.blobs.get(e.sha)!.length } : {}) });
          if (recursive && e.type === "tree") walk(e.sha, path);
        }
      };
      walk(treeSha, "");
      const truncated = recursive && entries.length > this.truncateTreesOver;
      return { status: 200, body: { sha: treeSha, tree: truncated ? entries.slice(0, this.truncateTreesOver) : entries, truncated } };
    }
    if (r.method === "GET" && (g = sub(/^\/git\/blobs\/([0-9a-f]{40})$/))) {
      const blob = this.blobs.get(g[1]!);
      if (!blob) return { status: 404, body: { message: "Not Found" } };
      return { status: 200, body: { sha: g[1], size: blob.length, content: blob.toString("base64"), encoding: "base64" } };
    }
    if (r.method === "GET" && (g = sub(/^\/git\/commits\/([0-9a-f]{40})$/))) {
      const commit = this.commits.get(g[1]!);
      if (!commit) return { status: 404, body: { message: "Not Found" } };
      return { status: 200, body: { sha: g[1], tree: { sha: commit.tree }, parents: commit.parents.map((sha) => ({ sha })) } };
    }
    if (r.method === "GET" && (g = sub(/^\/compare\/([0-9a-f]{40})\.\.\.([0-9a-f]{40})$/))) {
      return { status: 200, body: { merge_base_commit: { sha: g[1] }, files: this.diff(g[1]!, g[2]!).slice(0, 300), commits: [] } };
    }
    if (r.method === "GET" && (g = sub(/^\/contents\/(.+)$/))) {
      const ref = r.query["ref"] ?? "main";
      const sha = this.branches.get(ref) ?? ref;
      const text = this.commits.has(sha) ? this.readText(sha, decodeURIComponent(g[1]!)) : undefined;
      if (text === undefined) return { status: 404, body: { message: "Not Found" } };
      const accept = String(req.headers["accept"] ?? "");
      if (accept.includes("raw")) return { status: 200, raw: text };
      return { status: 200, body: { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64"), path: g[1] } };
    }

    // pulls
    if (r.method === "GET" && p === "/pulls") {
      const state = r.query["state"] ?? "open";
      return this.page(r, [...this.pulls.values()].filter((pr) => state === "all" || pr.state === state).map((pr) => this.pullJson(pr)));
    }
    if (r.method === "GET" && (g = sub(/^\/pulls\/(\d+)$/))) {
      const pull = this.pulls.get(Number(g[1]));
      return pull ? { status: 200, body: this.pullJson(pull) } : { status: 404, body: { message: "Not Found" } };
    }
    if (r.method === "GET" && (g = sub(/^\/pulls\/(\d+)\/files$/))) {
      const pull = this.pulls.get(Number(g[1]));
      if (!pull) return { status: 404, body: { message: "Not Found" } };
      return this.page(r, this.diff(pull.base.sha, pull.head.sha).slice(0, 3000), 30);
    }

    // checks
    if (r.method === "POST" && p === "/check-runs") {
      const b = r.body ?? {};
      const run: FakeCheckRun = {
        id: this.nextId++,
        name: b.name,
        head_sha: b.head_sha,
        status: b.status ?? "queued",
        conclusion: b.conclusion ?? null,
        started_at: b.started_at,
        completed_at: b.completed_at,
        output: { title: b.output?.title, summary: b.output?.summary },
        annotations: [],
        annotationBatches: [],
      };
      const error = this.addAnnotations(run, b.output?.annotations);
      if (error) return error;
      this.checkRuns.push(run);
      return { status: 201, body: this.checkRunJson(run) };
    }
    if (r.method === "PATCH" && (g = sub(/^\/check-runs\/(\d+)$/))) {
      const run = this.checkRuns.find((c) => c.id === Number(g![1]));
      if (!run) return { status: 404, body: { message: "Not Found" } };
      const b = r.body ?? {};
      const error = this.addAnnotations(run, b.output?.annotations);
      if (error) return error;
      if (b.status) run.status = b.status;
      if (b.conclusion) {
        run.conclusion = b.conclusion;
        run.status = "completed";
      }
      if (b.completed_at) run.completed_at = b.completed_at;
      if (b.output) run.output = { title: b.output.title, summary: b.output.summary };
      return { status: 200, body: this.checkRunJson(run) };
    }
    if (r.method === "GET" && (g = sub(/^\/commits\/([^/]+)\/check-runs$/))) {
      const runs = this.checkRuns.filter(
        (c) => c.head_sha === g![1] && (!r.query["check_name"] || c.name === r.query["check_name"]) && (!r.query["status"] || c.status === r.query["status"]),
      );
      return { status: 200, body: { total_count: runs.length, check_runs: runs.reverse().map((c) => this.checkRunJson(c)) } };
    }

    // comments
    if ((g = sub(/^\/issues\/(\d+)\/comments$/))) {
      const number = Number(g[1]);
      if (r.method === "GET") return this.page(r, this.comments.filter((c) => c.issueNumber === number).map((c) => this.commentJson(c)), 30);
      if (r.method === "POST") {
        const comment: FakeComment = {
          id: this.nextId++,
          issueNumber: number,
          body: r.body?.body ?? "",
          user: { login: BOT_LOGIN, type: "Bot" },
          performedViaAppId: this.appId,
        };
        this.comments.push(comment);
        return { status: 201, body: this.commentJson(comment) };
      }
    }
    if ((g = sub(/^\/issues\/comments\/(\d+)$/))) {
      const comment = this.comments.find((c) => c.id === Number(g![1]));
      if (!comment) return { status: 404, body: { message: "Not Found" } };
      if (r.method === "GET") return { status: 200, body: this.commentJson(comment) };
      if (r.method === "PATCH") {
        comment.body = r.body?.body ?? comment.body;
        return { status: 200, body: this.commentJson(comment) };
      }
    }
    if (r.method === "POST" && (g = sub(/^\/issues\/comments\/(\d+)\/reactions$/))) {
      this.reactions.push({ commentId: Number(g[1]), content: r.body?.content });
      return { status: 201, body: { id: this.nextId++, content: r.body?.content } };
    }

    // permissions
    if (r.method === "GET" && (g = sub(/^\/collaborators\/([^/]+)\/permission$/))) {
      const level = this.permissions.get(decodeURIComponent(g[1]!));
      if (!level) return { status: 404, body: { message: "Not Found" } };
      return { status: 200, body: { ...level, user: { login: g[1] } } };
    }
    return undefined;
  }

  /** GitHub's pagination: `per_page` (default `fallback`), `page`, and a Link header to the next page. */
  private page(r: RecordedRequest, items: unknown[], fallback = 30) {
    const perPage = Number(r.query["per_page"] ?? fallback);
    const page = Number(r.query["page"] ?? 1);
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URL(`http://${this.host}/api/v3${r.path}`);
      for (const [k, v] of Object.entries(r.query)) next.searchParams.set(k, v);
      next.searchParams.set("page", String(page + 1));
      headers["link"] = `<${next.toString()}>; rel="next"`;
    }
    return { status: 200, body: slice, headers };
  }

  private addAnnotations(run: FakeCheckRun, annotations: unknown): { status: number; body: unknown } | undefined {
    if (!Array.isArray(annotations)) return undefined;
    if (annotations.length > 50) return { status: 422, body: { message: "Only 50 annotations are allowed per request" } };
    run.annotations.push(...annotations);
    run.annotationBatches.push(annotations.length);
    return undefined;
  }

  private pullJson(pull: FakePull) {
    const [headOwner, headRepo] = pull.head.repoFullName.split("/");
    const repo = (owner: string, name: string) => ({ name, full_name: `${owner}/${name}`, owner: { login: owner } });
    return {
      number: pull.number,
      state: pull.state,
      draft: pull.draft,
      head: { sha: pull.head.sha, ref: pull.head.ref, repo: repo(headOwner!, headRepo!) },
      base: { sha: pull.base.sha, ref: pull.base.ref, repo: repo(this.owner, this.repo) },
    };
  }

  private checkRunJson(run: FakeCheckRun) {
    return {
      id: run.id,
      name: run.name,
      head_sha: run.head_sha,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.started_at ?? null,
      output: run.output,
      app: { id: this.appId },
    };
  }

  private commentJson(c: FakeComment) {
    return {
      id: c.id,
      body: c.body,
      user: c.user,
      performed_via_github_app: c.performedViaAppId !== undefined ? { id: c.performedViaAppId } : null,
    };
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers }).end(body === undefined ? "" : JSON.stringify(body));
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}
