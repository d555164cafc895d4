export { EVENT_SCHEMAS, type EventName } from "./registry";
export { EVENT_NAMES } from "./event-names";
