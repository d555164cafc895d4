import { describe, expect, it } from "vitest";
import { splitChangeset } from "../../src/analysis/changesets.js";

// @changesets/parse's own expression: the linear split must find exactly what it finds.
const CHANGESETS_PARSE_SPLIT = /\s*---([^]*?)\r?\n\s*---(\s*(?:\n|$)[^]*)/;

function viaRegex(text: string) {
  const match = CHANGESETS_PARSE_SPLIT.exec(text);
  if (!match) return undefined;
  const [whole, frontMatter = "", body = ""] = match;
  return { frontMatterStart: match.index + whole.indexOf("---") + 3, frontMatter, bodyStart: match.index + whole.length - body.length };
}

/** Every string of `length` over a small alphabet that can form fences, line breaks and text. */
function* strings(alphabet: string, length: number): Generator<string> {
  if (length === 0) {
    yield "";
    return;
  }
  for (const rest of strings(alphabet, length - 1)) for (const c of alphabet) yield rest + c;
}

describe("splitChangeset", () => {
  it("splits a changeset as @changesets/parse does", () => {
    const text = '---\n"@services/x": patch\n---\n\nFix the ledger.\n';
    expect(splitChangeset(text)).toEqual({ frontMatterStart: 3, frontMatter: '\n"@services/x": patch', bodyStart: 28 });
  });

  it("agrees with @changesets/parse's expression on every short input over fences, breaks and text", () => {
    let compared = 0;
    const disagreements: string[] = [];
    for (let length = 0; length <= 8; length++) {
      for (const text of strings("-\n \ra", length)) {
        compared++;
        if (JSON.stringify(splitChangeset(text)) !== JSON.stringify(viaRegex(text))) disagreements.push(text);
      }
    }
    expect(disagreements.slice(0, 5).map((t) => [t, splitChangeset(t), viaRegex(t)])).toEqual([]);
    expect(compared).toBeGreaterThan(400_000);
  });
});
