import { infraAnchor, infraPath } from "../analysis/infra/fragment.js";
import { infraHealthChecks, infraLinks, infraScaling, STAGES } from "../analysis/infra/settings.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "infra-scaling-declared",
    defaultSeverity: "error",
    title: "infra.ts sets scaling per stage, links the alarm topic and sets a health path",
    messages: {
      scalingMissing:
        "{{what}} Set `scaling: { min, max }` with the task counts per stage (guide step 6), e.g. `scaling: { min: production ? 2 : 1, max: production ? 4 : 2 }`.",
      scalingStageMissing: "{{what}} Every stage ({{stages}}) needs `min` and `max`.",
      scalingInverted:
        "`scaling` sets `min` {{min}} above `max` {{max}}{{stage}}: the deploy fails (a service cannot keep more tasks than its maximum). Set `min` at most `max`.",
      scalingNotStatic:
        "Cannot tell statically what `{{construct}}` is{{key}}. Write the scaling as numbers, a conditional on `$app.stage`, or a lookup into a local per-stage map.",
      alarmTopicMissing:
        "The service links no alarm topic. Add it to `link`, e.g. `link: [shared.database, shared.nats, shared.alarmTopic]` (guide step 6: resources linked … alarm topic).",
      linkNotStatic:
        "Cannot tell statically whether `{{construct}}` links the alarm topic. List `shared.alarmTopic` in the `link` array itself.",
      healthPathMissing:
        "infra.ts sets no health-check path. Add `health: { \"8080/http\": { path: \"/healthz\" } }` under `loadBalancer` (guide step 6: health endpoint paths).",
      healthPathNotStatic: "Cannot tell statically which health path `{{construct}}` sets. Write the path as a string literal, e.g. `path: \"/healthz\"`.",
    },
  },
  async check(ctx, report) {
    const path = infraPath(ctx);
    const [scaling, links, health] = await Promise.all([infraScaling(ctx), infraLinks(ctx), infraHealthChecks(ctx)]);
    if (!scaling || !links || !health) return; // infra-fragment-required reports the missing file
    const anchor = await infraAnchor(ctx);
    const stages = STAGES.join(", ");

    for (const problem of scaling.problems) {
      switch (problem.kind) {
        case "missing":
          report({ messageId: "scalingMissing", data: { what: "The service sets no `scaling`." }, path, ...anchor });
          break;
        case "keyMissing":
          report({ messageId: "scalingMissing", data: { what: `\`scaling\` has no \`${problem.key}\`.` }, ...problem.at });
          break;
        case "stageMissing": {
          const map = problem.map ? `\`${problem.map}\`` : "The scaling";
          const what = problem.key
            ? `${map} gives stage \`${problem.stage}\` no \`${problem.key}\`.`
            : `${map} has no entry for stage \`${problem.stage}\`.`;
          report({ messageId: "scalingStageMissing", data: { what, stages }, ...problem.at });
          break;
        }
        case "inverted":
          report({ messageId: "scalingInverted", data: { min: String(problem.min), max: String(problem.max), stage: problem.stage ? ` for stage \`${problem.stage}\`` : "" }, ...problem.at });
          break;
        case "empty":
          report({ messageId: "scalingStageMissing", data: { what: `\`scaling\` is \`${problem.construct}\` on a branch, so the stages it covers get no \`min\` or \`max\`.`, stages }, ...problem.at });
          break;
        case "notStatic":
          report({
            messageId: "scalingNotStatic",
            data: { construct: problem.construct, key: problem.key ? ` (scaling ${problem.key})` : "" },
            severity: "warning",
            ...problem.at,
          });
          break;
      }
    }

    if (!links.alarmTopic) {
      if (links.undecidable.length > 0) {
        for (const part of links.undecidable) report({ messageId: "linkNotStatic", data: { construct: part.construct }, severity: "warning", ...part });
      } else {
        report({ messageId: "alarmTopicMissing", path, ...(links.linkProperties[0] ?? anchor) });
      }
    }

    if (health.paths.length === 0) {
      if (health.undecidable.length > 0) {
        for (const part of health.undecidable) report({ messageId: "healthPathNotStatic", data: { construct: part.construct }, severity: "warning", ...part });
      } else {
        report({ messageId: "healthPathMissing", path, ...(health.healthProperties[0] ?? anchor) });
      }
    }
  },
});
