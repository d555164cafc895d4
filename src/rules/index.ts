import type { Rule } from "../engine/rule.js";
import serviceYamlRequired from "./service-yaml-required.js";
import serviceYamlSchema from "./service-yaml-schema.js";
import serviceNameConsistent from "./service-name-consistent.js";
import templatePlaceholdersReplaced from "./template-placeholders-replaced.js";
import ownerInCodeowners from "./owner-in-codeowners.js";
import migrationBrandIdRequired from "./migration-brand-id-required.js";
import schemasOwnedMatch from "./schemas-owned-match.js";
import repositoryClassRequired from "./repository-class-required.js";
import repositoryBrandFilter from "./repository-brand-filter.js";
import serviceClassRequired from "./service-class-required.js";
import requireScopeEnforcement from "./require-scope-enforcement.js";
import openapiRouteTyped from "./openapi-route-typed.js";
import openapiDrift from "./openapi-drift.js";
import sdkDrift from "./sdk-drift.js";
import healthEndpointRequired from "./health-endpoint-required.js";
import eventRegistered from "./event-registered.js";
import eventsPublishedDeclared from "./events-published-declared.js";
import eventHandlerFileRequired from "./event-handler-file-required.js";
import publishInTransaction from "./publish-in-transaction.js";
import eventNameConstant from "./event-name-constant.js";
import infraFragmentRequired from "./infra-fragment-required.js";
import infraRegistered from "./infra-registered.js";
import infraScalingDeclared from "./infra-scaling-declared.js";
import serviceRunbookRequired from "./service-runbook-required.js";
import serviceReadmeRequired from "./service-readme-required.js";
import docsDeadLinks from "./docs-dead-links.js";
import crossLinkAudit from "./cross-link-audit.js";
import servicePageDrift from "./service-page-drift.js";
import aiOverviewStaleness from "./ai-overview-staleness.js";
import testBucketsRequired from "./test-buckets-required.js";
import changesetRequired from "./changeset-required.js";
import changesetValid from "./changeset-valid.js";

/** Every rule but production-readiness-checklist (which runs after these, see checklist/), in SPEC order. */
export const RULES: readonly Rule[] = [
  serviceYamlRequired,
  serviceYamlSchema,
  serviceNameConsistent,
  templatePlaceholdersReplaced,
  ownerInCodeowners,
  migrationBrandIdRequired,
  schemasOwnedMatch,
  repositoryClassRequired,
  repositoryBrandFilter,
  serviceClassRequired,
  requireScopeEnforcement,
  openapiRouteTyped,
  openapiDrift,
  sdkDrift,
  healthEndpointRequired,
  eventRegistered,
  eventsPublishedDeclared,
  eventHandlerFileRequired,
  publishInTransaction,
  eventNameConstant,
  infraFragmentRequired,
  infraRegistered,
  infraScalingDeclared,
  serviceRunbookRequired,
  serviceReadmeRequired,
  docsDeadLinks,
  crossLinkAudit,
  servicePageDrift,
  aiOverviewStaleness,
  testBucketsRequired,
  changesetRequired,
  changesetValid,
];

/** Every rule id, including the readiness rule: valid keys of the `rules:` config map. */
export const RULE_IDS: ReadonlySet<string> = new Set([...RULES.map((r) => r.meta.id), "production-readiness-checklist"]);
