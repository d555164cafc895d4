import type { Nodes } from "mdast";
import { describe, expect, it } from "vitest";
import { hasContent, parseMarkdown, resolveLink } from "../../src/analysis/markdown.js";

describe("parseMarkdown", () => {
  it("gives headings GitHub's anchors, with -1, -2 for repeats", () => {
    const doc = parseMarkdown(
      ["# Billing Ledger", "## Run `pnpm dev` locally!", "## Alarms", "### Alarms", "## Alarms", "## C++ & Go", "## 1. Remediation", "## 🚀 Deploy", "## Ünïcödé Café"].join("\n\n"),
    );
    expect(doc.sections.map((s) => s.slug)).toEqual([
      "billing-ledger",
      "run-pnpm-dev-locally",
      "alarms",
      "alarms-1",
      "alarms-2",
      "c--go",
      "1-remediation",
      "-deploy",
      "ünïcödé-café",
    ]);
    expect(doc.sections[1]).toMatchObject({ depth: 2, text: "Run pnpm dev locally!", position: { line: 3, column: 1 } });
  });

  it("counts explicit HTML anchors as targets", () => {
    const doc = parseMarkdown('# Title\n\n<a name="on-call"></a>\n\nText <span id="Pager">x</span>.\n');
    expect([...doc.anchors].sort()).toEqual(["Pager", "on-call", "title"]);
  });

  it("gives each section the blocks under it, sub-sections included", () => {
    const doc = parseMarkdown("# T\n\n## Alarms\n\n### 5xx\n\n- pages billing\n\n## Dashboards\n\n## Remediation\n\n<!-- TODO -->\n\n-\n");
    const [, alarms, , dashboards, remediation] = doc.sections;
    expect(alarms!.content.map((n) => n.type)).toEqual(["heading", "list"]);
    expect(hasContent(alarms!.content as Nodes[])).toBe(true);
    expect(hasContent(dashboards!.content as Nodes[])).toBe(false);
    expect(remediation!.content.map((n) => n.type)).toEqual(["html", "list"]);
    expect(hasContent(remediation!.content as Nodes[])).toBe(false);
  });

  it("lists links, images and reference definitions at their positions, not links in code", () => {
    const doc = parseMarkdown(
      "---\ntitle: x\n---\n\nSee [the runbook](./RUNBOOK.md#alarms) and ![chart](img/a%20b.png).\n\n`[not](a link)`\n\n```md\n[nor](this)\n```\n\n  [ref]: ../x.md \"title\"\n",
    );
    expect(doc.frontMatter).toEqual({ yaml: "title: x", position: { line: 1, column: 1 } });
    expect(doc.links).toEqual([
      { kind: "link", url: "./RUNBOOK.md#alarms", position: { line: 5, column: 5 } },
      { kind: "image", url: "img/a%20b.png", position: { line: 5, column: 44 } },
      { kind: "definition", url: "../x.md", position: { line: 13, column: 3 } },
    ]);
  });
});

describe("resolveLink", () => {
  const holder = "services/billing-ledger/README.md";

  it("resolves relative to the holder's folder, and /x from the root", () => {
    expect(resolveLink(holder, "./RUNBOOK.md")).toEqual({ kind: "local", path: "services/billing-ledger/RUNBOOK.md", fragment: undefined });
    expect(resolveLink(holder, "../notifications/README.md?plain=1#run-locally")).toEqual({
      kind: "local",
      path: "services/notifications/README.md",
      fragment: "run-locally",
    });
    expect(resolveLink(holder, "/docs/services/billing-ledger.md")).toEqual({ kind: "local", path: "docs/services/billing-ledger.md", fragment: undefined });
    expect(resolveLink("README.md", "docs")).toEqual({ kind: "local", path: "docs", fragment: undefined });
  });

  it("percent-decodes paths and fragments; a bare fragment points at the holder", () => {
    expect(resolveLink(holder, "docs/my%20file.md#caf%C3%A9")).toEqual({ kind: "local", path: "services/billing-ledger/docs/my file.md", fragment: "café" });
    expect(resolveLink(holder, "#alarms")).toEqual({ kind: "local", path: holder, fragment: "alarms" });
    expect(resolveLink(holder, "100%.md")).toEqual({ kind: "local", path: "services/billing-ledger/100%.md", fragment: undefined });
  });

  it("leaves external links alone and flags paths above the root", () => {
    for (const url of ["https://example.com/x.md", "mailto:a@b.c", "tel:+1", "//cdn.example.com/x.png", "HTTP://X"]) {
      expect(resolveLink(holder, url)).toEqual({ kind: "external" });
    }
    expect(resolveLink(holder, "../../../etc/passwd")).toEqual({ kind: "outside" });
  });
});
