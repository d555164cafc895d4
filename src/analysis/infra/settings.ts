import ts from "typescript";
import type { ServiceContext } from "../../engine/context.js";
import { memberKey, returnedValues } from "../ts/static-objects.js";
import { locationOf, repoPathOf, type Location } from "../ts/location.js";
import { importedFile } from "../ts/program.js";
import { constructText, isFunctionLike, isNothing, unwrap } from "../ts/syntax.js";
import { bindArguments, functionOf, valueOf as constantValue, type Substitution } from "../ts/values.js";
import { infraSourceFile } from "./fragment.js";
import { forEachDescendant } from "../ts/walk.js";

/**
 * What a service's `infra.ts` declares for scaling, linked resources and
 * health checks (guide step 6). Properties are read in infra.ts and in the
 * repository files it imports values from; values are followed through
 * constants and helper functions anywhere in the repository.
 */

/** A string value found in the fragment, with where it is. */
export interface InfraString extends Location {
  value: string;
}

/** A construct this analysis cannot read statically, named as written. */
export interface InfraUndecidable extends Location {
  construct: string;
}

const at = (node: ts.Node): Location => locationOf(node);
/**
 * A value as written: names of constants followed (here or in other repository
 * files), and calls of repository helpers that return one value followed into
 * it. Member accesses (`SCALING[stage].min`) are left to the per-stage reading.
 */
function valueOf(node: ts.Node): ts.Node {
  return follow(node, NO_SUBSTITUTION).node;
}

/**
 * {@link valueOf} that also binds a helper's parameters to the arguments of the
 * call it follows (`health: httpHealth("/healthz")` where `httpHealth = (path) => ({ … path … })`),
 * returning the bindings in force for the expression it arrives at.
 */
function follow(node: ts.Node, subst: Substitution): { node: ts.Node; subst: Substitution } {
  let current = unwrap(node);
  let bindings = subst;
  for (let hop = 0; hop < 12; hop++) {
    if (ts.isIdentifier(current)) {
      const next = constantValue(current, bindings);
      if (!next) break;
      current = unwrap(next);
    } else if (ts.isCallExpression(current)) {
      const fn = functionOf(current.expression);
      const returned = returnedValues(current);
      if (!fn || returned?.length !== 1) break;
      bindings = bindArguments(fn, current.arguments, bindings);
      current = unwrap(returned[0]!);
    } else break;
  }
  return { node: current, subst: bindings };
}

const NO_SUBSTITUTION: Substitution = () => undefined;

// ---------------------------------------------------------------------------
// Properties named `scaling`, `link`, `health`

/** Every `name: value` / shorthand `name` property in the files, with its value. */
function propertiesNamed(files: readonly ts.SourceFile[], name: string): { prop: ts.Node; value: ts.Node }[] {
  const out: { prop: ts.Node; value: ts.Node }[] = [];
  for (const file of files) {
    for (const prop of propertiesIn(file)) {
      if (memberKey(prop) !== name) continue;
      const value = propertyValue(prop);
      if (value) out.push({ prop, value });
    }
  }
  return out;
}

const propertiesByFile = new WeakMap<ts.SourceFile, readonly ts.Node[]>();

/**
 * A file's `name: value` properties in document order, then its shorthand
 * ones: walked once for the three settings read from it.
 */
function propertiesIn(file: ts.SourceFile): readonly ts.Node[] {
  let props = propertiesByFile.get(file);
  if (!props) {
    const assignments: ts.Node[] = [];
    const shorthands: ts.Node[] = [];
    forEachDescendant(file, (node) => {
      if (node.kind === ts.SyntaxKind.PropertyAssignment) assignments.push(node);
      else if (node.kind === ts.SyntaxKind.ShorthandPropertyAssignment) shorthands.push(node);
    });
    props = [...assignments, ...shorthands];
    propertiesByFile.set(file, props);
  }
  return props;
}

/**
 * `infra.ts` and the repository files it imports values from, transitively
 * (the service's `./infra/scaling.ts`, a platform helper such as
 * `infra/platform-service.ts` that links the alarm topic for every service),
 * each once, infra.ts first; other services' files are left out. Undefined
 * when infra.ts does not exist.
 */
export function infraFiles(ctx: ServiceContext): Promise<ts.SourceFile[] | undefined> {
  return ctx.memo("infra:files", async () => {
    const root = await infraSourceFile(ctx);
    if (!root) return undefined;
    const files = [root];
    for (let i = 0; i < files.length && files.length < 20; i++) {
      for (const decl of files[i]!.statements) {
        if (!ts.isImportDeclaration(decl) || decl.importClause?.isTypeOnly) continue;
        const target = importedFile(decl);
        const path = target && repoPathOf(target);
        // Another service's files are not this service's settings.
        const otherService = path?.startsWith(`${ctx.config.services_dir}/`) && !path.startsWith(`${ctx.service.dir}/`);
        if (target && !otherService && !files.includes(target)) files.push(target);
      }
    }
    return files;
  });
}

// --- health ---

export interface InfraHealthChecks {
  paths: InfraString[];
  /** Health paths written so that they cannot be read (`path: buildPath()`). */
  undecidable: InfraUndecidable[];
  /** `health` properties found (whether or not they hold a path). */
  healthProperties: Location[];
  /**
   * `loadBalancer` properties whose object has no `health` member: the load
   * balancer then probes `/`, the AWS default, whatever the container's own
   * health command checks.
   */
  loadBalancersWithoutHealth: Location[];
}

/**
 * The health checks `infra.ts` declares: `path` values under a `health`
 * property (`loadBalancer.health: { "8080/http": { path: "/healthz" } }`,
 * `health: { path: "/healthz" }`), a string given as `health: "/healthz"`, and
 * the URL path of a container health command (`curl -f http://localhost:8080/healthz`).
 * Local constants are followed. Undefined when the file does not exist.
 */
export function infraHealthChecks(ctx: ServiceContext): Promise<InfraHealthChecks | undefined> {
  return ctx.memo("infra:health", async () => {
    const files = await infraFiles(ctx);
    if (!files) return undefined;
    const result: InfraHealthChecks = { paths: [], undecidable: [], healthProperties: [], loadBalancersWithoutHealth: [] };
    for (const { prop, value } of propertiesNamed(files, "health")) {
      result.healthProperties.push(at(prop));
      collectHealth(value, result, 0);
    }
    for (const { prop, value } of propertiesNamed(files, "loadBalancer")) {
      // Only an object this check can read to its end: a spread or helper it cannot see into may hold the health check.
      const object = valueOf(value);
      // A network load balancer (`"80/tcp"` rules) checks the port, not a path.
      const http = ts.isObjectLiteralExpression(object) && /\/https?\b/.test(object.getText());
      if (http && memberOf(object, "health").kind === "missing") result.loadBalancersWithoutHealth.push(at(prop));
    }
    return result;
  });
}

function collectHealth(expr: ts.Node, out: InfraHealthChecks, depth: number, subst: Substitution = NO_SUBSTITUTION): void {
  if (depth > 6) return;
  const { node: value, subst: bindings } = follow(expr, subst);
  const text = literalText(value);
  if (text !== undefined) {
    const path = healthPathIn(text);
    if (path !== undefined) out.paths.push({ value: path, ...at(value) });
    return;
  }
  if (ts.isTemplateExpression(value)) {
    // `http://localhost:${PORT}/healthz`: substitutions in the host and port do not change the path.
    const path = healthPathIn([value.head.text, ...value.templateSpans.map((span) => `${SUBSTITUTION}${span.literal.text}`)].join(""));
    if (path?.includes(SUBSTITUTION)) out.undecidable.push({ construct: constructText(value), ...at(value) });
    else if (path !== undefined) out.paths.push({ value: path, ...at(value) });
    return;
  }
  if (ts.isObjectLiteralExpression(value)) {
    for (const prop of value.properties) {
      if (ts.isSpreadAssignment(prop)) {
        collectHealth(prop.expression, out, depth + 1, bindings);
        continue;
      }
      const inner = propertyValue(prop);
      if (!inner) continue;
      const name = memberKey(prop);
      if (name === "path") {
        const resolved = follow(inner, bindings).node;
        const literal = literalText(resolved);
        if (literal !== undefined) out.paths.push({ value: literal, ...at(resolved) });
        else out.undecidable.push({ construct: constructText(prop), ...at(prop) });
      } else if (name === "command" || ts.isObjectLiteralExpression(follow(inner, bindings).node) || name === undefined) {
        collectHealth(inner, out, depth + 1, bindings);
      }
    }
    return;
  }
  if (ts.isArrayLiteralExpression(value)) {
    for (const element of value.elements) collectHealth(element, out, depth + 1, bindings);
  }
}

/** Stands for a template substitution while a health command is read. */
const SUBSTITUTION = "\u0000";

/**
 * A health path in a string: the string itself when it is a path, or the path
 * of the URL a health command probes: `http://localhost:8080/healthz`, or
 * without a scheme `localhost:8080/healthz` (curl's default); `/` when the URL
 * has none.
 */
function healthPathIn(text: string): string | undefined {
  if (text.startsWith("/")) return text;
  const url = /(?:https?:\/\/[^\s/'"]+|(?<![\w.-])(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::[^\s/'"]+)?)(\/[^\s'"|&;]*)?/.exec(text);
  if (!url) return undefined;
  // `http://localhost:8080${path}`: a substitution ending the host may be the path.
  return url[1] ?? (url[0].includes(SUBSTITUTION) ? SUBSTITUTION : "/");
}

/**
 * The health-check paths declared in `infra.ts`, with their positions
 * (see infraHealthChecks). Undefined when the file does not exist.
 */
export async function infraHealthPaths(ctx: ServiceContext): Promise<InfraString[] | undefined> {
  return (await infraHealthChecks(ctx))?.paths;
}

// --- links ---

export interface InfraLinks {
  /** `link` properties found. */
  linkProperties: Location[];
  /** A linked resource named like the alarm topic (`shared.alarmTopic`, `alarms`, `platformAlarmTopic`). */
  alarmTopic?: InfraString;
  /** Link entries that cannot be read (`...shared.links`, `link: links()`). */
  undecidable: InfraUndecidable[];
}

const ALARM_NAME = /alarm/i;

/** What the fragment links (`link: [shared.database, shared.alarmTopic]`), following local constants and spreads. */
export function infraLinks(ctx: ServiceContext): Promise<InfraLinks | undefined> {
  return ctx.memo("infra:links", async () => {
    const files = await infraFiles(ctx);
    if (!files) return undefined;
    const result: InfraLinks = { linkProperties: [], undecidable: [] };
    for (const { prop, value } of propertiesNamed(files, "link")) {
      result.linkProperties.push(at(prop));
      collectLinks(value, result, 0);
    }
    return result;
  });
}

function collectLinks(expr: ts.Node, out: InfraLinks, depth: number): void {
  const value = valueOf(expr);
  if (!ts.isArrayLiteralExpression(value) || depth > 5) {
    out.undecidable.push({ construct: constructText(expr), ...at(expr) });
    return;
  }
  for (const element of value.elements) {
    if (ts.isSpreadElement(element)) {
      // A spread of a local array is followed; anything else is named as written (`...shared.links`).
      if (ts.isArrayLiteralExpression(valueOf(element.expression))) collectLinks(element.expression, out, depth + 1);
      else out.undecidable.push({ construct: constructText(element), ...at(element) });
      continue;
    }
    const name = resourceName(element);
    if (name !== undefined && ALARM_NAME.test(name)) out.alarmTopic ??= { value: constructText(element), ...at(element) };
  }
}

/** The name a linked resource goes by: `alarmTopic`, `shared.alarmTopic`, `shared["alarmTopic"]`, `topics.alarms()`. */
function resourceName(expr: ts.Node): string | undefined {
  let node = unwrap(expr);
  // `topics.alarms()` goes by its callee's name.
  while (ts.isCallExpression(node)) node = unwrap(node.expression);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node)) return literalText(node.argumentExpression);
  return undefined;
}

// --- scaling ---

/** The stages every per-stage setting must cover (guide step 11–12: dev, staging, prod). */
export const STAGES = ["dev", "staging", "production"] as const;
const STAGE_ALIASES: Record<string, readonly string[]> = { dev: ["dev", "development"], staging: ["staging", "stage"], production: ["production", "prod"] };

export type ScalingProblem =
  /** No `scaling` property in the file. */
  | { kind: "missing" }
  /** A scaling object without `min` or `max`. */
  | { kind: "keyMissing"; key: "min" | "max"; at: Location }
  /** A per-stage map without a stage, or a stage entry without min/max. */
  | { kind: "stageMissing"; stage: string; key?: "min" | "max"; map: string; at: Location }
  /** `min` above `max`, both plain numbers (`{ min: 3, max: 2 }`), for a stage's entry when `stage` is set. */
  | { kind: "inverted"; min: number; max: number; stage?: string; at: Location }
  /** A branch that gives no scaling at all (`production ? { … } : undefined`). */
  | { kind: "empty"; construct: string; at: Location }
  /** A value that cannot be read statically. */
  | { kind: "notStatic"; key?: "min" | "max"; construct: string; at: Location };

export interface InfraScaling {
  scalingProperties: Location[];
  problems: ScalingProblem[];
}

/**
 * Whether `infra.ts` sets scaling min and max for every stage: each `scaling`
 * value (an object, a per-stage conditional on `$app.stage`, a lookup into a
 * local per-stage map) must give numbers for both keys on every branch.
 */
export function infraScaling(ctx: ServiceContext): Promise<InfraScaling | undefined> {
  return ctx.memo("infra:scaling", async () => {
    const files = await infraFiles(ctx);
    if (!files) return undefined;
    // Task counts are a Service's; a database's `scaling` is in ACU (`new sst.aws.Aurora(…, { scaling: { min: "0.5 ACU" } })`).
    const found = propertiesNamed(files, "scaling").filter(({ prop }) => !inOtherConstruct(prop));
    scalingSteps = 0;
    const problems: ScalingProblem[] = [];
    if (found.length === 0) problems.push({ kind: "missing" });
    for (const { value } of found) {
      const objects = objectVariants(value, 0);
      problems.push(...objects.problems);
      for (const variant of objects.variants) {
        const min = numberOf(memberOf(variant.object, "min", 0, variant.subst, variant.spreads), variant.subst);
        const max = numberOf(memberOf(variant.object, "max", 0, variant.subst, variant.spreads), variant.subst);
        if (min !== undefined && max !== undefined && min > max) problems.push({ kind: "inverted", min, max, ...(variant.stage ? { stage: variant.stage } : {}), at: at(variant.object) });
        for (const key of ["min", "max"] as const) {
          const member = memberOf(variant.object, key, 0, variant.subst, variant.spreads);
          if (member.kind === "unknown") {
            problems.push({ kind: "notStatic", key, construct: member.construct, at: member.at });
          } else if (member.kind === "missing") {
            problems.push(
              variant.stage
                ? { kind: "stageMissing", stage: variant.stage, key, map: variant.map ?? "", at: at(variant.object) }
                : { kind: "keyMissing", key, at: at(supplierOf(variant)) },
            );
          } else {
            for (const p of numberProblems(member.value, 0, variant.subst)) problems.push(p.kind === "notStatic" ? { ...p, key } : p);
          }
        }
      }
    }
    return { scalingProperties: found.map((f) => at(f.prop)), problems: dedupe(problems) };
  });
}

/**
 * Values read for one service's scaling: helpers returning one value per
 * branch multiply the paths (a hostile `f` of 20 returns each calling `f`), so
 * the reading stops, undecided, past this many steps. The reading is
 * synchronous, so one counter serves each service in turn.
 */
const MAX_SCALING_STEPS = 1000;
let scalingSteps = 0;

/** Whether a property is written in the arguments of a construct other than a Service (`new sst.aws.Aurora(…)`). */
function inOtherConstruct(prop: ts.Node): boolean {
  for (let node = prop.parent; !ts.isSourceFile(node); node = node.parent) {
    if (isFunctionLike(node)) return false;
    if (ts.isNewExpression(node)) return !SERVICE_CONSTRUCT.test(node.expression.getText());
  }
  return false;
}

const SERVICE_CONSTRUCT = /(^|\.)Service$/;

interface Variant {
  object: ts.Node;
  /** The helper parameters bound where the object is written (see follow). */
  subst: Substitution;
  /** Set when the object is a stage's entry of a per-stage map. */
  stage?: string;
  map?: string;
  /** The variant chosen for each spread of the object whose value has several (`{ ...sizing() }`, sizing returning one object per case). */
  spreads?: ReadonlyMap<ts.Node, Variant>;
}

interface Variants {
  variants: Variant[];
  problems: ScalingProblem[];
}

/** The object literals an expression can evaluate to, branch by branch and stage by stage. */
function objectVariants(expr: ts.Node, depth: number, subst: Substitution = NO_SUBSTITUTION): Variants {
  if (depth > 8 || ++scalingSteps > MAX_SCALING_STEPS) return notStatic(expr);
  const { node, subst: bindings } = follow(expr, subst);
  if (ts.isObjectLiteralExpression(node)) return spreadVariants(node, depth, bindings);
  if (isNothing(node)) return { variants: [], problems: [{ kind: "empty", construct: constructText(node), at: at(node) }] };
  if (ts.isCallExpression(node)) {
    // A helper returning one object per branch (`switch (stage) { case "production": return { … }; … }`): every return is a variant.
    const fn = functionOf(node.expression);
    const returned = returnedValues(node);
    if (!fn || !returned || returned.length < 2) return notStatic(node);
    const called = bindArguments(fn, node.arguments, bindings);
    return returned.map((r) => objectVariants(r, depth + 1, called)).reduce(merge);
  }
  if (ts.isConditionalExpression(node)) return merge(objectVariants(node.whenTrue, depth + 1, bindings), objectVariants(node.whenFalse, depth + 1, bindings));
  if (ts.isBinaryExpression(node) && isFallbackOperator(node.operatorToken.kind)) {
    // `SCALING[stage] ?? DEFAULT`: a missing stage falls back to the right side.
    const right = objectVariants(node.right, depth + 1, bindings);
    const left = objectVariants(node.left, depth + 1, bindings);
    return merge({ variants: left.variants, problems: left.problems.filter((p) => p.kind !== "stageMissing") }, right);
  }
  if (ts.isElementAccessExpression(node) || ts.isPropertyAccessExpression(node)) {
    const key = ts.isPropertyAccessExpression(node) ? node.name.text : accessKey(node.argumentExpression, bindings);
    const base = objectVariants(node.expression, depth + 1, bindings);
    const out: Variants = { variants: [], problems: [...base.problems] };
    const argument = ts.isElementAccessExpression(node) ? node.argumentExpression : undefined;
    for (const variant of base.variants) {
      if (key !== undefined) {
        const member = memberOf(variant.object, key, 0, variant.subst, variant.spreads);
        if (member.kind === "present") {
          const inner = objectVariants(member.value, depth + 1, variant.subst);
          out.variants.push(...inner.variants.map((v) => ({ ...v, stage: v.stage ?? variant.stage, map: v.map ?? variant.map })));
          out.problems.push(...inner.problems);
        } else if (member.kind === "unknown") out.problems.push({ kind: "notStatic", construct: member.construct, at: member.at });
        else out.problems.push(variant.stage ? { kind: "stageMissing", stage: variant.stage, map: variant.map ?? "", at: at(variant.object) } : { kind: "notStatic", construct: constructText(node), at: at(node) });
      } else if (argument && mentionsStage(argument, 0, bindings)) {
        // A lookup by stage: every stage must have an entry.
        const mapName = constructText(node.expression, 40);
        for (const stage of STAGES) {
          const member = stageMember(variant.object, stage, variant.subst, variant.spreads);
          if (member.kind === "present") {
            const inner = objectVariants(member.value, depth + 1, variant.subst);
            out.variants.push(...inner.variants.map((v) => ({ ...v, stage: v.stage ?? stage, map: v.map ?? mapName })));
            out.problems.push(...inner.problems);
          } else if (member.kind === "unknown") out.problems.push({ kind: "notStatic", construct: member.construct, at: member.at });
          else out.problems.push({ kind: "stageMissing", stage, map: mapName, at: at(variant.object) });
        }
      } else {
        out.problems.push({ kind: "notStatic", construct: constructText(node), at: at(node) });
      }
    }
    return out;
  }
  // Named where the value is written (a helper's argument, a constant's initialiser).
  return notStatic(node);
}

/** The object a key missing from a variant should come from: the last spread variant chosen (`{ ...sizing() }` → the case sizing returns), else the object itself. */
function supplierOf(variant: Variant): ts.Node {
  const chosen = [...(variant.spreads?.values() ?? [])].at(-1);
  return chosen ? supplierOf(chosen) : variant.object;
}

/** An object literal once per combination of the variants of its spreads that have several (see Variant.spreads). */
function spreadVariants(object: ts.ObjectLiteralExpression, depth: number, subst: Substitution): Variants {
  let out: Variants = { variants: [{ object, subst }], problems: [] };
  for (const prop of object.properties) {
    if (!ts.isSpreadAssignment(prop) || ts.isObjectLiteralExpression(follow(prop.expression, subst).node)) continue;
    const inner = objectVariants(prop.expression, depth + 1, subst);
    // Unreadable spreads are named by memberOf, key by key.
    if (inner.variants.length === 0 || out.variants.length * inner.variants.length > 64) continue;
    out = {
      variants: out.variants.flatMap((v) => inner.variants.map((choice) => ({ ...v, spreads: new Map([...(v.spreads ?? []), [prop, choice]]) }))),
      problems: [...out.problems, ...inner.problems],
    };
  }
  return out;
}

function numberProblems(expr: ts.Node, depth: number, subst: Substitution = NO_SUBSTITUTION): ScalingProblem[] {
  if (depth > 8 || ++scalingSteps > MAX_SCALING_STEPS) return notStatic(expr).problems;
  const { node, subst: bindings } = follow(expr, subst);
  if (ts.isNumericLiteral(node)) return [];
  if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand)) return [];
  const returned = ts.isCallExpression(node) ? returnedValues(node) : undefined;
  const fn = ts.isCallExpression(node) && returned && returned.length > 1 ? functionOf(node.expression) : undefined;
  if (fn && ts.isCallExpression(node)) {
    // `min: minTasks()` returning one number per stage.
    const called = bindArguments(fn, node.arguments, bindings);
    return returned!.flatMap((r) => numberProblems(r, depth + 1, called));
  }
  if (ts.isConditionalExpression(node)) return [...numberProblems(node.whenTrue, depth + 1, bindings), ...numberProblems(node.whenFalse, depth + 1, bindings)];
  if (ts.isBinaryExpression(node) && isFallbackOperator(node.operatorToken.kind)) {
    const right = numberProblems(node.right, depth + 1, bindings);
    const left = numberProblems(node.left, depth + 1, bindings);
    return right.length === 0 ? [] : [...left.filter((p) => p.kind !== "stageMissing"), ...right];
  }
  if (ts.isElementAccessExpression(node) || ts.isPropertyAccessExpression(node)) {
    const key = ts.isPropertyAccessExpression(node) ? node.name.text : accessKey(node.argumentExpression, bindings);
    if (key === undefined) return notStatic(node).problems;
    const base = objectVariants(node.expression, depth + 1, bindings);
    const problems = [...base.problems];
    for (const variant of base.variants) {
      const member = memberOf(variant.object, key, 0, variant.subst, variant.spreads);
      if (member.kind === "present") problems.push(...numberProblems(member.value, depth + 1, variant.subst));
      else if (member.kind === "unknown") problems.push({ kind: "notStatic", construct: member.construct, at: member.at });
      else if (variant.stage && (key === "min" || key === "max")) problems.push({ kind: "stageMissing", stage: variant.stage, key, map: variant.map ?? "", at: at(variant.object) });
      else problems.push({ kind: "notStatic", construct: constructText(node), at: at(node) });
    }
    return problems;
  }
  return notStatic(node).problems;
}

/** A member's value when it is a plain number (after constants), else undefined. */
function numberOf(member: Member, subst: Substitution): number | undefined {
  if (member.kind !== "present") return undefined;
  const node = follow(member.value, subst).node;
  return ts.isNumericLiteral(node) ? Number(node.text) : undefined;
}

type Member = { kind: "present"; value: ts.Node } | { kind: "missing" } | { kind: "unknown"; construct: string; at: Location };

/** A member of an object literal, following spreads of local objects (later members win). */
function memberOf(object: ts.Node, key: string, depth = 0, subst: Substitution = NO_SUBSTITUTION, spreads?: ReadonlyMap<ts.Node, Variant>): Member {
  if (!ts.isObjectLiteralExpression(object)) return { kind: "missing" };
  let result: Member = { kind: "missing" };
  for (const prop of object.properties) {
    const chosen = spreads?.get(prop);
    if (chosen && depth < 5) {
      const nested = memberOf(chosen.object, key, depth + 1, chosen.subst, chosen.spreads);
      if (nested.kind !== "missing") result = nested;
      continue;
    }
    if (ts.isSpreadAssignment(prop)) {
      const inner = follow(prop.expression, subst);
      if (ts.isObjectLiteralExpression(inner.node) && depth < 5) {
        const nested = memberOf(inner.node, key, depth + 1, inner.subst);
        if (nested.kind !== "missing") result = nested;
      } else if (result.kind === "missing") result = { kind: "unknown", construct: constructText(prop), at: at(prop) };
      continue;
    }
    if (memberKey(prop) === key) {
      const value = propertyValue(prop);
      if (value) result = { kind: "present", value };
    }
  }
  return result;
}

function stageMember(object: ts.Node, stage: string, subst: Substitution, spreads?: ReadonlyMap<ts.Node, Variant>): Member {
  let unknown: Member | undefined;
  for (const alias of STAGE_ALIASES[stage] ?? [stage]) {
    const member = memberOf(object, alias, 0, subst, spreads);
    if (member.kind === "present") return member;
    if (member.kind === "unknown") unknown ??= member;
  }
  return unknown ?? { kind: "missing" };
}

function accessKey(arg: ts.Node, subst: Substitution): string | undefined {
  const value = follow(arg, subst).node;
  return literalText(value) ?? (ts.isNumericLiteral(value) ? value.text : undefined);
}

/** Whether an index expression is the stage (`$app.stage`, `stage`, `input.stage`, or a local const holding one). */
function mentionsStage(expr: ts.Node, depth: number, subst: Substitution): boolean {
  const node = unwrap(expr);
  if (/\bstage\b/i.test(node.getText())) return true;
  if (ts.isIdentifier(node) && depth < 3) {
    const init = constantValue(node, subst);
    return init !== undefined && mentionsStage(init, depth + 1, subst);
  }
  return false;
}

function isFallbackOperator(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken;
}

function notStatic(expr: ts.Node): Variants {
  return { variants: [], problems: [{ kind: "notStatic", construct: constructText(expr), at: at(expr) }] };
}

function merge(a: Variants, b: Variants): Variants {
  return { variants: [...a.variants, ...b.variants], problems: [...a.problems, ...b.problems] };
}

function dedupe(problems: ScalingProblem[]): ScalingProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    // A stage missing from a map is one problem, however many keys read through it.
    const key = p.kind === "stageMissing" ? `${p.kind}:${p.stage}:${p.key ?? ""}:${p.map}:${p.at.line}:${p.at.column}` : JSON.stringify(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The text of a string literal (after following constants), or undefined. */
function literalText(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  const value = valueOf(node);
  return ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value) ? value.text : undefined;
}

/** The expression of a property (`a: x` → x, shorthand `a` → the identifier `a`). */
function propertyValue(prop: ts.Node): ts.Node | undefined {
  if (ts.isPropertyAssignment(prop)) return prop.initializer;
  if (ts.isShorthandPropertyAssignment(prop)) return prop.name;
  return undefined;
}
