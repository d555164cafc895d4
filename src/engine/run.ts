import { buildChecklists, type ManualTicks, type ServiceChecklist, type ServiceStatus } from "../checklist/checklist.js";
import { evaluateReadiness, readinessMeta } from "../checklist/readiness-rule.js";
import { parseServiceDescriptor } from "./service-descriptor.js";
import type { Config } from "./config.js";
import { RepoContext, type ContextObserver, type ServiceInfo } from "./context.js";
import { inputLimitsMeta, sizeProblem } from "./input-limits.js";
import { filesToPrefetch } from "./prefetch.js";
import { formatMessage, type Report, type Rule } from "./rule.js";
import { computeScope, serviceFolderOf, serviceFoldersMeta, type UncheckableFolder } from "./scope.js";
import { SnapshotReadError, type RepoSnapshot } from "./snapshot.js";
import { SEVERITY_RANK, type ConfiguredSeverity, type Finding, type Severity } from "./types.js";

/** A finding plus the message id it came from (used by the checklist; not part of the JSON contract). */
export interface EngineFinding extends Finding {
  messageId?: string;
}

/** One rule's outcome for one service (or the repo): the summary table's rows. */
export interface RuleRun {
  rule: string;
  service: string | null;
  severity: ConfiguredSeverity;
  errors: number;
  warnings: number;
  notices: number;
  /** The rule threw: it is reported as an error finding too. */
  crashed?: string;
}

export interface CheckReport {
  conclusion: "success" | "failure";
  services: string[];
  deletedServices: string[];
  findings: EngineFinding[];
  ruleRuns: RuleRun[];
  checklists: ServiceChecklist[];
}

export interface CheckOptions {
  snapshot: RepoSnapshot;
  config: Config;
  rules: readonly Rule[];
  /** Manual checklist ticks (from the PR comment); the CLI has none. */
  manualTicks?: ManualTicks;
  /** Told what the check is busy with (the worker host uses it to name a stalled check's file). */
  observer?: CheckObserver;
}

export interface CheckObserver extends ContextObserver {
  /** A rule starts (for one service, or the repository when `service` is null). */
  onRule?(rule: string, service: string | null): void;
}

/**
 * Runs every rule on the services in scope and derives the checklist and conclusion.
 * A read the snapshot could not do (SnapshotReadError) aborts the whole check
 * with that error: it is the source failing, not the rule, and reporting it
 * per rule would pass an outage off as findings.
 */

export async function runChecks(options: CheckOptions): Promise<CheckReport> {
  const { snapshot, config, rules } = options;
  const scope = await computeScope(snapshot, config);
  await snapshot.prefetch?.(filesToPrefetch(snapshot, config, scope));
  const observer = options.observer ?? {};
  const ctx = new RepoContext(snapshot, config, scope.services, scope.allServices, scope.deletedServices, observer);
  const findings: EngineFinding[] = [];
  const ruleRuns: RuleRun[] = [];

  const runOne = async (rule: Rule, service: string | null, invoke: (report: (r: Report<any>) => void) => void | Promise<void>) => {
    const severity = effectiveSeverity(config, rule.meta.id, rule.meta.defaultSeverity);
    if (severity === "off") {
      ruleRuns.push({ rule: rule.meta.id, service, severity, errors: 0, warnings: 0, notices: 0 });
      return;
    }
    const own: EngineFinding[] = [];
    let crashed: string | undefined;
    observer.onRule?.(rule.meta.id, service);
    try {
      await invoke((r) => {
        const template = rule.meta.messages[r.messageId];
        own.push({
          rule: rule.meta.id,
          severity: softer(severity, r.severity),
          service: r.service === undefined ? service : r.service,
          path: r.path,
          ...(r.line !== undefined ? { line: r.line } : {}),
          ...(r.column !== undefined ? { column: r.column } : {}),
          message: template === undefined ? r.messageId : formatMessage(template, r.data),
          messageId: r.messageId,
        });
      });
    } catch (error) {
      if (error instanceof SnapshotReadError) throw error;
      crashed = error instanceof Error ? error.message : String(error);
      own.push({
        rule: rule.meta.id,
        severity: "error",
        service,
        path: service ? `${config.services_dir}/${service}` : ".",
        message: `The rule could not finish (internal error: ${crashed}). Run the check again (on a pull request: /recheck or the Re-run button); if it persists, report it to the platform team.`,
        messageId: "internalError",
      });
    }
    findings.push(...own);
    ruleRuns.push({ rule: rule.meta.id, service, severity, ...count(own), ...(crashed ? { crashed } : {}) });
  };

  for (const rule of rules) {
    if (rule.kind === "repo") {
      await runOne(rule, null, (report) => rule.check(ctx, report));
    } else {
      for (const service of scope.services) {
        await runOne(rule, service.name, (report) => rule.check(ctx.forService(service), report));
      }
    }
  }

  const statuses = await Promise.all(scope.services.map((s) => serviceStatus(snapshot, ctx, s)));
  const limited = inputLimitFindings(ctx, config);
  if (limited.length > 0) ruleRuns.push({ rule: inputLimitsMeta.id, service: null, severity: "error", ...count(limited) });
  const unchecked = scope.uncheckable.map((folder) => uncheckableFinding(folder, config));
  if (unchecked.length > 0) ruleRuns.push({ rule: serviceFoldersMeta.id, service: null, severity: "error", ...count(unchecked) });
  const report: CheckReport = {
    conclusion: "success",
    services: scope.services.map((s) => s.name),
    deletedServices: scope.deletedServices,
    findings: sortFindings([...findings, ...limited, ...unchecked]),
    ruleRuns,
    checklists: [],
  };
  return applyReadiness(report, statuses, config, options.manualTicks);
}

/**
 * (Re-)evaluates the production-readiness rule from a report's other findings
 * and the manual ticks. The bot calls this alone when a box is ticked, so it
 * never re-fetches code for a tick.
 */
export function applyReadiness(
  report: CheckReport,
  statuses: readonly ServiceStatus[],
  config: Config,
  ticks?: ManualTicks,
): CheckReport {
  const others = report.findings.filter((f) => f.rule !== readinessMeta.id);
  const otherRuns = report.ruleRuns.filter((r) => r.rule !== readinessMeta.id);
  const checklists = buildChecklists(statuses, others, config, ticks);
  const severity = effectiveSeverity(config, readinessMeta.id, readinessMeta.defaultSeverity);
  const readiness: EngineFinding[] =
    severity === "off"
      ? []
      : evaluateReadiness(checklists).map((f) => ({
          rule: readinessMeta.id,
          severity,
          service: f.service,
          path: f.path,
          ...(f.line !== undefined ? { line: f.line, column: f.column ?? 1 } : {}),
          message: formatMessage(readinessMeta.messages[f.messageId], f.data),
          messageId: f.messageId,
        }));
  const readinessRuns: RuleRun[] = checklists.map((c) => ({
    rule: readinessMeta.id,
    service: c.service,
    severity,
    ...count(readiness.filter((f) => f.service === c.service)),
  }));
  const findings = sortFindings([...others, ...readiness]);
  return {
    ...report,
    findings,
    ruleRuns: [...otherRuns, ...readinessRuns],
    checklists,
    conclusion: findings.some((f) => f.severity === "error") ? "failure" : "success",
  };
}

async function serviceStatus(snapshot: RepoSnapshot, ctx: RepoContext, service: ServiceInfo): Promise<ServiceStatus> {
  const path = `${service.dir}/service.yaml`;
  const head = await ctx.descriptor(service);
  const baseText = await snapshot.readBaseFile(path);
  // The base is bounded like the head: over the YAML size limit it is not parsed.
  const base = parseServiceDescriptor(path, baseText !== undefined && sizeProblem(path, baseText) ? undefined : baseText);
  const statusOf = (data: Record<string, unknown> | undefined) =>
    typeof data?.["status"] === "string" ? (data["status"] as string) : undefined;
  const contracts = head.data?.["contracts"] as Record<string, unknown> | undefined;
  const published = contracts?.["events_published"];
  return {
    statusAt: head.data?.["status"] !== undefined ? { path, ...head.valuePositionOf(["status"]) } : { path },
    service: service.name,
    // Checking the whole tree (no pull request) promotes nothing.
    statusBefore: snapshot.changedFiles === undefined ? statusOf(head.data) : statusOf(base.data),
    statusAfter: statusOf(head.data),
    publishesEvents: Array.isArray(published) && published.length > 0,
  };
}

/** Files the engine would not read or analyse: a notice when too large (the choice), an error when too deep. */
function inputLimitFindings(ctx: RepoContext, config: Config): EngineFinding[] {
  return ctx.inputLimitFindings().map((f) => ({
    rule: inputLimitsMeta.id,
    severity: f.messageId === "tooLarge" ? "notice" : "error",
    service: serviceFolderOf(f.path, config) ?? null,
    path: f.path,
    message: formatMessage(inputLimitsMeta.messages[f.messageId], f.data),
    messageId: f.messageId,
  }));
}

function uncheckableFinding(folder: UncheckableFolder, config: Config): EngineFinding {
  return {
    rule: serviceFoldersMeta.id,
    severity: "error",
    service: null,
    path: folder.dir,
    message: formatMessage(serviceFoldersMeta.messages[folder.kind], { dir: folder.dir, servicesDir: config.services_dir }),
    messageId: folder.kind,
  };
}

export function effectiveSeverity(config: Config, ruleId: string, fallback: Severity): ConfiguredSeverity {
  return config.rules[ruleId] ?? fallback;
}

/** A rule may soften its own finding below its configured severity, never raise it. */
function softer(configured: Severity, requested: Severity | undefined): Severity {
  if (!requested) return configured;
  return SEVERITY_RANK[requested] < SEVERITY_RANK[configured] ? requested : configured;
}

function count(findings: readonly Finding[]) {
  return {
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
    notices: findings.filter((f) => f.severity === "notice").length,
  };
}

function sortFindings(findings: EngineFinding[]): EngineFinding[] {
  return [...findings].sort(
    (a, b) =>
      (a.service ?? "").localeCompare(b.service ?? "") ||
      a.path.localeCompare(b.path) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.rule.localeCompare(b.rule),
  );
}
