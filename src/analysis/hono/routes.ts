/** What the route rules read: a service's routes, and how to match and describe them. */
export { describeRoute, routeUncertainty, type ExtractedRoute, type ScopeVerdict, type ServiceRoutes } from "./model.js";
export { openApiToHonoPath, patternMatchesPath } from "./paths.js";
export { serviceRoutes } from "./service-routes.js";
