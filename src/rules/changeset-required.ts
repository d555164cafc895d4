import picomatch from "picomatch";
import { changesetsInScope } from "../analysis/changesets.js";
import { workspacePackages, type WorkspacePackage } from "../analysis/workspace-packages.js";
import { defineRepoRule } from "../engine/rule.js";

export default defineRepoRule({
  meta: {
    id: "changeset-required",
    defaultSeverity: "error",
    title: "A pull request that changes a package adds a changeset for it with a user-facing summary",
    messages: {
      missing:
        "`{{name}}` changed ({{files}}), but no added or edited changeset names it. Run `pnpm changeset`, select `{{name}}`, choose the bump, and write a summary a user can read.",
      placeholder:
        "The changeset summary {{summary}} is not user-facing: {{why}}. Write what changed for the users of {{packages}} in a full sentence, e.g. \"Invoices can now be listed per brand with GET /v1/invoices.\"",
    },
  },
  async check(ctx, report) {
    const changed = ctx.snapshot.changedFiles;
    if (changed === undefined) return; // checking the whole tree: there is no pull request to ask a changeset of

    const workspace = await workspacePackages(ctx);
    const ignored = ctx.config.changeset_ignore.length > 0 ? picomatch(ctx.config.changeset_ignore, { dot: true }) : () => false;
    const needing = new Map<string, { pkg: WorkspacePackage; files: string[] }>();
    for (const file of changed) {
      for (const path of file.previousPath ? [file.path, file.previousPath] : [file.path]) {
        const pkg = workspace.packageOf(path);
        if (!pkg || !isReleasedSource(pkg, path) || ignored(path)) continue;
        const entry = needing.get(pkg.name) ?? { pkg, files: [] };
        if (!entry.files.includes(path)) entry.files.push(path);
        needing.set(pkg.name, entry);
      }
    }

    const changesets = await changesetsInScope(ctx);
    const named = new Set(changesets.flatMap((c) => c.releases.map((r) => r.name)));

    for (const changeset of changesets) {
      // An unparseable changeset is changeset-valid's finding; a changeset naming no package releases nothing.
      if (changeset.parseError || changeset.releases.length === 0) continue;
      const why = placeholderReason(changeset.summary);
      if (!why) continue;
      report({
        messageId: "placeholder",
        data: {
          summary: changeset.summary === "" ? "(empty)" : `"${truncate(changeset.summary, 60)}"`,
          why,
          packages: changeset.releases.map((r) => `\`${r.name}\``).join(", "),
        },
        path: changeset.path,
        ...changeset.summaryPosition,
      });
    }

    for (const { pkg, files } of [...needing.values()].sort((a, b) => a.pkg.name.localeCompare(b.pkg.name))) {
      if (named.has(pkg.name)) continue;
      const sorted = files.sort();
      report({
        messageId: "missing",
        data: { name: pkg.name, files: sorted.length === 1 ? sorted[0]! : `${sorted[0]} and ${sorted.length - 1} more file(s)` },
        path: pkg.manifestPath,
        ...pkg.namePosition(),
        service: pkg.service,
      });
    }
  },
});

/** A change that ships: not the package's tests and not its Markdown docs. */
function isReleasedSource(pkg: WorkspacePackage, path: string): boolean {
  const inside = path.slice(pkg.dir.length + 1);
  return !inside.startsWith("tests/") && !/\.md$/i.test(inside);
}

/** Words that say nothing to a reader of the changelog on their own. */
const VAGUE_WORDS = new Set(
  (
    "a an and the it its of to in on for with some more other few various misc miscellaneous minor small stuff thing things " +
    "fix fixes fixed fixing bug bugs bugfix bugfixes update updates updated updating change changes changed changing " +
    "tweak tweaks cleanup clean up refactor refactoring chore chores code bump version release patch major wip todo tbd " +
    "typo typos test tests work done etc"
  ).split(" "),
);
/** Markers of a summary nobody finished writing. */
const UNFINISHED_MARKERS = new Set(["wip", "todo", "tbd", "fixme", "xxx", "tk", "placeholder", "lorem"]);
/** A user-facing sentence has at least this many words. */
export const MIN_SUMMARY_WORDS = 3;

/** `v1.2.` → `v1.2`: a loop, not `/[._/-]+$/`, which rescans the run from every start (quadratic on `a./././…x`). */
function trimTrailingPunctuation(word: string): string {
  let end = word.length;
  while (end > 0 && "._/-".includes(word[end - 1]!)) end--;
  return word.slice(0, end);
}

/** Why a summary is not user-facing, or undefined when it is. */
export function placeholderReason(summary: string): string | undefined {
  if (summary.trim() === "") return "it is empty";
  const words = summary.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'’_./-]*/gu) ?? [];
  const bare = words.map(trimTrailingPunctuation);
  if (bare.length === 0) return "it contains no words";
  if (UNFINISHED_MARKERS.has(bare[0]!)) return `it starts with "${bare[0]}", which marks unfinished work`;
  if (bare.length < MIN_SUMMARY_WORDS) return `it has ${bare.length === 1 ? "one word" : `${bare.length} words`}, fewer than ${MIN_SUMMARY_WORDS}`;
  if (bare.every((w) => VAGUE_WORDS.has(w))) return "it only uses words like fix, update or changes, which tell a user nothing";
  return undefined;
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
