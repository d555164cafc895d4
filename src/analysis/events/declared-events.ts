import type { ServiceDescriptor } from "../../engine/service-descriptor.js";

/** An event a service declares in `service.yaml` (`contracts.events_published` / `events_consumed`). */
export interface DeclaredEvent {
  event: string;
  list: "events_published" | "events_consumed";
  /** Index in that list, for `descriptor.valuePositionOf(["contracts", list, index])`. */
  index: number;
}

/** The string entries of `events_published` then `events_consumed` (other shapes are service-yaml-schema's to report). */
export function declaredEvents(descriptor: ServiceDescriptor, only?: DeclaredEvent["list"]): DeclaredEvent[] {
  const contracts = descriptor.data?.["contracts"];
  if (!contracts || typeof contracts !== "object" || Array.isArray(contracts)) return [];
  const out: DeclaredEvent[] = [];
  for (const list of ["events_published", "events_consumed"] as const) {
    if (only && list !== only) continue;
    const items = (contracts as Record<string, unknown>)[list];
    if (!Array.isArray(items)) continue;
    items.forEach((event, index) => {
      if (typeof event === "string" && event.trim() !== "") out.push({ event, list, index });
    });
  }
  return out;
}
