import { describeUndecidable, EVENT_NAMES_PATH, eventContracts, eventNameOf } from "../analysis/events/contracts.js";
import { declaredEvents } from "../analysis/events/declared-events.js";
import { publishCalls } from "../analysis/events/publish-calls.js";
import { eventConstantName } from "../engine/names.js";
import { defineServiceRule } from "../engine/rule.js";

export default defineServiceRule({
  meta: {
    id: "events-published-declared",
    defaultSeverity: "error",
    title: "Every published event is declared in events_published",
    messages: {
      undeclared:
        "This call publishes `{{event}}`, but service.yaml `contracts.events_published` does not list it. Add `{{event}}` to events_published (guide step 5).",
      unknownConstant:
        "`EVENT_NAMES.{{constant}}` is not in {{eventNames}}. Register the event in packages/contracts/src/registry.ts and run `pnpm --filter @platform/contracts gen`, or use an existing constant.",
      eventNamesMissing:
        "This call uses `EVENT_NAMES.{{constant}}`, but {{eventNames}} does not exist. Run `pnpm --filter @platform/contracts gen` and commit the result.",
      constantNotDecidable:
        "Cannot tell statically which event `EVENT_NAMES.{{constant}}` is: EVENT_NAMES has entries this check cannot read ({{constructs}}).",
      unpublished:
        "`{{event}}` is listed in events_published, but no `publishEvent` call in src/ publishes it. Remove it from the list, or publish it with `publishEvent(EVENT_NAMES.{{constant}}, …, { tx })`.",
    },
  },
  async check(ctx, report) {
    const descriptor = await ctx.descriptor();
    const calls = await publishCalls(ctx);
    const declared = declaredEvents(descriptor, "events_published");
    const declaredNames = new Set(declared.map((d) => d.event));
    const published = new Set<string>();
    let undecidedCall = false;
    const contracts = calls.some((c) => c.events.some((e) => e.kind === "constant")) ? await eventContracts(ctx.repo) : undefined;

    for (const call of calls) {
      for (const argument of call.events) {
        let event: string | undefined;
        if (argument.kind === "constant") {
          const { constant } = argument;
          const names = contracts!.eventNames;
          event = argument.value ?? eventNameOf(contracts!, constant);
          if (event === undefined) {
            undecidedCall = true;
            const at = argument.at;
            if (!names.exists) report({ messageId: "eventNamesMissing", data: { constant, eventNames: EVENT_NAMES_PATH }, ...at });
            else if (names.undecidable.length > 0 || names.entries.has(constant)) {
              const parts = names.entries.has(constant)
                ? [{ ...names.entries.get(constant)!, construct: `${constant}: ${names.entries.get(constant)!.valueText}` }]
                : names.undecidable;
              report({ messageId: "constantNotDecidable", data: { constant, constructs: describeUndecidable(parts) }, severity: "warning", ...at });
            } else report({ messageId: "unknownConstant", data: { constant, eventNames: EVENT_NAMES_PATH }, ...at });
            continue;
          }
        } else if (argument.kind === "literal") {
          // event-name-constant reports the string itself; the event it names is still known.
          event = argument.value;
        } else {
          // event-name-constant warns about it; it might publish any declared event.
          undecidedCall = true;
          continue;
        }
        published.add(event);
        // An event a helper receives is reported where its caller names it.
        if (!declaredNames.has(event)) report({ messageId: "undeclared", data: { event }, ...(argument.through ? argument.at : call.at) });
      }
    }

    if (undecidedCall) return; // an unreadable call might publish any listed event: do not guess
    for (const entry of declared) {
      if (published.has(entry.event)) continue;
      report({
        messageId: "unpublished",
        data: { event: entry.event, constant: eventConstantName(entry.event) },
        severity: "warning",
        path: descriptor.path,
        ...descriptor.valuePositionOf(["contracts", entry.list, entry.index]),
      });
    }
  },
});
