// Hostile inputs for tests/hostile, built at test time (nothing large is checked in).

/** A service folder with just enough to be a service: the hostile file is added beside it. */
export function serviceFiles(name = "ledger"): Record<string, string> {
  const dir = `services/${name}`;
  return {
    [`${dir}/service.yaml`]: [
      `name: ${name}`,
      "display_name: Ledger",
      "owner: '@loop/billing'",
      "team: billing",
      "status: alpha",
      "description: Keeps the ledger.",
      "contracts:",
      "  openapi: openapi.yaml",
      "  events_published: []",
      "  events_consumed: []",
      "data:",
      "  database: ledger",
      "  schemas_owned: [ledger]",
      "brand_scope: [loop]",
      "",
    ].join("\n"),
    [`${dir}/README.md`]: "# Ledger\n\nKeeps the ledger for every brand.\n\n## Run locally\n\n```sh\npnpm dev\n```\n",
  };
}

/** `---` followed by newlines and no closing fence: cubic for the old front-matter expression. */
export function changesetNewlines(count: number): string {
  return `---${"\n".repeat(count)}x${"\n".repeat(count)}`;
}

/** `![![![…x](y)](y)](y)`: micromark's label matching takes a minute at 30 KB. */
export function nestedImages(depth: number): string {
  return `# Ledger\n\n${"![".repeat(depth)}x${"](y)".repeat(depth)}\n`;
}

export function nestedQuotes(depth: number): string {
  return `# Ledger\n\n${">".repeat(depth)} deep\n`;
}

/** `export const s = "a" + "a" + …;`: an expression tree thousands of levels deep. */
export function longConcatenation(terms: number): string {
  return `export const s = ${Array.from({ length: terms }, () => '"a"').join(" + ")};\n`;
}

/** Nine levels of nine aliases: 9^9 nodes when expanded. */
export function yamlAliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = "abcdefghi";
  for (let i = 1; i < names.length; i++) {
    const prev = names[i - 1]!;
    lines.push(`${names[i]}: &${names[i]} [${Array.from({ length: 9 }, () => `*${prev}`).join(",")}]`);
  }
  return `${lines.join("\n")}\n`;
}

/** What a YAML loader that shares aliased nodes (js-yaml) hands back for an alias bomb: a DAG standing for 9^12 values. */
export function aliasedObjectBomb(): unknown {
  let level: unknown = ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"];
  for (let i = 0; i < 12; i++) level = Array.from({ length: 9 }, () => level);
  return { brands: level };
}

/** Many unclosed `<a href=` tags: a backtracking tag expression would rescan the rest from each. */
export function unclosedHtmlTags(count: number): string {
  return `# Ledger\n\nKeeps the ledger.\n\n<p>${'<a href="./x.md" '.repeat(count)}\n\n<a href="./missing.md">dead</a>\n`;
}
