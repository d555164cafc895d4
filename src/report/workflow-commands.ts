import type { Config } from "../engine/config.js";
import { docsUrl } from "../engine/rule.js";
import type { CheckReport } from "../engine/run.js";
import type { Finding } from "../engine/types.js";
import { countBySeverity, describeCounts } from "./counts.js";

/**
 * GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`):
 * printed by a workflow step, they become annotations on the pull request's diff.
 *
 * Everything in a command comes from the repository under check (paths, names,
 * code quoted in messages), so it is escaped the way GitHub's own toolkit does
 * (`@actions/core`'s `issueCommand`): in the message `%`, `\r` and `\n`; in
 * properties also `:` and `,`. A command is one line, so escaping the line
 * breaks is what keeps repository text from starting a command of its own.
 */

export interface WorkflowCommandOptions {
  config?: Pick<Config, "docs_base_url">;
  /** Prepended to each finding's path: where the checked folder sits in the workspace (`monorepo/`), or "". */
  pathPrefix?: string;
}

const COMMAND = { error: "error", warning: "warning", notice: "notice" } as const;

export function renderWorkflowCommands(report: Pick<CheckReport, "conclusion" | "services" | "findings">, options: WorkflowCommandOptions = {}): string {
  const lines = report.findings.map((f) => findingCommand(f, options));
  const counts = describeCounts(countBySeverity(report.findings));
  // A plain line, so it must not start with "::" — it starts with our name.
  const scope = report.services.length === 0 ? "no service in scope" : report.services.join(", ");
  lines.push(`platform-checks: ${counts || "no findings"} (${escapeData(scope)}): ${report.conclusion}.`);
  return `${lines.join("\n")}\n`;
}

export function findingCommand(finding: Finding, options: WorkflowCommandOptions = {}): string {
  const properties: [string, string | number | undefined][] = [
    ["file", `${options.pathPrefix ?? ""}${finding.path}`],
    ["line", finding.line],
    ["col", finding.line !== undefined ? finding.column : undefined],
    ["title", finding.rule],
  ];
  const message = `${finding.message}\n\nRule: ${docsUrl(finding.rule, options.config)}`;
  return workflowCommand(COMMAND[finding.severity], properties, message);
}

/** One workflow command line; properties with an undefined value are left out. */
export function workflowCommand(name: string, properties: readonly [string, string | number | undefined][], message: string): string {
  const props = properties
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

/** The message part: `%` first, so the escapes it introduces are not escaped again. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A property value: like the message, plus the separators `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
