import ts from "typescript";
import { ModuleResolver, SOURCE_FILE, type ModuleResolverHost } from "./module-resolution.js";

/** Program paths are the repository paths under a virtual root. */
const ROOT = "/";
const toProgramPath = (repoPath: string) => `${ROOT}${repoPath}`;
const toRepoPath = (programPath: string) => programPath.replace(/^\/+/, "");

const COMPILER_OPTIONS: ts.CompilerOptions = {
  noLib: true,
  types: [],
  allowJs: true,
  checkJs: false,
  noEmit: true,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ESNext,
  jsx: ts.JsxEmit.Preserve,
  noResolve: false,
};

/** The program each parsed file belongs to: how a node finds its checker and its imports. */
const programOfFile = new WeakMap<ts.SourceFile, TsProgram>();

/**
 * One TypeScript program for a whole check, fed from the snapshot, on the
 * compiler's own API (the analyses walk compiler nodes; no wrapper layer).
 * Files enter lazily: asking for a file parses it and every repository file
 * its imports and re-exports reach (resolved by {@link ModuleResolver}), and
 * nothing else. The checker binds names and follows aliases across those
 * files on demand; bodies are never type-checked, no lib file is loaded,
 * nothing from node_modules or outside the repository enters, and nothing is
 * executed.
 */
export class TsProgram {
  private readonly resolver: ModuleResolver;
  /** Per file: parsed, with the repository files its imports name. */
  private readonly parsed = new Map<string, Promise<{ file: ts.SourceFile; imports: string[] } | undefined>>();
  /** Parsed files by program path: what the compiler host serves. */
  private readonly files = new Map<string, ts.SourceFile>();
  /** Files whose whole import closure is in the program. */
  private readonly complete = new Set<string>();
  /** The checker over the files parsed so far; rebuilt (binding only new files) when files were added since. */
  private checkerCache: ts.TypeChecker | undefined;
  private readonly host: ts.CompilerHost;

  constructor(private readonly source: ModuleResolverHost) {
    this.resolver = new ModuleResolver(source);
    const resolver = this.resolver;
    const files = this.files;
    this.host = {
      getSourceFile: (fileName) => files.get(fileName),
      fileExists: (fileName) => files.has(fileName),
      readFile: () => undefined,
      directoryExists: () => false,
      getDirectories: () => [],
      getDefaultLibFileName: () => "/lib.d.ts",
      writeFile: () => undefined,
      getCurrentDirectory: () => ROOT,
      getCanonicalFileName: (fileName) => fileName,
      useCaseSensitiveFileNames: () => true,
      getNewLine: () => "\n",
      resolveModuleNameLiterals: (literals, containingFile) =>
        literals.map((literal) => {
          const found = resolver.resolve(literal.text, toRepoPath(containingFile));
          return { resolvedModule: found === undefined ? undefined : { resolvedFileName: toProgramPath(found), extension: extensionOf(found), isExternalLibraryImport: false } };
        }),
    };
  }

  /**
   * A repository file, parsed, with every repository file it reaches through
   * imports and re-exports (transitively) in the program, so names in it can be
   * resolved. `companions()` are loaded in the same batch (the sources of the
   * services the check covers, which its rules read next): adding files
   * rebuilds the checker, so few, large batches keep a check fast.
   * Undefined when the file does not exist.
   */
  async sourceFile(path: string, companions: () => readonly string[] = () => []): Promise<ts.SourceFile | undefined> {
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

  /** The checker over every file parsed so far (names bind lazily; nothing is type-checked unless asked). */
  checker(): ts.TypeChecker {
    if (!this.checkerCache) {
      const program = ts.createProgram({ rootNames: [...this.files.keys()], options: COMPILER_OPTIONS, host: this.host });
      this.checkerCache = program.getTypeChecker();
    }
    return this.checkerCache;
  }

  /** The repository file an import or re-export names, when it is in the program. */
  importedFile(from: ts.SourceFile, specifier: string): ts.SourceFile | undefined {
    const found = this.resolver.resolve(specifier, toRepoPath(from.fileName));
    return found === undefined ? undefined : this.files.get(toProgramPath(found));
  }

  private parse(path: string): Promise<{ file: ts.SourceFile; imports: string[] } | undefined> {
    let p = this.parsed.get(path);
    if (!p) {
      p = (async () => {
        const text = await this.source.read(path);
        if (text === undefined) return undefined;
        const file = ts.createSourceFile(toProgramPath(path), text, ts.ScriptTarget.ESNext, true, scriptKindOf(path));
        this.files.set(file.fileName, file);
        programOfFile.set(file, this);
        this.checkerCache = undefined;
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

/** The program a node's file belongs to (every file the analyses see comes from one). */
export function programOf(node: ts.Node): TsProgram {
  const program = programOfFile.get(node.getSourceFile());
  if (!program) throw new Error(`analysis: ${node.getSourceFile().fileName} is not in the check's program`);
  return program;
}

/** The repository file an import or re-export declaration names, when it is in the program (`undefined` for npm packages and missing files). */
export function importedFile(decl: ts.ImportDeclaration | ts.ExportDeclaration): ts.SourceFile | undefined {
  const specifier = decl.moduleSpecifier;
  if (!specifier || !ts.isStringLiteralLike(specifier)) return undefined;
  return programOf(decl).importedFile(decl.getSourceFile(), specifier.text);
}

/** Specifiers of static imports and re-exports: what the compiler will ask to resolve. */
function moduleSpecifiers(file: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) {
      const spec = statement.moduleSpecifier;
      if (spec && ts.isStringLiteral(spec)) out.push(spec.text);
    }
  }
  return out;
}

function scriptKindOf(path: string): ts.ScriptKind {
  if (/\.(c|m)?js$/.test(path)) return ts.ScriptKind.JS;
  if (/\.jsx$/.test(path)) return ts.ScriptKind.JSX;
  if (/\.tsx$/.test(path)) return ts.ScriptKind.TSX;
  return ts.ScriptKind.TS;
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
