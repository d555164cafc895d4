import { Project, ScriptKind, ts, type SourceFile } from "ts-morph";
import { ModuleResolver, SOURCE_FILE, type ModuleResolverHost } from "./module-resolution.js";

/** Program paths are the repository paths under a virtual root. */
const ROOT = "/";
const toProgramPath = (repoPath: string) => `${ROOT}${repoPath}`;
const toRepoPath = (programPath: string) => programPath.replace(/^\/+/, "");

/**
 * One TypeScript program for a whole check, fed from the snapshot. Files enter
 * lazily: asking for a file parses it and every repository file its imports
 * and re-exports reach (resolved by {@link ModuleResolver}), and nothing else.
 * The compiler binds names and follows aliases across those files on demand
 * (`node.getSymbol()`); bodies are never type-checked, no lib file is loaded,
 * nothing from node_modules or outside the repository enters, and nothing
 * is executed.
 */
export class TsProgram {
  private readonly project: Project;
  private readonly resolver: ModuleResolver;
  /** Per file: parsed, with the repository files its imports name. */
  private readonly parsed = new Map<string, Promise<{ file: SourceFile; imports: string[] } | undefined>>();
  /** Files whose whole import closure is in the program. */
  private readonly complete = new Set<string>();

  constructor(private readonly host: ModuleResolverHost) {
    this.resolver = new ModuleResolver(host);
    const resolver = this.resolver;
    this.project = new Project({
      useInMemoryFileSystem: true,
      skipAddingFilesFromTsConfig: true,
      skipFileDependencyResolution: true,
      skipLoadingLibFiles: true,
      compilerOptions: {
        noLib: true,
        types: [],
        allowJs: true,
        checkJs: false,
        noEmit: true,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        target: ts.ScriptTarget.ESNext,
        jsx: ts.JsxEmit.Preserve,
      },
      resolutionHost: () => ({
        resolveModuleNames: (names, containingFile) =>
          names.map((name) => {
            const found = resolver.resolve(name, toRepoPath(containingFile));
            return found === undefined ? undefined : { resolvedFileName: toProgramPath(found), extension: extensionOf(found), isExternalLibraryImport: false };
          }),
      }),
    });
  }

  /**
   * A repository file, parsed, with every repository file it reaches through
   * imports and re-exports (transitively) in the program, so names in it can be
   * resolved. `companions()` are loaded in the same batch (the sources of the
   * services the check covers, which its rules read next): adding files
   * invalidates the compiler's checker, so few, large batches keep a check fast.
   * Undefined when the file does not exist.
   */
  async sourceFile(path: string, companions: () => readonly string[] = () => []): Promise<SourceFile | undefined> {
    const root = await this.parse(path);
    if (!root) return undefined;
    if (this.complete.has(path)) return root.file;
    const seen = new Set([path]);
    // Files loaded together enter the program together: every file added later rebuilds the checker.
    let frontier = [...root.imports, ...companions()];
    while (frontier.length > 0) {
      const next: string[] = [];
      const loaded = await Promise.all(frontier.filter((p) => !seen.has(p) && !this.complete.has(p) && seen.add(p)).map((p) => this.parse(p)));
      for (const entry of loaded) if (entry) next.push(...entry.imports);
      frontier = next;
    }
    // Every file seen had its imports followed: their closures are all in the program now.
    for (const p of seen) this.complete.add(p);
    return root.file;
  }

  private parse(path: string): Promise<{ file: SourceFile; imports: string[] } | undefined> {
    let p = this.parsed.get(path);
    if (!p) {
      p = (async () => {
        const text = await this.host.read(path);
        if (text === undefined) return undefined;
        // Each path is parsed once (memoised above); `overwrite` would probe the in-memory file system, which throws and catches an error per file.
        const file = this.project.createSourceFile(toProgramPath(path), text, { scriptKind: scriptKindOf(path) });
        const specifiers = moduleSpecifiers(file);
        if (specifiers.length === 0) return { file, imports: [] };
        await this.resolver.prepare(path);
        const imports = specifiers.map((s) => this.resolver.resolve(s, path)).filter((p): p is string => p !== undefined && SOURCE_FILE.test(p));
        return { file, imports };
      })();
      this.parsed.set(path, p);
    }
    return p;
  }
}

/** Specifiers of static imports and re-exports: what the compiler will ask to resolve. */
function moduleSpecifiers(file: SourceFile): string[] {
  const out: string[] = [];
  for (const statement of file.getStatements()) {
    if (ts.isImportDeclaration(statement.compilerNode) || ts.isExportDeclaration(statement.compilerNode)) {
      const spec = statement.compilerNode.moduleSpecifier;
      if (spec && ts.isStringLiteral(spec)) out.push(spec.text);
    }
  }
  return out;
}

function scriptKindOf(path: string): ScriptKind {
  if (/\.(c|m)?js$/.test(path)) return ScriptKind.JS;
  if (/\.jsx$/.test(path)) return ScriptKind.JSX;
  if (/\.tsx$/.test(path)) return ScriptKind.TSX;
  return ScriptKind.TS;
}

function extensionOf(path: string): ts.Extension {
  const ext = /\.(d\.ts|[cm]?[jt]sx?)$/.exec(path)?.[0] ?? ".ts";
  const known: Record<string, ts.Extension> = {
    ".ts": ts.Extension.Ts,
    ".tsx": ts.Extension.Tsx,
    ".d.ts": ts.Extension.Dts,
    ".mts": ts.Extension.Mts,
    ".cts": ts.Extension.Cts,
    ".js": ts.Extension.Js,
    ".jsx": ts.Extension.Jsx,
    ".mjs": ts.Extension.Mjs,
    ".cjs": ts.Extension.Cjs,
  };
  return known[ext] ?? ts.Extension.Ts;
}
