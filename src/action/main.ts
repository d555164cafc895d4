// The GitHub Action (action.yml): the CLI's local check over the workflow's checkout, with
// annotations, a step summary, outputs and an exit code. Inputs and files come from the runner.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { closeSharedCheckPool } from "../engine/isolation/run-isolated.js";
import { LocalRepoError } from "../local/working-tree-snapshot.js";
import { renderSarif } from "../report/sarif.js";
import { renderStepSummary } from "../report/step-summary.js";
import { renderText } from "../report/text.js";
import { workflowCommand } from "../report/workflow-commands.js";
import { countBySeverity } from "../report/counts.js";
import { isEntryPoint, runAsProgram } from "../cli/entry-point.js";
import { checkLocal, EXIT_FINDINGS, EXIT_SUCCESS, EXIT_USAGE, isNamedFailure } from "../cli/main.js";
import { pathPrefixFor, renderReport } from "../cli/render.js";
import { RULE_METAS, ruleDocPage } from "../cli/rule-catalog.js";
import { packageVersion } from "../cli/version.js";
import { ActionInputError, readInputs, type RunnerEnv } from "./inputs.js";
import { appendStepSummary, writeOutputs } from "./runner-files.js";

export interface ActionIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
}

/** Runs the action and returns its exit code: 1 on error findings when `fail-on-error`, 2 when the check cannot run. */
export async function runAction(env: RunnerEnv = process.env, io: ActionIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  try {
    const inputs = readInputs(env, io.cwd);
    io.stdout.write(`platform-checks: checking ${inputs.dir} ${inputs.base ? `against ${inputs.base} (from ${inputs.baseSource})` : "(every service)"}\n`);
    let outcome;
    try {
      outcome = await checkLocal(inputs.dir, inputs.base, { stderr: io.stdout });
    } catch (error) {
      if (error instanceof LocalRepoError && inputs.base !== undefined) {
        throw new LocalRepoError(`${error.message}. In a workflow, check out the history: actions/checkout with \`fetch-depth: 0\`.`);
      }
      throw error;
    }
    const { report, config, scope } = outcome;
    const pathPrefix = pathPrefixFor(inputs.dir, inputs.workspace);

    if (inputs.format === "sarif") {
      mkdirSync(dirname(inputs.sarifFile), { recursive: true });
      writeFileSync(
        inputs.sarifFile,
        renderSarif(report, { rules: RULE_METAS, config, toolVersion: packageVersion(), pathPrefix, ruleHelp: ruleDocPage }),
      );
      io.stdout.write(renderText(report, { scope, gatedStatuses: config.checklist_statuses }));
      io.stdout.write(`platform-checks: SARIF written to ${relative(inputs.workspace, inputs.sarifFile) || inputs.sarifFile}; upload it with github/codeql-action/upload-sarif.\n`);
    } else {
      io.stdout.write(await renderReport(inputs.format, report, { config, scope, pathPrefix }));
    }

    const summaryFile = env["GITHUB_STEP_SUMMARY"];
    if (inputs.summary && summaryFile) appendStepSummary(summaryFile, renderStepSummary(report, { headSha: env["GITHUB_SHA"], config, scope }));
    const outputFile = env["GITHUB_OUTPUT"];
    if (outputFile) {
      const counts = countBySeverity(report.findings);
      writeOutputs(outputFile, {
        conclusion: report.conclusion,
        errors: counts.errors,
        warnings: counts.warnings,
        notices: counts.notices,
        ...(inputs.format === "sarif" ? { "sarif-file": inputs.sarifFile } : {}),
      });
    }
    if (report.conclusion === "failure" && !inputs.failOnError) {
      io.stdout.write("platform-checks: error findings, but `fail-on-error` is false: the step passes.\n");
      return EXIT_SUCCESS;
    }
    return report.conclusion === "failure" ? EXIT_FINDINGS : EXIT_SUCCESS;
  } catch (error) {
    const known = error instanceof ActionInputError || isNamedFailure(error);
    const message = known ? (error as Error).message : `internal error, the check could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    // As an error annotation, so the reason shows on the run's page and not only in the log.
    io.stdout.write(`${workflowCommand("error", [["title", "platform-checks could not run"]], message)}\n`);
    return EXIT_USAGE;
  }
}

/** The action as a process (the launcher and `node dist/action/main.js`): exit code set, worker pool closed. */
export function runActionAsProgram(): void {
  runAsProgram("platform-checks action", () => runAction().finally(closeSharedCheckPool));
}

if (isEntryPoint(import.meta.url)) runActionAsProgram();
