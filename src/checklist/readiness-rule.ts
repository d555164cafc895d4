import type { RuleMeta } from "../engine/rule.js";
import type { ServiceChecklist } from "./checklist.js";

/**
 * `production-readiness-checklist` runs after every other rule, from the
 * checklists they produced: it is re-evaluated alone when a person ticks a box.
 */
export const readinessMeta = {
  id: "production-readiness-checklist",
  defaultSeverity: "error",
  title: "A service promoted to stable has every production-readiness box ticked",
  messages: {
    unticked:
      "{{service}} is promoted to {{status}}, but {{count}} checklist item(s) are not ticked: {{items}}. Auto items tick themselves when their rules pass; tick manual items in the platform-checks comment on the pull request.",
  },
} as const satisfies RuleMeta;

export interface ReadinessFinding {
  service: string;
  path: string;
  line?: number;
  column?: number;
  messageId: keyof typeof readinessMeta.messages;
  data: Record<string, string | number>;
}

export function evaluateReadiness(checklists: readonly ServiceChecklist[]): ReadinessFinding[] {
  return checklists
    .filter((c) => c.gated)
    .flatMap((c) => {
      const open = c.items.filter((i) => !i.checked);
      if (open.length === 0) return [];
      return [
        {
          service: c.service,
          ...c.statusAt,
          messageId: "unticked" as const,
          data: {
            service: c.service,
            status: c.statusAfter ?? "",
            count: open.length,
            items: open.map((i) => `"${i.label}" (${i.kind})`).join(", "),
          },
        },
      ];
    });
}
