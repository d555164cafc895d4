import { hasContent, markdownAt, type MarkdownSection } from "../analysis/markdown.js";
import { defineServiceRule } from "../engine/rule.js";

/** The sections the guide's step 9 asks for, and how their headings may start ("## Alarms", "### 2. Dashboards & metrics"). */
const REQUIRED_SECTIONS = [
  { name: "Alarms", heading: /^alarms?\b/i },
  { name: "Dashboards", heading: /^dashboards?\b/i },
  { name: "Remediation", heading: /^remediation\b/i },
] as const;

export default defineServiceRule({
  meta: {
    id: "service-runbook-required",
    defaultSeverity: "error",
    title: "RUNBOOK.md has Alarms, Dashboards and Remediation sections",
    messages: {
      missing:
        "{{dir}}/RUNBOOK.md is missing. Add a runbook with `## Alarms`, `## Dashboards` and `## Remediation` sections (guide step 9; copy services/_template/RUNBOOK.md).",
      sectionMissing: "RUNBOOK.md has no `{{section}}` section. Add a `## {{section}}` heading with {{what}} under it.",
      sectionEmpty: "The `{{heading}}` section of RUNBOOK.md is empty. Write {{what}} under it.",
    },
  },
  async check(ctx, report) {
    const path = ctx.path("RUNBOOK.md");
    const doc = await markdownAt(ctx.repo, path);
    if (!doc) {
      report({ messageId: "missing", data: { dir: ctx.service.dir }, path });
      return;
    }
    for (const required of REQUIRED_SECTIONS) {
      const what = WHAT[required.name];
      const matching = doc.sections.filter((s) => required.heading.test(headingWords(s)));
      if (matching.length === 0) {
        // No heading to point at: the finding sits at the top of the runbook.
        report({ messageId: "sectionMissing", data: { section: required.name, what }, path, line: 1, column: 1 });
      } else if (!matching.some((s) => hasContent(s.content))) {
        report({ messageId: "sectionEmpty", data: { heading: matching[0]!.text, what }, path, ...matching[0]!.position });
      }
    }
  },
});

const WHAT: Record<(typeof REQUIRED_SECTIONS)[number]["name"], string> = {
  Alarms: "each alarm, what it means and who it pages",
  Dashboards: "links to the dashboards on-call should open",
  Remediation: "the steps that fix each alarm",
};

/** Heading text without leading numbering or punctuation ("1. Alarms" → "Alarms"). */
function headingWords(section: MarkdownSection): string {
  return section.text.replace(/^[^A-Za-z]+/, "");
}
