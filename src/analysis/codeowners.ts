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

  const last = segments.length - 1;
  let source = "^";
  let needSlash = false;
  segments.forEach((segment, i) => {
    if (segment === "**") {
      if (i === 0 && i === last) source += ".+";
      else if (i === 0) source += "(?:.+/)?";
      else if (i === last) source += "/.*";
      else source += "(?:/.+)?";
      needSlash = i !== 0;
      return;
    }
    if (needSlash) source += "/";
    needSlash = true;
    if (segment === "*") {
      source += "[^/]+";
      return;
    }
    for (let c = 0; c < segment.length; c++) {
      const ch = segment[c]!;
      if (ch === "\\" && c + 1 < segment.length) source += escapeRegExp(segment[++c]!);
      else if (ch === "*") source += "[^/]*";
      else if (ch === "?") source += "[^/]";
      else source += escapeRegExp(ch);
    }
    // Without a trailing slash a name also matches everything inside a folder of that name.
    if (i === last) source += "(?:/.*)?";
  });
  const regex = new RegExp(`${source}$`);
  return (path) => regex.test(path);
}

function escapeRegExp(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}
