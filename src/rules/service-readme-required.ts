import type { Nodes, RootContent } from "mdast";
import { hasContent, markdownAt, plainText, type MarkdownSection } from "../analysis/markdown.js";
import { defineServiceRule } from "../engine/rule.js";

/** "Run locally", "Running the service locally", "How to run it locally", "Local development", "Local setup". */
function isRunLocallyHeading(section: MarkdownSection): boolean {
  return /\blocally\b/i.test(section.text) || /^\W*local\s+(development|dev|setup|environment)\b/i.test(section.text);
}

/** A paragraph of prose: at least three words, not just badges, images or a lone link target. */
function isProse(node: RootContent): boolean {
  if (node.type !== "paragraph") return false;
  const words = plainText(node as Nodes).match(/[\p{L}]{2,}/gu) ?? [];
  return words.length >= 3;
}

/** Programs that install, build or start a service: what a run-locally command begins with. */
const RUN_PROGRAMS = new Set(["pnpm", "npm", "yarn", "npx", "bun", "bunx", "node", "tsx", "make", "just", "docker", "docker-compose", "podman", "turbo", "sst", "deno", "sh", "bash"]);

/** `pnpm --filter @services/x dev`, `$ make run`, `./scripts/dev.sh`: inline code that starts something (not `curl localhost:8080/healthz`). */
function isRunCommand(code: string): boolean {
  const program = code.trim().replace(/^\$\s*/, "").split(/\s/, 1)[0] ?? "";
  return RUN_PROGRAMS.has(program) || program.startsWith("./");
}

/**
 * Instructions are a code block or a list that says something, or a
 * paragraph that gives the command as inline code ("Start it with `pnpm --filter @services/x dev`.").
 */
function isInstructions(node: RootContent): boolean {
  if (node.type === "paragraph") return node.children.some((child) => child.type === "inlineCode" && isRunCommand(child.value));
  return (node.type === "code" || node.type === "list") && hasContent([node]);
}

export default defineServiceRule({
  meta: {
    id: "service-readme-required",
    defaultSeverity: "error",
    title: "README.md describes the service and how to run it locally",
    messages: {
      missing:
        "{{dir}}/README.md is missing. Add one with a paragraph on what the service does and a `## Run locally` section with the commands (guide step 9).",
      descriptionMissing:
        "README.md has no description paragraph. Add a paragraph of prose (outside the run-locally section) saying what the service does and its key entry points.",
      runLocallyMissing: "README.md has no run-locally section. Add a `## Run locally` heading with the commands in a code block or a list.",
      runLocallyEmpty:
        "The `{{heading}}` section of README.md has no instructions. Put the commands in a code block (```sh … ```), a list, or as inline code in a sentence (`pnpm --filter @services/x dev`) under it.",
    },
  },
  async check(ctx, report) {
    const path = ctx.path("README.md");
    const doc = await markdownAt(ctx.repo, path);
    if (!doc) {
      report({ messageId: "missing", data: { dir: ctx.service.dir }, path });
      return;
    }
    const runLocally = doc.sections.filter(isRunLocallyHeading);
    const inRunLocally = new Set(runLocally.flatMap((s) => s.content));
    if (!doc.tree.children.some((node) => !inRunLocally.has(node) && isProse(node))) {
      // Nothing to point at: the finding sits at the top of the README.
      report({ messageId: "descriptionMissing", path, line: 1, column: 1 });
    }
    if (runLocally.length === 0) {
      report({ messageId: "runLocallyMissing", path, line: 1, column: 1 });
    } else if (!runLocally.some((s) => s.content.some(isInstructions))) {
      report({ messageId: "runLocallyEmpty", data: { heading: runLocally[0]!.text }, path, ...runLocally[0]!.position });
    }
  },
});
