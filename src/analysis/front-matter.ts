import type { RepoContext } from "../engine/context.js";
import { parseServiceDescriptor } from "../engine/service-descriptor.js";
import type { Position } from "../engine/types.js";
import { markdownAt } from "./markdown.js";

/** The YAML front matter of a Markdown file, with positions in the Markdown file itself. */
export interface FrontMatter {
  /** Where the opening `---` sits. */
  position: Position;
  /** The first YAML error, positioned in the Markdown file. */
  syntaxError?: { message: string } & Position;
  /** The mapping (`undefined` when unparseable or not a mapping). */
  data: Record<string, unknown> | undefined;
  /** Position of a key, or of the opening `---` when the key is absent. */
  positionOf(key: string): Position;
  /** Position of a key's value, falling back like positionOf. */
  valuePositionOf(key: string): Position;
}

/**
 * The front matter of a head Markdown file: `undefined` when the file does not
 * exist, `null` when it has no front matter block.
 */
export async function frontMatterAt(ctx: RepoContext, path: string): Promise<FrontMatter | null | undefined> {
  const doc = await markdownAt(ctx, path);
  if (!doc) return undefined;
  if (!doc.frontMatter) return null;
  const { yaml, position } = doc.frontMatter;
  // The YAML starts on the line after the opening `---`; the descriptor parser gives YAML-relative positions.
  const parsed = parseServiceDescriptor(path, yaml);
  const shift = (p: Position): Position => ({ line: p.line + position.line, column: p.column });
  const present = (key: string) => parsed.data !== undefined && key in parsed.data;
  return {
    position,
    ...(parsed.syntaxError ? { syntaxError: { ...parsed.syntaxError, ...shift(parsed.syntaxError) } } : {}),
    data: parsed.data,
    positionOf: (key) => (present(key) ? shift(parsed.positionOf([key])) : position),
    valuePositionOf: (key) => (present(key) ? shift(parsed.valuePositionOf([key])) : position),
  };
}
