import type { Config } from "./config.js";
import type { RepoContext, ServiceContext } from "./context.js";
import type { Severity } from "./types.js";

export const DEFAULT_DOCS_BASE_URL = "https://github.com/loop-platform/platform-checks/blob/main/docs/rules";

/** Message templates by id; `{{name}}` placeholders are filled from the report's data. */
export type Messages = Record<string, string>;

export interface RuleMeta<M extends Messages = Messages> {
  /** Stable id: config keys, annotation titles and doc pages use it. */
  id: string;
  defaultSeverity: Severity;
  /** One line, shown in summaries. */
  title: string;
  messages: M;
}

/** What a rule hands to `report`: a message id from its meta plus where. */
export interface Report<M extends Messages> {
  messageId: keyof M & string;
  data?: Record<string, string | number>;
  path: string;
  line?: number;
  column?: number;
  /** Only to report something softer than the rule's default (unknown key, undecidable construct). */
  severity?: Severity;
  /** Overrides the service the rule runs for; `null` makes the finding repo-level. */
  service?: string | null;
}

export type ReportFn<M extends Messages> = (report: Report<M>) => void;

export interface ServiceRule<M extends Messages = Messages> {
  kind: "service";
  meta: RuleMeta<M>;
  /** Runs once per service in scope. */
  check(ctx: ServiceContext, report: ReportFn<M>): void | Promise<void>;
}

export interface RepoRule<M extends Messages = Messages> {
  kind: "repo";
  meta: RuleMeta<M>;
  /** Runs once per check, whatever the scope. */
  check(ctx: RepoContext, report: ReportFn<M>): void | Promise<void>;
}

export type Rule = ServiceRule<any> | RepoRule<any>;

export function defineServiceRule<M extends Messages>(rule: Omit<ServiceRule<M>, "kind">): ServiceRule<M> {
  return { kind: "service", ...rule };
}

export function defineRepoRule<M extends Messages>(rule: Omit<RepoRule<M>, "kind">): RepoRule<M> {
  return { kind: "repo", ...rule };
}

export function docsUrl(ruleId: string, config?: Pick<Config, "docs_base_url">): string {
  return `${(config?.docs_base_url ?? DEFAULT_DOCS_BASE_URL).replace(/\/$/, "")}/${ruleId}.md`;
}

export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}
