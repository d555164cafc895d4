import ts from "typescript";
import type { RepoContext } from "../../engine/context.js";
import { moduleExports } from "../ts/module-exports.js";
import { objectEntries, stringValue } from "../ts/static-objects.js";
import { locationOf, type Location, type Undecidable } from "../ts/location.js";
import { constructText, topLevelVariable } from "../ts/syntax.js";

/** Where the contracts package keeps the event registry and the generated constants (SPEC section 1). */
export const REGISTRY_PATH = "packages/contracts/src/registry.ts";
export const EVENT_NAMES_PATH = "packages/contracts/src/event-names.ts";

/** Module specifiers that are the contracts package (`@platform/contracts` or a subpath of it). */
export const isContractsModule = (specifier: string): boolean =>
  specifier === "@platform/contracts" || specifier.startsWith("@platform/contracts/");

export interface ObjectEntry extends Location {
  /** The entry's string value, when it is one (EVENT_NAMES values). */
  value: string | undefined;
  /** The value as written, for messages. */
  valueText: string;
}

/** The keys of a contracts object (`export const NAME = { … }`), read through the program. */
export interface ContractObject {
  path: string;
  /** The file exists at the head. */
  exists: boolean;
  /** `NAME` was found (declared here, or re-exported from a repository file). */
  declared: boolean;
  entries: ReadonlyMap<string, ObjectEntry>;
  /** What hides keys: spreads and computed keys that are not constants, values from outside the repository. */
  undecidable: Undecidable[];
}

export interface EventContracts {
  /** `EVENT_SCHEMAS` of registry.ts: its keys are the registered event names. */
  registry: ContractObject;
  /** `EVENT_NAMES` of event-names.ts: constant → event name. */
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
  const undecidable: Undecidable[] = [];
  if (!file) return { path, exists: false, declared: false, entries, undecidable };

  const found = declarationIn(file, name);
  if (found.kind === "none") return { path, exists: true, declared: false, entries, undecidable };
  if (found.kind === "external") {
    undecidable.push({ construct: constructText(found.node), ...locationOf(found.node) });
    return { path, exists: true, declared: true, entries, undecidable };
  }
  const init = found.node.initializer;
  const members = init ? objectEntries(init) : undefined;
  if (!members) {
    undecidable.push({ construct: constructText(init ?? found.node), ...locationOf(init ?? found.node) });
    return { path, exists: true, declared: true, entries, undecidable };
  }
  for (const member of members.entries) {
    const keyNode = ts.isPropertyAssignment(member.property) || ts.isShorthandPropertyAssignment(member.property) ? member.property.name : member.property;
    entries.set(member.key, { ...locationOf(keyNode), value: stringValue(member.value), valueText: constructText(member.value) });
  }
  for (const node of members.unread) undecidable.push({ construct: constructText(node), ...locationOf(node) });
  return { path, exists: true, declared: true, entries, undecidable };
}

type Found =
  | { kind: "declaration"; node: ts.VariableDeclaration }
  /** Exported from a module outside the repository, or under a shape that is not a `const`. */
  | { kind: "external"; node: ts.Node }
  | { kind: "none" };

/** `const NAME` of a file: declared there, or exported from it through re-exports of repository files. */
function declarationIn(file: ts.SourceFile, name: string): Found {
  const local = topLevelVariable(file, name);
  if (local) return { kind: "declaration", node: local };
  const exported = moduleExports(file).get(name);
  const declaration = exported?.kind === "declared" ? exported.declarations[0] : undefined;
  if (declaration && ts.isVariableDeclaration(declaration)) return { kind: "declaration", node: declaration };
  if (declaration) return { kind: "external", node: declaration };
  // `export { NAME } from "<package>"`: the keys live outside the repository.
  const reexport = file.statements.find(
    (d): d is ts.ExportDeclaration => ts.isExportDeclaration(d) && !!d.exportClause && ts.isNamedExports(d.exportClause) && d.exportClause.elements.some((s) => s.name.text === name),
  );
  return reexport ? { kind: "external", node: reexport } : { kind: "none" };
}

/** `` `...billingEvents` at packages/contracts/src/registry.ts:12:3 ``: where undecidable parts are, for messages. */
export function describeUndecidable(parts: readonly Undecidable[]): string {
  return parts.map((p) => `\`${p.construct}\` at ${p.path}:${p.line}:${p.column}`).join(", ");
}
