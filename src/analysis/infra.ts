import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import type { ServiceContext } from "../engine/context.js";
import { nodePosition } from "./imports.js";
import {
  constructText,
  findLocalConst,
  memberName,
  propertyValue,
  resolveLocalValue,
  stringLiteralValue,
  unwrapExpression,
} from "./local-constants.js";

/**
 * A service's SST fragment, `services/<name>/infra.ts` (guide step 6), read
 * syntactically: the exported `<camelName>` function, and what the file
 * declares for scaling, links and health checks.
 */

/** A position inside `infra.ts`. */
export interface InfraAt {
  line: number;
  column: number;
}

/** A string value found in a service's `infra.ts`, with where it is. */
export interface InfraString extends InfraAt {
  value: string;
}

/** A construct this analysis cannot read statically, named as written. */
export interface InfraUndecidable extends InfraAt {
  construct: string;
}

/** Repository-relative path of a service's SST fragment. */
export function infraPath(ctx: ServiceContext): string {
  return ctx.path("infra.ts");
}

/** The parsed `services/<name>/infra.ts`, or undefined when it does not exist. */
export function infraSourceFile(ctx: ServiceContext): Promise<SourceFile | undefined> {
  return ctx.sourceFile(infraPath(ctx));
}

const at = (node: Node): InfraAt => nodePosition(node);

// ---------------------------------------------------------------------------
// The exported fragment function

export interface InfraFragment {
  path: string;
  /** How `<camelName>` is exported, when it is. */
  fragment?:
    | { kind: "function"; at: InfraAt }
    /** `export { x as camel } from "./y"` or an imported binding re-exported: exported, body elsewhere. */
    | { kind: "foreign"; construct: string; at: InfraAt }
    /** Exported under the right name, but its value is not a function we can see (`export const x = make()`). */
    | { kind: "notFunction"; construct: string; at: InfraAt };
  /** A function named `<camelName>` that is declared but not exported. */
  unexported?: InfraAt;
  /** Functions (or consts) the file exports under other names, in source order. */
  otherExports: { name: string; at: InfraAt }[];
  /** `export default …`. */
  defaultExport?: InfraAt;
}

/** The fragment function of `infra.ts`; undefined when the file does not exist. */
export function infraFragment(ctx: ServiceContext): Promise<InfraFragment | undefined> {
  return ctx.memo("infra:fragment", async () => {
    const file = await infraSourceFile(ctx);
    if (!file) return undefined;
    return readFragment(file, infraPath(ctx), ctx.service.camelName);
  });
}

function isFunctionValue(node: Node | undefined): boolean {
  if (!node) return false;
  const value = resolveLocalValue(node);
  if (Node.isArrowFunction(value) || Node.isFunctionExpression(value)) return true;
  if (Node.isIdentifier(value)) return value.getSourceFile().getFunction(value.getText()) !== undefined;
  return false;
}

function readFragment(file: SourceFile, path: string, camel: string): InfraFragment {
  const result: InfraFragment = { path, otherExports: [] };
  const imported = new Set<string>();
  for (const decl of file.getImportDeclarations()) {
    for (const spec of decl.getNamedImports()) imported.add(spec.getAliasNode()?.getText() ?? spec.getName());
    const def = decl.getDefaultImport();
    if (def) imported.add(def.getText());
  }
  /** What a local name exported as `<camel>` is. */
  const local = (name: string, node: Node): InfraFragment["fragment"] => {
    if (imported.has(name)) return { kind: "foreign", construct: constructText(node), at: at(node) };
    if (file.getFunction(name)) return { kind: "function", at: at(node) };
    const decl = file.getVariableDeclaration(name);
    if (decl && isFunctionValue(decl.getInitializer())) return { kind: "function", at: at(node) };
    return { kind: "notFunction", construct: constructText(node), at: at(node) };
  };

  for (const stmt of file.getStatements()) {
    if (Node.isFunctionDeclaration(stmt)) {
      const name = stmt.getName();
      if (stmt.isDefaultExport()) result.defaultExport ??= at(stmt);
      else if (stmt.isExported() && name === camel) result.fragment ??= { kind: "function", at: at(stmt.getNameNode() ?? stmt) };
      else if (stmt.isExported() && name) result.otherExports.push({ name, at: at(stmt.getNameNode() ?? stmt) });
      else if (name === camel) result.unexported ??= at(stmt.getNameNode() ?? stmt);
    } else if (Node.isVariableStatement(stmt)) {
      for (const decl of stmt.getDeclarations()) {
        if (!Node.isIdentifier(decl.getNameNode())) continue;
        const name = decl.getName();
        const fn = isFunctionValue(decl.getInitializer());
        if (stmt.isExported() && name === camel) {
          result.fragment ??= fn ? { kind: "function", at: at(decl) } : { kind: "notFunction", construct: constructText(decl), at: at(decl) };
        } else if (stmt.isExported() && fn) result.otherExports.push({ name, at: at(decl) });
        else if (name === camel && fn) result.unexported ??= at(decl);
      }
    } else if (Node.isExportDeclaration(stmt) && !stmt.isTypeOnly()) {
      const from = stmt.getModuleSpecifierValue();
      for (const spec of stmt.getNamedExports()) {
        if (spec.isTypeOnly()) continue;
        const exported = spec.getAliasNode()?.getText() ?? spec.getName();
        if (exported === "default") {
          result.defaultExport ??= at(spec);
          continue;
        }
        if (exported !== camel) {
          if (from === undefined && local(spec.getName(), spec)?.kind === "function") result.otherExports.push({ name: exported, at: at(spec) });
          continue;
        }
        result.fragment ??= from !== undefined ? { kind: "foreign", construct: constructText(stmt), at: at(spec) } : local(spec.getName(), spec);
      }
    } else if (Node.isExportAssignment(stmt) && !stmt.isExportEquals()) {
      result.defaultExport ??= at(stmt);
    }
  }
  return result;
}

/** Where to point when something is missing from the fragment: the `new …Service(` call, else the fragment, else line 1. */
export async function infraAnchor(ctx: ServiceContext): Promise<InfraAt> {
  const file = await infraSourceFile(ctx);
  const service = file
    ?.getDescendantsOfKind(SyntaxKind.NewExpression)
    .find((n) => /(^|\.)Service$/.test(n.getExpression().getText()));
  if (service) return at(service);
  const fragment = await infraFragment(ctx);
  return fragment?.fragment?.at ?? { line: 1, column: 1 };
}

// ---------------------------------------------------------------------------
// Properties named `scaling`, `link`, `health`

/** Every `name: value` / shorthand `name` property in the file, with its value. */
function propertiesNamed(file: SourceFile, name: string): { prop: Node; value: Node }[] {
  const out: { prop: Node; value: Node }[] = [];
  for (const prop of [
    ...file.getDescendantsOfKind(SyntaxKind.PropertyAssignment),
    ...file.getDescendantsOfKind(SyntaxKind.ShorthandPropertyAssignment),
  ]) {
    if (memberName(prop) !== name) continue;
    const value = propertyValue(prop);
    if (value) out.push({ prop, value });
  }
  return out.sort((a, b) => a.prop.getStart() - b.prop.getStart());
}

// --- health ---

export interface InfraHealthChecks {
  paths: InfraString[];
  /** Health paths written so that they cannot be read (`path: buildPath()`). */
  undecidable: InfraUndecidable[];
  /** `health` properties found (whether or not they hold a path). */
  healthProperties: InfraAt[];
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
    const file = await infraSourceFile(ctx);
    if (!file) return undefined;
    const result: InfraHealthChecks = { paths: [], undecidable: [], healthProperties: [] };
    for (const { prop, value } of propertiesNamed(file, "health")) {
      result.healthProperties.push(at(prop));
      collectHealth(value, result, 0);
    }
    return result;
  });
}

function collectHealth(expr: Node, out: InfraHealthChecks, depth: number): void {
  if (depth > 6) return;
  const value = resolveLocalValue(expr);
  const text = stringLiteralValue(value);
  if (text !== undefined) {
    const path = healthPathIn(text);
    if (path !== undefined) out.paths.push({ value: path, ...at(value) });
    return;
  }
  if (Node.isObjectLiteralExpression(value)) {
    for (const prop of value.getProperties()) {
      if (Node.isSpreadAssignment(prop)) {
        collectHealth(prop.getExpression(), out, depth + 1);
        continue;
      }
      const inner = propertyValue(prop);
      if (!inner) continue;
      const name = memberName(prop);
      if (name === "path") {
        const resolved = resolveLocalValue(inner);
        const literal = stringLiteralValue(resolved);
        if (literal !== undefined) out.paths.push({ value: literal, ...at(resolved) });
        else out.undecidable.push({ construct: constructText(prop), ...at(prop) });
      } else if (name === "command" || Node.isObjectLiteralExpression(resolveLocalValue(inner)) || name === undefined) {
        collectHealth(inner, out, depth + 1);
      }
    }
    return;
  }
  if (Node.isArrayLiteralExpression(value)) {
    for (const element of value.getElements()) collectHealth(element, out, depth + 1);
  }
}

/** A health path in a string: the string itself when it is a path, or the path of an http(s) URL in it (a health command). */
function healthPathIn(text: string): string | undefined {
  if (text.startsWith("/")) return text;
  const url = /https?:\/\/[^\s/'"]+(\/[^\s'"|&;]*)/.exec(text);
  return url?.[1];
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
  linkProperties: InfraAt[];
  /** A linked resource named like the alarm topic (`shared.alarmTopic`, `alarms`, `platformAlarmTopic`). */
  alarmTopic?: InfraString;
  /** Link entries that cannot be read (`...shared.links`, `link: links()`). */
  undecidable: InfraUndecidable[];
}

const ALARM_NAME = /alarm/i;

/** What the fragment links (`link: [shared.database, shared.alarmTopic]`), following local constants and spreads. */
export function infraLinks(ctx: ServiceContext): Promise<InfraLinks | undefined> {
  return ctx.memo("infra:links", async () => {
    const file = await infraSourceFile(ctx);
    if (!file) return undefined;
    const result: InfraLinks = { linkProperties: [], undecidable: [] };
    for (const { prop, value } of propertiesNamed(file, "link")) {
      result.linkProperties.push(at(prop));
      collectLinks(value, result, 0);
    }
    return result;
  });
}

function collectLinks(expr: Node, out: InfraLinks, depth: number): void {
  const value = resolveLocalValue(expr);
  if (!Node.isArrayLiteralExpression(value) || depth > 5) {
    out.undecidable.push({ construct: constructText(expr), ...at(expr) });
    return;
  }
  for (const element of value.getElements()) {
    if (Node.isSpreadElement(element)) {
      // A spread of a local array is followed; anything else is named as written (`...shared.links`).
      if (Node.isArrayLiteralExpression(resolveLocalValue(element.getExpression()))) collectLinks(element.getExpression(), out, depth + 1);
      else out.undecidable.push({ construct: constructText(element), ...at(element) });
      continue;
    }
    const name = resourceName(element);
    if (name !== undefined && ALARM_NAME.test(name)) out.alarmTopic ??= { value: constructText(element), ...at(element) };
  }
}

/** The name a linked resource goes by: `alarmTopic`, `shared.alarmTopic`, `shared["alarmTopic"]`, `topics.alarms()`. */
function resourceName(expr: Node): string | undefined {
  const node = unwrapExpression(expr);
  if (Node.isIdentifier(node)) return node.getText();
  if (Node.isPropertyAccessExpression(node)) return node.getName();
  if (Node.isElementAccessExpression(node)) {
    const arg = node.getArgumentExpression();
    return arg ? stringLiteralValue(arg) : undefined;
  }
  if (Node.isCallExpression(node)) return resourceName(node.getExpression());
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
  | { kind: "keyMissing"; key: "min" | "max"; at: InfraAt }
  /** A per-stage map without a stage, or a stage entry without min/max. */
  | { kind: "stageMissing"; stage: string; key?: "min" | "max"; map: string; at: InfraAt }
  /** A value that cannot be read statically. */
  | { kind: "notStatic"; key?: "min" | "max"; construct: string; at: InfraAt };

export interface InfraScaling {
  scalingProperties: InfraAt[];
  problems: ScalingProblem[];
}

/**
 * Whether `infra.ts` sets scaling min and max for every stage: each `scaling`
 * value (an object, a per-stage conditional on `$app.stage`, a lookup into a
 * local per-stage map) must give numbers for both keys on every branch.
 */
export function infraScaling(ctx: ServiceContext): Promise<InfraScaling | undefined> {
  return ctx.memo("infra:scaling", async () => {
    const file = await infraSourceFile(ctx);
    if (!file) return undefined;
    const found = propertiesNamed(file, "scaling");
    const problems: ScalingProblem[] = [];
    if (found.length === 0) problems.push({ kind: "missing" });
    for (const { value } of found) {
      const objects = objectVariants(value, 0);
      problems.push(...objects.problems);
      for (const variant of objects.variants) {
        for (const key of ["min", "max"] as const) {
          const member = memberOf(variant.object, key);
          if (member.kind === "unknown") {
            problems.push({ kind: "notStatic", key, construct: member.construct, at: member.at });
          } else if (member.kind === "missing") {
            problems.push(
              variant.stage
                ? { kind: "stageMissing", stage: variant.stage, key, map: variant.map ?? "", at: at(variant.object) }
                : { kind: "keyMissing", key, at: at(variant.object) },
            );
          } else {
            for (const p of numberProblems(member.value, 0)) problems.push(p.kind === "notStatic" ? { ...p, key } : p);
          }
        }
      }
    }
    return { scalingProperties: found.map((f) => at(f.prop)), problems: dedupe(problems) };
  });
}

interface Variant {
  object: Node;
  /** Set when the object is a stage's entry of a per-stage map. */
  stage?: string;
  map?: string;
}

interface Variants {
  variants: Variant[];
  problems: ScalingProblem[];
}

/** The object literals an expression can evaluate to, branch by branch and stage by stage. */
function objectVariants(expr: Node, depth: number): Variants {
  const node = resolveLocalValue(expr);
  if (depth > 8) return notStatic(expr);
  if (Node.isObjectLiteralExpression(node)) return { variants: [{ object: node }], problems: [] };
  if (Node.isConditionalExpression(node)) return merge(objectVariants(node.getWhenTrue(), depth + 1), objectVariants(node.getWhenFalse(), depth + 1));
  if (Node.isBinaryExpression(node) && isFallbackOperator(node.getOperatorToken().getKind())) {
    // `SCALING[stage] ?? DEFAULT`: a missing stage falls back to the right side.
    const right = objectVariants(node.getRight(), depth + 1);
    const left = objectVariants(node.getLeft(), depth + 1);
    return merge({ variants: left.variants, problems: left.problems.filter((p) => p.kind !== "stageMissing") }, right);
  }
  if (Node.isElementAccessExpression(node) || Node.isPropertyAccessExpression(node)) {
    const key = Node.isPropertyAccessExpression(node) ? node.getName() : accessKey(node.getArgumentExpression());
    const base = objectVariants(node.getExpression(), depth + 1);
    const out: Variants = { variants: [], problems: [...base.problems] };
    const argument = Node.isElementAccessExpression(node) ? node.getArgumentExpression() : undefined;
    for (const variant of base.variants) {
      if (key !== undefined) {
        const member = memberOf(variant.object, key);
        if (member.kind === "present") {
          const inner = objectVariants(member.value, depth + 1);
          out.variants.push(...inner.variants.map((v) => ({ ...v, stage: v.stage ?? variant.stage, map: v.map ?? variant.map })));
          out.problems.push(...inner.problems);
        } else if (member.kind === "unknown") out.problems.push({ kind: "notStatic", construct: member.construct, at: member.at });
        else out.problems.push(variant.stage ? { kind: "stageMissing", stage: variant.stage, map: variant.map ?? "", at: at(variant.object) } : { kind: "notStatic", construct: constructText(node), at: at(node) });
      } else if (argument && mentionsStage(argument)) {
        // A lookup by stage: every stage must have an entry.
        const mapName = constructText(node.getExpression(), 40);
        for (const stage of STAGES) {
          const member = stageMember(variant.object, stage);
          if (member.kind === "present") {
            const inner = objectVariants(member.value, depth + 1);
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
  return notStatic(expr);
}

function numberProblems(expr: Node, depth: number): ScalingProblem[] {
  const node = resolveLocalValue(expr);
  if (depth > 8) return notStatic(expr).problems;
  if (Node.isNumericLiteral(node)) return [];
  if (Node.isPrefixUnaryExpression(node) && Node.isNumericLiteral(node.getOperand())) return [];
  if (Node.isConditionalExpression(node)) return [...numberProblems(node.getWhenTrue(), depth + 1), ...numberProblems(node.getWhenFalse(), depth + 1)];
  if (Node.isBinaryExpression(node) && isFallbackOperator(node.getOperatorToken().getKind())) {
    const right = numberProblems(node.getRight(), depth + 1);
    const left = numberProblems(node.getLeft(), depth + 1);
    return right.length === 0 ? [] : [...left.filter((p) => p.kind !== "stageMissing"), ...right];
  }
  if (Node.isElementAccessExpression(node) || Node.isPropertyAccessExpression(node)) {
    const key = Node.isPropertyAccessExpression(node) ? node.getName() : accessKey(node.getArgumentExpression());
    if (key === undefined) return notStatic(node).problems;
    const base = objectVariants(node.getExpression(), depth + 1);
    const problems = [...base.problems];
    for (const variant of base.variants) {
      const member = memberOf(variant.object, key);
      if (member.kind === "present") problems.push(...numberProblems(member.value, depth + 1));
      else if (member.kind === "unknown") problems.push({ kind: "notStatic", construct: member.construct, at: member.at });
      else if (variant.stage && (key === "min" || key === "max")) problems.push({ kind: "stageMissing", stage: variant.stage, key, map: variant.map ?? "", at: at(variant.object) });
      else problems.push({ kind: "notStatic", construct: constructText(node), at: at(node) });
    }
    return problems;
  }
  return notStatic(expr).problems;
}

type Member = { kind: "present"; value: Node } | { kind: "missing" } | { kind: "unknown"; construct: string; at: InfraAt };

/** A member of an object literal, following spreads of local objects (later members win). */
function memberOf(object: Node, key: string, depth = 0): Member {
  if (!Node.isObjectLiteralExpression(object)) return { kind: "missing" };
  let result: Member = { kind: "missing" };
  for (const prop of object.getProperties()) {
    if (Node.isSpreadAssignment(prop)) {
      const inner = resolveLocalValue(prop.getExpression());
      if (Node.isObjectLiteralExpression(inner) && depth < 5) {
        const nested = memberOf(inner, key, depth + 1);
        if (nested.kind !== "missing") result = nested;
      } else if (result.kind === "missing") result = { kind: "unknown", construct: constructText(prop), at: at(prop) };
      continue;
    }
    if (memberName(prop) === key) {
      const value = propertyValue(prop);
      if (value) result = { kind: "present", value };
    }
  }
  return result;
}

function stageMember(object: Node, stage: string): Member {
  let unknown: Member | undefined;
  for (const alias of STAGE_ALIASES[stage] ?? [stage]) {
    const member = memberOf(object, alias);
    if (member.kind === "present") return member;
    if (member.kind === "unknown") unknown ??= member;
  }
  return unknown ?? { kind: "missing" };
}

function accessKey(arg: Node | undefined): string | undefined {
  if (!arg) return undefined;
  const value = resolveLocalValue(arg);
  return stringLiteralValue(value) ?? (Node.isNumericLiteral(value) ? value.getLiteralText() : undefined);
}

/** Whether an index expression is the stage (`$app.stage`, `stage`, `input.stage`, or a local const holding one). */
function mentionsStage(expr: Node, depth = 0): boolean {
  const node = unwrapExpression(expr);
  if (/\bstage\b/i.test(node.getText())) return true;
  if (Node.isIdentifier(node) && depth < 3) {
    const init = findLocalConst(node, node.getText())?.getInitializer();
    return init !== undefined && mentionsStage(init, depth + 1);
  }
  return false;
}

function isFallbackOperator(kind: SyntaxKind): boolean {
  return kind === SyntaxKind.QuestionQuestionToken || kind === SyntaxKind.BarBarToken;
}

function notStatic(expr: Node): Variants {
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
