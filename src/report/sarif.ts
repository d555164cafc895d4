import { createHash } from "node:crypto";
import type { Config } from "../engine/config.js";
import { DEFAULT_DOCS_BASE_URL, docsUrl, type RuleMeta } from "../engine/rule.js";
import type { CheckReport } from "../engine/run.js";
import type { Finding, Severity } from "../engine/types.js";

/**
 * SARIF 2.1.0 (the OASIS standard that GitHub code scanning reads): one run
 * whose driver lists every rule with its doc page (`helpUri`, and the page
 * itself as `help` when given), so an alert shows the rule's documentation;
 * one result per finding. Paths are relative to the source root
 * (`%SRCROOT%`, the repository root for code scanning).
 */

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

export interface SarifOptions {
  /** Every rule that may report (their metadata becomes the driver's rule list). */
  rules: readonly Pick<RuleMeta, "id" | "title" | "defaultSeverity">[];
  config: Pick<Config, "rules" | "docs_base_url">;
  toolVersion: string;
  /** Prepended to each finding's path: where the checked folder sits in the repository (`monorepo/`), or "". */
  pathPrefix?: string;
  /** The rule's doc page (Markdown), shown by code scanning as the alert's help. */
  ruleHelp?: (ruleId: string) => string | undefined;
}

type SarifLevel = "error" | "warning" | "note" | "none";
const LEVEL: Record<Severity, SarifLevel> = { error: "error", warning: "warning", notice: "note" };

export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: SarifRun[];
}

interface SarifRun {
  tool: { driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: SarifRule[] } };
  automationDetails: { id: string };
  columnKind: "utf16CodeUnits";
  results: SarifResult[];
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri: string;
  help?: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel; enabled: boolean };
  properties: { tags: string[]; precision: "high" };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: [{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: "%SRCROOT%" }; region: { startLine: number; startColumn?: number } } }];
  partialFingerprints: Record<string, string>;
  properties?: { service: string };
}

export function renderSarif(report: Pick<CheckReport, "findings">, options: SarifOptions): string {
  return `${JSON.stringify(toSarif(report, options), null, 2)}\n`;
}

export function toSarif(report: Pick<CheckReport, "findings">, options: SarifOptions): SarifLog {
  const rules = options.rules.map((meta) => toSarifRule(meta, options));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  // A finding of a rule the list does not know (it should not happen) still gets a rule entry.
  for (const f of report.findings) {
    if (!index.has(f.rule)) {
      index.set(f.rule, rules.length);
      rules.push(toSarifRule({ id: f.rule, title: f.rule, defaultSeverity: f.severity }, options));
    }
  }
  const seen = new Map<string, number>();
  const results = report.findings.map((f) => toSarifResult(f, index.get(f.rule)!, seen, options.pathPrefix ?? ""));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "platform-checks",
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            // The folder of rule doc pages: what the tool checks, rule by rule.
            informationUri: (options.config.docs_base_url ?? DEFAULT_DOCS_BASE_URL).replace(/\/$/, ""),
            rules,
          },
        },
        // Code scanning keeps one set of alerts per category: this tool's.
        automationDetails: { id: "platform-checks/" },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
}

function toSarifRule(meta: Pick<RuleMeta, "id" | "title" | "defaultSeverity">, options: SarifOptions): SarifRule {
  const severity = options.config.rules[meta.id] ?? meta.defaultSeverity;
  const help = options.ruleHelp?.(meta.id);
  return {
    id: meta.id,
    name: meta.id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase()),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.title },
    helpUri: docsUrl(meta.id, options.config),
    ...(help !== undefined ? { help: { text: `${meta.title}. Documentation: ${docsUrl(meta.id, options.config)}`, markdown: help } } : {}),
    defaultConfiguration: severity === "off" ? { level: LEVEL[meta.defaultSeverity], enabled: false } : { level: LEVEL[severity], enabled: true },
    properties: { tags: ["platform-conventions"], precision: "high" },
  };
}

function toSarifResult(finding: Finding, ruleIndex: number, seen: Map<string, number>, pathPrefix: string): SarifResult {
  const uri = encodeUri(`${pathPrefix}${finding.path}`);
  // Stable across line moves: the rule, the file and the message, numbered when they repeat.
  const key = createHash("sha256").update(`${finding.rule}\0${finding.path}\0${finding.message}`).digest("hex").slice(0, 32);
  const occurrence = (seen.get(key) ?? 0) + 1;
  seen.set(key, occurrence);
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri, uriBaseId: "%SRCROOT%" },
          // Code scanning needs a line; a finding about a file as a whole sits on its first line, as in the check run.
          region: { startLine: finding.line ?? 1, ...(finding.line !== undefined && finding.column !== undefined ? { startColumn: finding.column } : {}) },
        },
      },
    ],
    partialFingerprints: { "platformChecksFinding/v1": `${key}:${occurrence}` },
    ...(finding.service !== null ? { properties: { service: finding.service } } : {}),
  };
}

/** A relative URI reference: each path segment percent-encoded (spaces, `#`, `?`, `%` in file names). */
function encodeUri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
