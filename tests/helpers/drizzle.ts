import { drizzleSchema, type DrizzleSchema } from "../../src/analysis/drizzle/schema.js";
import { DEFAULT_CONFIG } from "../../src/engine/config.js";
import { RepoContext, serviceInfo, ServiceContext } from "../../src/engine/context.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";

/** A service context over in-memory files (no rule, no engine): for analysis tests. */
export function serviceContext(files: Record<string, string>, service = "billing-ledger"): ServiceContext {
  const info = serviceInfo("services", service);
  const repo = new RepoContext(new MemorySnapshot({ files }), DEFAULT_CONFIG, [info], [info], []);
  return new ServiceContext(repo, info);
}

/** The Drizzle schema the analysis reads from a service's files. */
export function schemaOf(files: Record<string, string>, service = "billing-ledger"): Promise<DrizzleSchema | undefined> {
  return drizzleSchema(serviceContext(files, service));
}

/** What the analysis sees: `variable(schema.name): dbName,…` per table, plus undecidable constructs, so valid cases cannot pass by seeing nothing. */
export async function tablesOf(files: Record<string, string>, service = "billing-ledger"): Promise<string[]> {
  const schema = await schemaOf(files, service);
  return (schema?.tables ?? []).map(
    (t) =>
      `${t.variable}(${t.schema ?? "-"}.${t.name}): ${t.columns.map((c) => c.dbName).join(",")}` +
      t.undecidable.map((u) => ` ?${u.construct}@${u.path.split("/").pop()}:${u.line}`).join(""),
  );
}
