// The floor the engine is measured against: load the parsers the rules use and parse every file
// the rules read exactly once, doing nothing else. No check can be faster than this.
import { readFileSync } from "node:fs";
import module from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

type Parse = (path: string, text: string) => void;

export interface FloorResult {
  files: number;
  byKind: Record<string, number>;
}

/** Loads the parsers (TypeScript, YAML, Markdown with GFM and front matter, PostgreSQL's) and returns one parse per file kind. */
export async function loadFloorParsers(): Promise<(path: string) => Parse | undefined> {
  const [{ default: ts }, yaml, markdown, gfm, gfmMdast, frontmatter, frontmatterMdast, pg] = await Promise.all([
    import("typescript"),
    import("yaml"),
    import("mdast-util-from-markdown"),
    import("micromark-extension-gfm"),
    import("mdast-util-gfm"),
    import("micromark-extension-frontmatter"),
    import("mdast-util-frontmatter"),
    import("libpg-query"),
  ]);
  await pg.loadModule();
  const typescript: Parse = (path, text) => {
    ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, /x$/.test(path) ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  };
  const yamlParse: Parse = (_path, text) => {
    yaml.parseDocument(text);
  };
  const md: Parse = (_path, text) => {
    markdown.fromMarkdown(text, {
      extensions: [gfm.gfm(), frontmatter.frontmatter(["yaml"])],
      mdastExtensions: [gfmMdast.gfmFromMarkdown(), frontmatterMdast.frontmatterFromMarkdown(["yaml"])],
    });
  };
  const sql: Parse = (_path, text) => {
    try {
      pg.parseSync(text);
    } catch {
      // A file PostgreSQL refuses still cost its parse.
    }
  };
  const json: Parse = (_path, text) => {
    try {
      JSON.parse(text);
    } catch {
      // as above
    }
  };
  return (path) => {
    if (/\.(c|m)?[jt]sx?$/.test(path)) return typescript;
    if (/\.ya?ml$/.test(path)) return yamlParse;
    if (/\.md$/.test(path)) return md;
    if (/\.sql$/.test(path)) return sql;
    if (/\.json$/.test(path)) return json;
    return undefined; // read as plain text by the rules: no parse
  };
}

/** Parses every file once. */
export function parseAll(parserFor: (path: string) => Parse | undefined, files: ReadonlyMap<string, string>): FloorResult {
  const byKind: Record<string, number> = {};
  let parsed = 0;
  for (const [path, text] of files) {
    const parse = parserFor(path);
    if (!parse) continue;
    parse(path, text);
    parsed++;
    const kind = /\.([^./]+)$/.exec(path)?.[1] ?? "other";
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  return { files: parsed, byKind };
}

/**
 * The floor as its own process, as `check --all` is: `node floor.js <repo dir> <file list>`
 * (one repository-relative path a line). Reads the files from disk, loads the parsers,
 * parses each once, and prints what it parsed.
 */
export async function floorMain(dir: string, listPath: string): Promise<void> {
  // As the check's worker does (src/engine/isolation/worker-entry.ts), so both reuse compiled code alike.
  module.enableCompileCache?.();
  const paths = readFileSync(listPath, "utf8").split("\n").filter(Boolean);
  // Synchronous reads: the cheapest way Node reads many small files (the check reads them so too, see
  // src/local/working-tree-snapshot.ts); one `await readFile` per file cost the floor ~0.3 ms a file.
  const files = new Map<string, string>();
  for (const path of paths) files.set(path, readFileSync(join(dir, path), "utf8"));
  const parserFor = await loadFloorParsers();
  const result = parseAll(parserFor, files);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await floorMain(process.argv[2]!, process.argv[3]!);
}
