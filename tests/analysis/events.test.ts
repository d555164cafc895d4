import { describe, expect, it } from "vitest";
import { publishCalls, type PublishCall } from "../../src/analysis/events/publish-calls.js";
import { DEFAULT_CONFIG } from "../../src/engine/config.js";
import { RepoContext, serviceInfo } from "../../src/engine/context.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";

const SVC = "services/svc";

async function calls(files: Record<string, string>): Promise<string[]> {
  const info = serviceInfo("services", "svc");
  const ctx = new RepoContext(new MemorySnapshot({ files }), DEFAULT_CONFIG, [info], [info], []).forService(info);
  return (await publishCalls(ctx)).map(summary);
}

/** `file:line:col event tx` for one call. */
function summary(call: PublishCall): string {
  const what = call.events
    .map((event) => {
      const value =
        event.kind === "constant" ? `EVENT_NAMES.${event.constant}` : event.kind === "literal" ? `"${event.value}"` : event.kind === "missing" ? "(none)" : `?${event.construct}`;
      return event.through ? `${value}@${event.through}:${event.at.line}:${event.at.column}` : value;
    })
    .join("|");
  const tx = call.tx.kind === "tx" ? `tx=${call.tx.verdict.kind}` : call.tx.kind;
  return `${call.at.path.replace(`${SVC}/src/`, "")}:${call.at.line}:${call.at.column} ${what} ${tx}`;
}

/** A service whose tsconfig maps `@/*` to `src/*`, as create-hono style templates do. */
function service(src: Record<string, string>): Record<string, string> {
  return {
    [`${SVC}/package.json`]: '{ "name": "@services/svc" }',
    [`${SVC}/tsconfig.json`]: '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }',
    ...Object.fromEntries(Object.entries(src).map(([p, text]) => [`${SVC}/src/${p}`, text])),
  };
}

const TX = "await db.transaction(async (tx) => {";

describe("publishEvent calls, resolved through the program", () => {
  it("finds publishEvent through a path alias, a barrel that re-exports it, a namespace of the barrel and a const alias", async () => {
    const found = await calls(
      service({
        "lib/platform.ts": 'export { publishEvent as emit } from "@platform/events";\nexport * from "@platform/contracts";\n',
        "lib/names.ts": 'import { EVENT_NAMES } from "@platform/contracts";\nexport const ORDER_PLACED = EVENT_NAMES.ORDER_PLACED_V1;\n',
        "services/order.service.ts": [
          'import { emit } from "@/lib/platform";',
          'import * as platform from "../lib/platform";',
          'import { ORDER_PLACED } from "@/lib/names";',
          'import { db } from "../db";',
          "const send = emit;",
          "export async function place() {",
          `  ${TX}`,
          "    await emit(ORDER_PLACED, {}, { tx });",
          '    await platform.emit("order.placed.v1", {}, { tx });',
          "    await send(ORDER_PLACED, {});",
          "  });",
          "}",
        ].join("\n"),
      }),
    );
    expect(found).toEqual([
      "services/order.service.ts:8:11 EVENT_NAMES.ORDER_PLACED_V1 tx=transaction",
      'services/order.service.ts:9:11 "order.placed.v1" tx=transaction',
      "services/order.service.ts:10:11 EVENT_NAMES.ORDER_PLACED_V1 missing",
    ]);
  });

  it("does not take a local function named publishEvent, or one re-exported by a barrel, for the platform's", async () => {
    const found = await calls(
      service({
        "lib/bus.ts": "export async function publishEvent(name: string, payload: unknown) {\n  console.log(name, payload);\n}\n",
        "lib/index.ts": 'export * from "./bus";\n',
        "services/audit.service.ts": [
          'import { publishEvent } from "@/lib";',
          'import * as events from "@platform/events";',
          "function local(publishEvent: (n: string) => void) {",
          '  publishEvent("audit.logged.v1");',
          "}",
          'export const log = () => publishEvent("audit.logged.v1", {});',
          'export const real = () => events.publishEvent("audit.logged.v1", {});',
        ].join("\n"),
      }),
    );
    expect(found).toEqual(['services/audit.service.ts:7:27 "audit.logged.v1" missing']);
  });

  it("follows an outbox helper's event and transaction parameters back to every caller", async () => {
    const found = await calls(
      service({
        "lib/outbox.ts": [
          'import { publishEvent } from "@platform/events";',
          "export async function enqueue(tx: unknown, event: string, payload: unknown) {",
          "  await publishEvent(event, payload, { tx });",
          "}",
        ].join("\n"),
        "services/order.service.ts": [
          'import { EVENT_NAMES } from "@platform/contracts";',
          'import { enqueue } from "@/lib/outbox";',
          'import { db } from "../db";',
          "export async function place(id: string) {",
          `  ${TX}`,
          "    await enqueue(tx, EVENT_NAMES.ORDER_PLACED_V1, { id });",
          '    await enqueue(tx, "order.audited.v1", { id });',
          "  });",
          "}",
        ].join("\n"),
      }),
    );
    expect(found).toEqual([
      'lib/outbox.ts:3:9 EVENT_NAMES.ORDER_PLACED_V1@enqueue:6:23|"order.audited.v1"@enqueue:7:23 tx=transaction',
    ]);
  });

  it("follows a recursive helper once per parameter", async () => {
    const found = await calls(
      service({
        "lib/retry.ts": [
          'import { publishEvent } from "@platform/events";',
          "export async function retry(tx: unknown, event: string, attempts: number): Promise<void> {",
          "  if (attempts > 0) return retry(tx, event, attempts - 1);",
          "  await publishEvent(event, {}, { tx });",
          "}",
        ].join("\n"),
        "services/order.service.ts": [
          'import { EVENT_NAMES } from "@platform/contracts";',
          'import { retry } from "../lib/retry";',
          'import { db } from "../db";',
          `export const place = () => db.transaction(async (trx) => retry(trx, EVENT_NAMES.ORDER_PLACED_V1, 3));`,
        ].join("\n"),
      }),
    );
    expect(found).toEqual(["lib/retry.ts:4:9 EVENT_NAMES.ORDER_PLACED_V1@retry:4:69 tx=transaction"]);
  });

  it("follows a transaction into an overloaded repository method; a loop variable is not a constant", async () => {
    const found = await calls(
      service({
        "db/invoice.repository.ts": [
          'import { publishEvent } from "@platform/events";',
          "export class InvoiceRepository {",
          "  save(tx: unknown): Promise<void>;",
          "  save(tx: unknown, id: string): Promise<void>;",
          "  async save(tx: unknown, id?: string): Promise<void> {",
          '    await publishEvent("invoice.saved.v1", { id }, { tx });',
          "  }",
          "}",
        ].join("\n"),
        "services/invoice.service.ts": [
          'import { publishEvent } from "@platform/events";',
          'import { InvoiceRepository } from "../db/invoice.repository";',
          'import { db } from "../db";',
          "export class InvoiceService {",
          "  constructor(private readonly repo: InvoiceRepository) {}",
          "  async create() {",
          `    ${TX}`,
          "      await this.repo.save(tx);",
          '      for (const each of [tx]) await publishEvent("invoice.batched.v1", {}, { tx: each });',
          "      const same = tx;",
          '      await publishEvent("invoice.created.v1", {}, { tx: same });',
          "    });",
          "  }",
          "}",
        ].join("\n"),
      }),
    );
    expect(found).toEqual([
      'db/invoice.repository.ts:6:11 "invoice.saved.v1" tx=transaction',
      'services/invoice.service.ts:9:38 "invoice.batched.v1" tx=undecidable',
      'services/invoice.service.ts:11:13 "invoice.created.v1" tx=transaction',
    ]);
  });

  it("reads EVENT_NAMES from the workspace's contracts package under a renamed import, a default import and an element access", async () => {
    const found = await calls({
      ...service({
        "services/order.service.ts": [
          'import { EVENT_NAMES as Names } from "@platform/contracts";',
          'import contracts from "@platform/contracts";',
          'import { publishEvent } from "@platform/events";',
          "export const a = (tx: never) => publishEvent(Names.ORDER_PLACED_V1, {}, { tx });",
          'export const b = (tx: never) => publishEvent(contracts.EVENT_NAMES["ORDER_PLACED_V1"], {}, { tx });',
          "export const c = (tx: never, key: 'ORDER_PLACED_V1') => publishEvent(Names[key], {}, { tx });",
        ].join("\n"),
      }),
      "packages/contracts/package.json": '{ "name": "@platform/contracts", "main": "src/index.ts" }',
      "packages/contracts/src/index.ts": 'export * from "./event-names";\n',
      "packages/contracts/src/event-names.ts": 'export const EVENT_NAMES = { ORDER_PLACED_V1: "order.placed.v1" } as const;\n',
    });
    expect(found).toEqual([
      "services/order.service.ts:4:33 EVENT_NAMES.ORDER_PLACED_V1 tx=undecidable",
      "services/order.service.ts:5:33 EVENT_NAMES.ORDER_PLACED_V1 tx=undecidable",
      "services/order.service.ts:6:57 ?Names[key] tx=undecidable",
    ]);
  });
});
