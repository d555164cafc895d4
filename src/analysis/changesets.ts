import { parseChangesetFile } from "@changesets/parse";
import { isMap, isNode, isScalar } from "yaml";
import type { RepoContext } from "../engine/context.js";
import { positionAt } from "../engine/positions.js";
import { parseBoundedYaml } from "../engine/yaml-document.js";
import type { Position } from "../engine/types.js";

/** One `"<package>": <bump>` entry of a changeset's front matter. */
export interface ChangesetRelease {
  name: string;
  /** The bump as written (a string for well-formed files; anything else is reported by changeset-valid). */
  type: unknown;
  keyPosition: Position;
  valuePosition: Position;
}

export interface Changeset {
  path: string;
  /** Why the file does not parse, where. When set, `releases` and `summary` are empty. */
  parseError?: { message: string } & Position;
  /**
   * What `@changesets/parse` (the parser `changeset version` uses) says when it
   * rejects the file, so nothing it refuses ever passes.
   */
  parserError?: string;
  /** Every front-matter entry, even one with a bad bump type. */
  releases: ChangesetRelease[];
  /** The body, trimmed: the text that lands in the changelog. */
  summary: string;
  /** First character of the summary; the closing `---` when the summary is empty. */
  summaryPosition: Position;
}

/** `.changeset/<name>.md`, except the folder's README. */
export function isChangesetPath(path: string): boolean {
  const match = /^\.changeset\/([^/]+\.md)$/.exec(path);
  return match !== null && match[1]!.toLowerCase() !== "readme.md";
}

/**
 * The changesets a check looks at: those the pull request adds or edits (and
 * that still exist at the head), or every changeset when the whole repository
 * is checked.
 */
export function changesetsInScope(ctx: RepoContext): Promise<Changeset[]> {
  return ctx.memo("changesets-in-scope", async () => {
    const changed = ctx.snapshot.changedFiles;
    const paths =
      changed === undefined
        ? ctx.snapshot.listFiles().filter(isChangesetPath)
        : [...new Set(changed.filter((f) => f.status !== "removed" && isChangesetPath(f.path)).map((f) => f.path))]
            .filter((p) => ctx.exists(p))
            .sort();
    const out: Changeset[] = [];
    for (const path of paths) {
      const changeset = await readChangeset(ctx, path);
      if (changeset) out.push(changeset);
    }
    return out;
  });
}

export function readChangeset(ctx: RepoContext, path: string): Promise<Changeset | undefined> {
  return ctx.memo(`changeset:${path}`, async () => {
    const text = await ctx.read(path);
    return text === undefined ? undefined : parseChangeset(path, text);
  });
}

const START: Position = { line: 1, column: 1 };
/**
 * @changesets/parse splits with a regular expression that backtracks
 * cubically on long whitespace runs; it is only given files whose runs are
 * shorter than this (our own split and checks apply to every file).
 */
const MAX_WHITESPACE_RUN_FOR_PARSER = 256;

/** Where a changeset's front matter and body are. */
interface ChangesetSplit {
  /** Offset just after the opening `---`. */
  frontMatterStart: number;
  frontMatter: string;
  /** Offset just after the closing `---`. */
  bodyStart: number;
}

/**
 * The front-matter split @changesets/parse makes (`/\s*---([^]*?)\r?\n\s*---(\s*(?:\n|$)[^]*)/`),
 * as one linear scan: the first `---` opens; the first later line break that
 * is followed by whitespace, `---`, and only whitespace up to a line break or
 * the end closes. No later opening can succeed where the first fails.
 */
export function splitChangeset(text: string): ChangesetSplit | undefined {
  const open = text.indexOf("---");
  if (open < 0) return undefined;
  const frontMatterStart = open + 3;
  let runEnd = -1; // end of the whitespace run the scan is in, shared by the line breaks inside it
  for (let q = text.indexOf("\n", frontMatterStart); q >= 0; q = text.indexOf("\n", q + 1)) {
    if (q >= runEnd) runEnd = skipWhitespace(text, q + 1);
    if (!text.startsWith("---", runEnd)) continue;
    const afterDashes = runEnd + 3;
    const tailEnd = skipWhitespace(text, afterDashes);
    const closes = tailEnd === text.length || text.slice(afterDashes, tailEnd).includes("\n");
    if (!closes) continue;
    const frontMatterEnd = q - 1 >= frontMatterStart && text[q - 1] === "\r" ? q - 1 : q;
    return { frontMatterStart, frontMatter: text.slice(frontMatterStart, frontMatterEnd), bodyStart: afterDashes };
  }
  return undefined;
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

function longestWhitespaceRun(text: string): number {
  let longest = 0;
  for (let i = 0; i < text.length; ) {
    const end = skipWhitespace(text, i);
    longest = Math.max(longest, end - i);
    i = end === i ? i + 1 : end;
  }
  return longest;
}

export function parseChangeset(path: string, text: string): Changeset {
  const failed = (message: string, at: Position = START): Changeset => ({
    path,
    parseError: { message, ...at },
    releases: [],
    summary: "",
    summaryPosition: START,
  });
  if (text.trim() === "") return failed("the file is empty");
  const split = splitChangeset(text);
  if (!split) return failed("it does not start with front matter between two `---` lines");

  const { frontMatter, frontMatterStart: frontMatterOffset, bodyStart: bodyOffset } = split;
  const body = text.slice(bodyOffset);
  const at = (offsetInFrontMatter: number) => positionAt(text, frontMatterOffset + offsetInFrontMatter);

  const parsed = parseBoundedYaml(frontMatter);
  if (parsed.error) return failed(`its front matter is not valid YAML (${parsed.error.message})`, at(parsed.error.offset));
  const doc = parsed.doc;

  const releases: ChangesetRelease[] = [];
  if (doc.contents !== null && !(isScalar(doc.contents) && doc.contents.value === null)) {
    if (!isMap(doc.contents)) {
      return failed("its front matter must map package names to a bump type, like `\"@services/x\": patch`", at(doc.contents.range?.[0] ?? 0));
    }
    for (const pair of doc.contents.items) {
      const key = pair.key;
      const value = pair.value;
      const keyOffset = isScalar(key) ? (key.range?.[0] ?? 0) : 0;
      releases.push({
        name: isScalar(key) ? String(key.value ?? "") : "",
        type: isScalar(value) ? value.value : value === null ? null : "(not a single word)",
        keyPosition: at(keyOffset),
        valuePosition: at(isNode(value) ? (value.range?.[0] ?? keyOffset) : keyOffset),
      });
    }
  }

  let parserError: string | undefined;
  try {
    if (longestWhitespaceRun(text) <= MAX_WHITESPACE_RUN_FOR_PARSER) parseChangesetFile(text);
  } catch (error) {
    parserError = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.replace(/^could not parse changeset - /, "");
  }

  const summary = body.trim();
  const leading = body.length - body.trimStart().length;
  return {
    path,
    ...(parserError !== undefined ? { parserError } : {}),
    releases,
    summary,
    // An empty summary points at the closing `---`, right above where it belongs.
    summaryPosition: positionAt(text, summary === "" ? bodyOffset - 3 : bodyOffset + leading),
  };
}
