import { Node, type SourceFile } from "ts-morph";
import type { RepoContext } from "../engine/context.js";
import { nodePosition } from "./imports.js";
import { constructText, memberName, propertyValue, resolveLocalValue, stringLiteralValue } from "./local-constants.js";

/** Where the contracts package keeps the event registry and the generated constants (SPEC section 1). */
export const REGISTRY_PATH = "packages/contracts/src/registry.ts";
export const EVENT_NAMES_PATH = "packages/contracts/src/event-names.ts";

/** Module specifiers that are the contracts package (`@platform/contracts` or a subpath of it). */
export const isContractsModule = (specifier: string): boolean =>
  specifier === "@platform/contracts" || specifier.startsWith("@platform/contracts/");

/** A part of a contracts object this analysis cannot read statically, named as written. */
export interface UndecidablePart {
  construct: string;
  path: string;
  line: number;
  column: number;
}

export interface ObjectEntry {
  line: number;
  column: number;
  /** The entry's string value, when it is a literal (used for EVENT_NAMES). */
  value: string | undefined;
  /** The value as written, for messages. */
  valueText: string;
}

/** The static keys of an exported `const NAME = { … }` in a contracts file. */
export interface ContractObject {
  path: string;
  /** The file exists at the head. */
  exists: boolean;
  /** `const NAME` was found (whatever its value). */
  declared: boolean;
  entries: ReadonlyMap<string, ObjectEntry>;
  /** Computed keys, spreads of other modules, non-literal initialisers: keys may exist that we cannot see. */
  undecidable: UndecidablePart[];
}

export interface EventContracts {
  /** `EVENT_SCHEMAS` in registry.ts: its keys are the registered event names. */
  registry: ContractObject;
  /** `EVENT_NAMES` in event-names.ts: constant → event name. */
  eventNames: ContractObject;
}

/** Both contracts objects, read once per check (they are repo-wide). */
export function eventContracts(repo: RepoContext): Promise<EventContracts> {
  return repo.memo("contracts:event-contracts", async () => ({
    registry: await readContractObject(repo, REGISTRY_PATH, "EVENT_SCHEMAS"),
    eventNames: await readContractObject(repo, EVENT_NAMES_PATH, "EVENT_NAMES"),
  }));
}

/** The event name `EVENT_NAMES.<constant>` stands for, or undefined when it is not (statically) in EVENT_NAMES. */
export function eventNameOf(contracts: EventContracts, constant: string): string | undefined {
  return contracts.eventNames.entries.get(constant)?.value;
}

async function readContractObject(repo: RepoContext, path: string, name: string): Promise<ContractObject> {
  const file = await repo.sourceFile(path);
  const entries = new Map<string, ObjectEntry>();
  const undecidable: UndecidablePart[] = [];
  if (!file) return { path, exists: false, declared: false, entries, undecidable };

  const decl = file.getVariableDeclaration(name);
  if (!decl) {
    // `export { EVENT_SCHEMAS } from "./schemas"` or an import re-exported: the keys live elsewhere.
    const reexport = file
      .getExportDeclarations()
      .find((d) => d.getNamedExports().some((s) => (s.getAliasNode()?.getText() ?? s.getName()) === name));
    if (reexport) undecidable.push(part(path, reexport));
    return { path, exists: true, declared: reexport !== undefined, entries, undecidable };
  }
  const init = decl.getInitializer();
  if (!init) {
    undecidable.push(part(path, decl));
  } else {
    collectEntries(file, path, init, entries, undecidable, 0);
  }
  return { path, exists: true, declared: true, entries, undecidable };
}

function collectEntries(
  file: SourceFile,
  path: string,
  expr: Node,
  entries: Map<string, ObjectEntry>,
  undecidable: UndecidablePart[],
  depth: number,
): void {
  const value = resolveLocalValue(expr);
  if (!Node.isObjectLiteralExpression(value) || depth > 5) {
    undecidable.push(part(path, expr));
    return;
  }
  for (const prop of value.getProperties()) {
    if (Node.isSpreadAssignment(prop)) {
      // A spread of a local object literal is followed; anything else hides keys.
      const spread = resolveLocalValue(prop.getExpression());
      if (Node.isObjectLiteralExpression(spread)) collectEntries(file, path, spread, entries, undecidable, depth + 1);
      else undecidable.push(part(path, prop));
      continue;
    }
    const key = memberName(prop);
    if (key === undefined) {
      undecidable.push(part(path, prop));
      continue;
    }
    const valueNode = propertyValue(prop);
    const resolved = valueNode ? resolveLocalValue(valueNode) : undefined;
    const keyNode = Node.isPropertyAssignment(prop) || Node.isShorthandPropertyAssignment(prop) || Node.isMethodDeclaration(prop) ? prop.getNameNode() : prop;
    entries.set(key, {
      ...nodePosition(keyNode),
      value: stringLiteralValue(resolved),
      valueText: valueNode ? constructText(valueNode) : constructText(prop),
    });
  }
}

function part(path: string, node: Node): UndecidablePart {
  return { construct: constructText(node), path, ...nodePosition(node) };
}

/** `… (packages/contracts/src/registry.ts:12:3: `...billingEvents`)`: where the undecidable parts are, for messages. */
export function describeUndecidable(parts: readonly UndecidablePart[]): string {
  return parts.map((p) => `\`${p.construct}\` at ${p.path}:${p.line}:${p.column}`).join(", ");
}
