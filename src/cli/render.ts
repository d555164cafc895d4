import { isAbsolute, relative, sep } from "node:path";
import type { Config } from "../engine/config.js";
import type { CheckReport } from "../engine/run.js";
import { renderJson } from "../report/json.js";
import { renderSarif } from "../report/sarif.js";
import { renderStepSummary } from "../report/step-summary.js";
import { renderText } from "../report/text.js";
import { renderWorkflowCommands } from "../report/workflow-commands.js";
import type { CheckFormat } from "./args.js";
import { packageVersion } from "./version.js";

export interface RenderContext {
  config: Config;
  /** What was checked, in words (`every service`, `changed since main, merge base 1a2b3c4d5e6f`). */
  scope: string;
  headSha?: string | undefined;
  /** Where the checked folder sits in the repository that annotations and SARIF refer to (`monorepo/`), or "". */
  pathPrefix: string;
}

/**
 * One report in one of the CLI's formats; each format has its own reporter in src/report/.
 * Asynchronous because SARIF describes every rule: only that format loads the rule catalog.
 */
export async function renderReport(format: CheckFormat, report: CheckReport, context: RenderContext): Promise<string> {
  switch (format) {
    case "text":
      return renderText(report, { scope: context.scope, gatedStatuses: context.config.checklist_statuses });
    case "json":
      return renderJson(report);
    case "sarif": {
      const { RULE_METAS, ruleDocPage } = await import("./rule-catalog.js");
      return renderSarif(report, {
        rules: RULE_METAS,
        config: context.config,
        toolVersion: packageVersion(),
        pathPrefix: context.pathPrefix,
        ruleHelp: ruleDocPage,
      });
    }
    case "github":
      return renderWorkflowCommands(report, { config: context.config, pathPrefix: context.pathPrefix });
    case "markdown":
      return renderStepSummary(report, { headSha: context.headSha, config: context.config, scope: context.scope });
  }
}

/**
 * The checked folder relative to the repository root that annotations and
 * SARIF paths are resolved against (`$GITHUB_WORKSPACE` on a runner, else the
 * working directory), with a trailing slash; "" when it is that root or lies
 * outside it.
 */
export function pathPrefixFor(dir: string, root: string): string {
  const rel = relative(root, dir);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return "";
  return `${rel.split(sep).join("/")}/`;
}
