import { LineCounter, parseDocument } from "yaml";
import { openApiDocument, parseOpenApi, serviceSpecPath, type OpenApiDocument } from "../analysis/openapi-document.js";
import { defineServiceRule } from "../engine/rule.js";
import type { Position } from "../engine/types.js";

/** Differences listed one by one before the rest are summarised, so a wholesale drift stays readable. */
const MAX_DIFFERENCES = 10;

export default defineServiceRule({
  meta: {
    id: "sdk-drift",
    defaultSeverity: "error",
    title: "The generated SDK exists, is named @platform/sdk-<name>, and carries the service's openapi.yaml",
    messages: {
      sdkMissing: "{{sdkDir}}/ does not exist. Generate the SDK with `pnpm sdk:gen` and commit it (guide step 7).",
      packageJsonMissing: "{{sdkDir}}/package.json does not exist. Regenerate the SDK with `pnpm sdk:gen` and commit it.",
      packageJsonInvalid: "{{path}} is not valid JSON ({{problem}}). Regenerate the SDK with `pnpm sdk:gen`.",
      wrongName: "The SDK package is named {{actual}}; it must be `{{expected}}`. Set `\"name\": \"{{expected}}\"` in {{path}}.",
      specCopyMissing: "{{sdkDir}}/openapi.yaml does not exist: the SDK must carry a copy of the spec it was generated from. Regenerate the SDK with `pnpm sdk:gen` and commit it.",
      specCopyUnparseable: "The SDK's copy of the spec is not valid YAML ({{problem}}). Regenerate the SDK with `pnpm sdk:gen`.",
      missingFromCopy: "`{{key}}` is missing from the SDK's copy of the spec ({{spec}} has it). Regenerate the SDK with `pnpm sdk:gen` and commit it.",
      extraInCopy: "`{{key}}` is in the SDK's copy of the spec but not in {{spec}}. Regenerate the SDK with `pnpm sdk:gen` and commit it.",
      valueDiffers: "`{{key}}` differs: {{serviceValue}} in {{spec}}, {{sdkValue}} in the SDK's copy. Regenerate the SDK with `pnpm sdk:gen` and commit it.",
      moreDifferences: "…and {{count}} more differences between {{spec}} and the SDK's copy. Regenerate the SDK with `pnpm sdk:gen` and commit it.",
    },
  },
  async check(ctx, report) {
    const sdkDir = `packages/sdk-${ctx.service.name}`;
    const expected = `@platform/sdk-${ctx.service.name}`;
    if (ctx.repo.filesUnder(sdkDir).length === 0) {
      report({ messageId: "sdkMissing", data: { sdkDir }, path: sdkDir });
      return;
    }

    const pkgPath = `${sdkDir}/package.json`;
    const pkgText = await ctx.read(pkgPath);
    if (pkgText === undefined) {
      report({ messageId: "packageJsonMissing", data: { sdkDir }, path: pkgPath });
    } else {
      const pkg = readPackageJson(pkgText);
      if ("problem" in pkg) {
        report({ messageId: "packageJsonInvalid", data: { path: pkgPath, problem: pkg.problem }, path: pkgPath, ...pkg.at });
      } else if (pkg.name !== expected) {
        const actual = typeof pkg.name === "string" ? `\`${pkg.name}\`` : "not set";
        report({ messageId: "wrongName", data: { actual, expected, path: pkgPath }, path: pkgPath, ...pkg.nameAt });
      }
    }

    const copyPath = `${sdkDir}/openapi.yaml`;
    const copy = await openApiDocument(ctx.repo, copyPath);
    if (copy.text === undefined) {
      report({ messageId: "specCopyMissing", data: { sdkDir }, path: copyPath });
      return;
    }
    if (copy.syntaxError) {
      report({ messageId: "specCopyUnparseable", data: { problem: copy.syntaxError.message }, path: copyPath, line: copy.syntaxError.line, column: copy.syntaxError.column });
      return;
    }
    const { path: specPath } = await serviceSpecPath(ctx);
    const spec = await openApiDocument(ctx.repo, specPath);
    if (spec.text === undefined || spec.syntaxError) return; // openapi-drift reports the service's own spec

    const differences = diff(spec.data, copy.data, []);
    for (const d of differences.slice(0, MAX_DIFFERENCES)) {
      const key = formatKey(d.keyPath);
      const where = { path: copyPath, ...locateInCopy(copy, d.keyPath) };
      if (d.kind === "missing") report({ messageId: "missingFromCopy", data: { key, spec: specPath }, ...where });
      else if (d.kind === "extra") report({ messageId: "extraInCopy", data: { key, spec: specPath }, ...where });
      else if (d.kind === "changed") report({ messageId: "valueDiffers", data: { key, spec: specPath, serviceValue: show(d.service), sdkValue: show(d.sdk) }, ...where });
    }
    if (differences.length > MAX_DIFFERENCES) {
      report({ messageId: "moreDifferences", data: { count: differences.length - MAX_DIFFERENCES, spec: specPath }, path: copyPath, line: 1, column: 1 });
    }
  },
});

type KeyPath = (string | number)[];
type Difference = { kind: "missing" | "extra"; keyPath: KeyPath } | { kind: "changed"; keyPath: KeyPath; service: unknown; sdk: unknown };

/** Semantic comparison of two parsed YAML values (key order and formatting do not matter). */
function diff(service: unknown, sdk: unknown, keyPath: KeyPath): Difference[] {
  if (isObject(service) && isObject(sdk)) {
    const out: Difference[] = [];
    for (const key of Object.keys(service)) {
      if (!(key in sdk)) out.push({ kind: "missing", keyPath: [...keyPath, key] });
      else out.push(...diff(service[key], sdk[key], [...keyPath, key]));
    }
    for (const key of Object.keys(sdk)) if (!(key in service)) out.push({ kind: "extra", keyPath: [...keyPath, key] });
    return out;
  }
  if (Array.isArray(service) && Array.isArray(sdk)) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(service.length, sdk.length); i++) {
      if (i >= sdk.length) out.push({ kind: "missing", keyPath: [...keyPath, i] });
      else if (i >= service.length) out.push({ kind: "extra", keyPath: [...keyPath, i] });
      else out.push(...diff(service[i], sdk[i], [...keyPath, i]));
    }
    return out;
  }
  return Object.is(service, sdk) || (service instanceof Date && sdk instanceof Date && service.getTime() === sdk.getTime())
    ? []
    : [{ kind: "changed", keyPath, service, sdk }];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date);
}

/** `paths./v1/invoices.post`, `paths./v1/x.get.parameters[0].name`. */
function formatKey(keyPath: KeyPath): string {
  if (keyPath.length === 0) return "(the whole document)";
  return keyPath.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
}

/** The key in the SDK's copy, or for something missing there, the nearest parent the copy has. */
function locateInCopy(copy: OpenApiDocument, keyPath: KeyPath): Position {
  return copy.locate(keyPath).position;
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `\`${text.length > 60 ? `${text.slice(0, 57)}...` : text}\``;
}

function readPackageJson(text: string): { name: unknown; nameAt: Position } | { problem: string; at: Position } {
  try {
    JSON.parse(text);
  } catch (error) {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    const pos = doc.errors[0] ? lineCounter.linePos(doc.errors[0].pos[0]) : { line: 1, col: 1 };
    return { problem: error instanceof Error ? error.message : String(error), at: { line: pos.line, column: pos.col } };
  }
  // JSON is YAML: parse again with positions to point at the "name" key.
  const doc = parseOpenApi("package.json", text);
  return { name: (doc.data as Record<string, unknown> | undefined)?.["name"], nameAt: doc.locate(["name"]).position };
}
