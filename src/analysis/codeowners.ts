import type { RepoContext } from "../engine/context.js";

/** Where GitHub looks for CODEOWNERS, in its order: the first that exists is the only one used. */
export const CODEOWNERS_LOCATIONS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

export interface CodeownersRule {
  /** The pattern as written (escapes kept). */
  pattern: string;
  /** `@user`, `@org/team` or e-mail addresses; empty means "no owners" for the files it matches. */
  owners: string[];
  line: number;
  /** Column of the pattern. */
  column: number;
  matches(path: string): boolean;
}

export interface Codeowners {
  path: string;
  rules: CodeownersRule[];
  /** The rule that decides a path's owners: the LAST matching line, as on GitHub. */
  ownerRuleFor(path: string): CodeownersRule | undefined;
}

/** The repository's CODEOWNERS file at the head, parsed once per check (`undefined` when there is none). */
export function codeownersOf(ctx: RepoContext): Promise<Codeowners | undefined> {
  return ctx.memo("codeowners", async () => {
    for (const path of CODEOWNERS_LOCATIONS) {
      const text = await ctx.read(path);
      if (text !== undefined) return parseCodeowners(path, text);
    }
    return undefined;
  });
}

export function parseCodeowners(path: string, text: string): Codeowners {
  const rules: CodeownersRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const parsed = parseLine(raw);
    if (!parsed) return;
    const matcher = patternMatcher(parsed.pattern);
    if (!matcher) return; // GitHub skips lines it cannot parse (e.g. `!` negation)
    rules.push({ ...parsed, line: index + 1, matches: matcher });
  });
  return {
    path,
    rules,
    ownerRuleFor: (p) => {
      for (let i = rules.length - 1; i >= 0; i--) if (rules[i]!.matches(p)) return rules[i];
      return undefined;
    },
  };
}

/** `pattern owner owner # comment`; `\ ` and `\#` escape inside the pattern. */
function parseLine(raw: string): { pattern: string; owners: string[]; column: number } | undefined {
  const start = raw.search(/\S/);
  if (start < 0 || raw[start] === "#") return undefined;
  let end = start;
  while (end < raw.length && !/\s/.test(raw[end]!)) end += raw[end] === "\\" ? 2 : 1;
  const pattern = raw.slice(start, end);
  const owners: string[] = [];
  for (const word of raw.slice(end).split(/\s+/)) {
    if (word.startsWith("#")) break;
    if (word) owners.push(word);
  }
  return { pattern, owners, column: start + 1 };
}

/**
 * GitHub's CODEOWNERS patterns: gitignore syntax minus `!` negation and
 * `[ ]` ranges (a `[` is literal). A pattern without a slash (other than a
 * trailing one) matches at any depth; a leading `/` or an inner slash anchors
 * it at the root; `*` and `?` never cross `/`; `**` spans folders; a pattern
 * matches a folder's whole contents, except that a final `/*` matches only
 * the files directly in that folder (GitHub: `docs/*` owns `docs/a.md`, not
 * `docs/build/b.md`). Returns `undefined` for a line GitHub rejects.
 */
export function patternMatcher(pattern: string): ((path: string) => boolean) | undefined {
  if (pattern.startsWith("!") || pattern.includes("***") || pattern === "") return undefined;
  if (pattern === "/") return () => false;
  let segments = pattern.split("/");
  if (segments[0] === "") segments = segments.slice(1);
  else if (segments.length === 1 || (segments.length === 2 && segments[1] === "")) {
    if (segments[0] !== "**") segments = ["**", ...segments];
  }
  if (segments.length > 1 && segments[segments.length - 1] === "") segments[segments.length - 1] = "**";

  const globs = segments.map((segment) => (segment === "**" ? GLOBSTAR : segmentGlob(segment)));
  return (path) => matchSegments(globs, path.split("/"));
}

/**
 * A pattern is matched segment by segment, with memoised positions, and each
 * segment by a wildcard scan: time bounded by pattern length × path length
 * whatever the stars (a regular expression built from `a*a*a*…` or
 * `**` chains would backtrack exponentially on a crafted path).
 */
const GLOBSTAR = Symbol("**");
type SegmentGlob = readonly (string | typeof ANY_RUN | typeof ANY_ONE)[];
const ANY_RUN = Symbol("*");
const ANY_ONE = Symbol("?");

function segmentGlob(segment: string): SegmentGlob {
  const tokens: (string | typeof ANY_RUN | typeof ANY_ONE)[] = [];
  for (let c = 0; c < segment.length; c++) {
    const ch = segment[c]!;
    if (ch === "\\" && c + 1 < segment.length) tokens.push(segment[++c]!);
    else if (ch === "*") {
      if (tokens[tokens.length - 1] !== ANY_RUN) tokens.push(ANY_RUN);
    } else if (ch === "?") tokens.push(ANY_ONE);
    else tokens.push(ch);
  }
  return tokens;
}

function matchSegments(globs: readonly (SegmentGlob | typeof GLOBSTAR)[], parts: readonly string[]): boolean {
  const last = globs.length - 1;
  const memo = new Map<number, boolean>();
  const from = (i: number, j: number): boolean => {
    const key = i * (globs.length + 1) + j;
    let result = memo.get(key);
    if (result !== undefined) return result;
    const glob = globs[j];
    if (glob === undefined) result = i === parts.length;
    else if (glob === GLOBSTAR) {
      if (j === last) result = i < parts.length; // a trailing `**`: something inside
      else result = from(i, j + 1) || (i < parts.length && from(i + 1, j));
    } else if (i >= parts.length || !matchSegment(glob, parts[i]!)) result = false;
    else if (j < last) result = from(i + 1, j + 1);
    // The last segment: a lone `*` names direct files only; anything else also owns what is inside it.
    else result = isLoneStar(glob) ? i + 1 === parts.length : true;
    memo.set(key, result);
    return result;
  };
  return from(0, 0);
}

function isLoneStar(glob: SegmentGlob): boolean {
  return glob.length === 1 && glob[0] === ANY_RUN;
}

/** Wildcard match of one path segment: the classic scan that backtracks only to the last `*` (linear × pattern length). */
function matchSegment(glob: SegmentGlob, text: string): boolean {
  if (isLoneStar(glob)) return text.length > 0;
  let g = 0;
  let t = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (t < text.length) {
    const token = glob[g];
    if (token === ANY_RUN) {
      starAt = g++;
      resumeAt = t;
    } else if (token === ANY_ONE || (token !== undefined && token === text[t])) {
      g++;
      t++;
    } else if (starAt >= 0) {
      g = starAt + 1;
      t = ++resumeAt;
    } else return false;
  }
  while (glob[g] === ANY_RUN) g++;
  return g === glob.length;
}
