import type { Config } from "../engine/config.js";
import type { Finding } from "../engine/types.js";

/** A checklist entry (SPEC section 5). Auto items are ticked from what the rules verified. */
export interface ChecklistItemDef {
  /** Stable id: the comment carries it so ticks survive rewrites. */
  id: string;
  label: string;
  kind: "auto" | "manual";
  /** Auto items: the item is ticked when none of these rules (optionally: these messages) reported an error. */
  verifiedBy?: readonly { rule: string; messageIds?: readonly string[] }[];
  /** Manual items shown only to services that publish events. */
  onlyIfPublishes?: boolean;
}

export const BUILTIN_ITEMS: readonly ChecklistItemDef[] = [
  {
    id: "service-yaml",
    label: "service.yaml complete and valid",
    kind: "auto",
    verifiedBy: [{ rule: "service-yaml-required" }, { rule: "service-yaml-schema" }, { rule: "service-name-consistent" }],
  },
  { id: "runbook", label: "RUNBOOK.md with alarms, dashboards, remediation", kind: "auto", verifiedBy: [{ rule: "service-runbook-required" }] },
  { id: "readme", label: "README.md with run-locally instructions", kind: "auto", verifiedBy: [{ rule: "service-readme-required" }] },
  { id: "healthz", label: "/healthz route wired in routes and infra", kind: "auto", verifiedBy: [{ rule: "health-endpoint-required" }] },
  {
    id: "scaling",
    label: "scaling min/max set for every stage",
    kind: "auto",
    verifiedBy: [{ rule: "infra-fragment-required" }, { rule: "infra-scaling-declared", messageIds: ["scalingMissing", "scalingStageMissing", "scalingInverted", "scalingNotStatic"] }],
  },
  {
    id: "alarm-topic",
    label: "alarm topic linked in infra",
    kind: "auto",
    verifiedBy: [{ rule: "infra-fragment-required" }, { rule: "infra-scaling-declared", messageIds: ["alarmTopicMissing"] }],
  },
  { id: "openapi-sdk", label: "OpenAPI and SDK committed, no drift", kind: "auto", verifiedBy: [{ rule: "openapi-drift" }, { rule: "sdk-drift" }] },
  { id: "scopes", label: "every route scope-protected", kind: "auto", verifiedBy: [{ rule: "require-scope-enforcement" }] },
  { id: "brand-scoped", label: "every table brand-scoped", kind: "auto", verifiedBy: [{ rule: "migration-brand-id-required" }] },
  { id: "tests", label: "unit, integration and conformance tests present", kind: "auto", verifiedBy: [{ rule: "test-buckets-required" }] },
  { id: "healthz-dev", label: "healthz returns 200 on the dev stage", kind: "manual" },
  { id: "smoke-test", label: "smoke test hit a real endpoint with a dev M2M token", kind: "manual" },
  { id: "alarms-routed", label: "alarms visible and routed in CloudWatch", kind: "manual" },
  { id: "event-round-trip", label: "event publish round-trip verified", kind: "manual", onlyIfPublishes: true },
  { id: "on-call", label: "on-call rotation has the runbook", kind: "manual" },
];

export interface ChecklistItem {
  id: string;
  label: string;
  kind: "auto" | "manual";
  checked: boolean;
}

/** What the engine knows of a service's lifecycle, for the checklist. */
export interface ServiceStatus {
  service: string;
  statusBefore: string | undefined;
  statusAfter: string | undefined;
  publishesEvents: boolean;
  /** Where the head `status:` sits, for the readiness finding. */
  statusAt: { path: string; line?: number; column?: number };
}

export interface ServiceChecklist extends ServiceStatus {
  /** The PR promotes the service to a gated status: every box must be ticked. */
  gated: boolean;
  items: ChecklistItem[];
}

/** Manual ticks by service, then by item id. */
export type ManualTicks = ReadonlyMap<string, ReadonlySet<string>>;

export function itemDefinitions(config: Pick<Config, "checklist_items">): ChecklistItemDef[] {
  const custom = config.checklist_items.map((label): ChecklistItemDef => ({ id: `custom-${slug(label)}`, label, kind: "manual" }));
  return [...BUILTIN_ITEMS, ...custom];
}

export function isGated(status: ServiceStatus, config: Pick<Config, "checklist_statuses">): boolean {
  const after = status.statusAfter;
  return after !== undefined && config.checklist_statuses.includes(after as never) && status.statusBefore !== after;
}

/**
 * Builds each service's checklist. An auto item is ticked when every rule that
 * verifies it ran (not `off`) and reported no error for that service; when all
 * of its rules are off the bot verified nothing, so it becomes a manual item.
 */
export function buildChecklists(
  statuses: readonly ServiceStatus[],
  findings: readonly (Finding & { messageId?: string })[],
  config: Pick<Config, "checklist_items" | "checklist_statuses" | "rules">,
  ticks: ManualTicks = new Map(),
): ServiceChecklist[] {
  const defs = itemDefinitions(config);
  return statuses.map((status) => {
    const ticked = ticks.get(status.service) ?? new Set<string>();
    const items = defs
      .filter((d) => !d.onlyIfPublishes || status.publishesEvents)
      .map((def): ChecklistItem => {
        const active = (def.verifiedBy ?? []).filter((v) => config.rules[v.rule] !== "off");
        if (def.kind === "manual" || active.length === 0) {
          return { id: def.id, label: def.label, kind: "manual", checked: ticked.has(def.id) };
        }
        const failed = findings.some(
          (f) =>
            f.service === status.service &&
            f.severity === "error" &&
            active.some((v) => v.rule === f.rule && (!v.messageIds || (f.messageId !== undefined && v.messageIds.includes(f.messageId)))),
        );
        return { id: def.id, label: def.label, kind: "auto", checked: !failed };
      });
    return { ...status, gated: isGated(status, config), items };
  });
}

function slug(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
}
