import { changesetsInScope } from "../analysis/changesets.js";
import { workspacePackages } from "../analysis/workspace-packages.js";
import { defineRepoRule } from "../engine/rule.js";

/** The bumps the platform allows (changesets' own `none` is not one of them: drop the package instead). */
const BUMP_TYPES = ["major", "minor", "patch"];

export default defineRepoRule({
  meta: {
    id: "changeset-valid",
    defaultSeverity: "error",
    title: "Changesets parse, name existing packages and use major, minor or patch",
    messages: {
      unparseable:
        "This is not a valid changeset: {{problem}}. A changeset is front matter between two `---` lines mapping each package to major, minor or patch (`\"@services/x\": minor`), followed by a summary.",
      unknownPackage:
        "This changeset names `{{name}}`, but no package of the workspace has that package.json name{{suggestion}}. Use the exact `name` from the package's package.json, or remove the line.",
      emptyPackageName: "This changeset has an entry with an empty package name. Write the package's package.json name in quotes, e.g. `\"@services/x\": patch`.",
      badBumpType: "This changeset gives `{{name}}` the bump `{{type}}`; use major, minor or patch.",
      noneBump:
        "This changeset gives `{{name}}` the bump `none`, which the platform does not release; use major, minor or patch, or remove the line if the package does not change.",
    },
  },
  async check(ctx, report) {
    const changesets = await changesetsInScope(ctx);
    if (changesets.length === 0) return;
    const workspace = await workspacePackages(ctx);
    const known = [...workspace.byName.keys()];

    for (const changeset of changesets) {
      const { path } = changeset;
      if (changeset.parseError) {
        const { message, line, column } = changeset.parseError;
        report({ messageId: "unparseable", data: { problem: message }, path, line, column });
        continue;
      }
      let reported = false;
      for (const release of changeset.releases) {
        if (release.name.trim() === "") {
          report({ messageId: "emptyPackageName", data: {}, path, ...release.keyPosition });
          reported = true;
        } else if (!workspace.byName.has(release.name)) {
          const close = closest(release.name, known);
          report({
            messageId: "unknownPackage",
            data: { name: release.name, suggestion: close ? ` (did you mean \`${close}\`?)` : "" },
            path,
            ...release.keyPosition,
          });
          reported = true;
        }
        if (release.type === "none") {
          report({ messageId: "noneBump", data: { name: release.name }, path, ...release.valuePosition });
          reported = true;
        } else if (typeof release.type !== "string" || !BUMP_TYPES.includes(release.type)) {
          report({ messageId: "badBumpType", data: { name: release.name, type: String(release.type ?? "(nothing)") }, path, ...release.valuePosition });
          reported = true;
        }
      }
      // Anything the real parser refuses that the checks above did not explain.
      if (!reported && changeset.parserError) {
        report({ messageId: "unparseable", data: { problem: changeset.parserError }, path, line: 1, column: 1 });
      }
    }
  },
});

/** The known name nearest to a misspelt one (edit distance ≤ 3), if any. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
