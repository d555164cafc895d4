import { describe, expect, it } from "vitest";
import { CommentSigner } from "../../src/bot/comment-signature.js";
import { parseConfig } from "../../src/engine/config.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { runChecks, type CheckReport } from "../../src/engine/run.js";
import { utf8Length } from "../../src/github/limits.js";
import { renderCheckRun } from "../../src/report/check-run.js";
import { COMMENT_MARKER, isStickyComment, parseManualTicks, readCommentState, renderComment } from "../../src/report/comment.js";
import { renderText } from "../../src/report/text.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { markerRule } from "../helpers/fake-rules.js";
import { codeSpans, liveMentions, rawHtml, tableRowWidths } from "../support/github-markdown.js";

const HEAD = "0123456789abcdef0123456789abcdef01234567";
const config = parseConfig({});

/** A real state block, as a person could copy it from an earlier comment into repository text. */
function copiedStateBlock(): string {
  const body = renderComment(hostileReport("copied"), { headSha: "f".repeat(40) })!;
  return /<!-- platform-checks:state [^ ]+ -->/.exec(body)![0];
}

/** Text that tries every way out of where the bot puts it. */
function hostile(tag: string, extra = ""): string {
  return [
    `${tag}\`\`<img src=x onerror=alert(1)>`,
    "@org/team @someone #12 GH-3 https://evil.test/x",
    "a | b",
    "<!-- platform-checks:sticky -->",
    "<!-- pc-item:svc:on-call -->",
    "\n- [x] smoke test <!-- pc-item:svc:smoke-test -->",
    "\n::error file=a.ts::pwned",
    "\u001b[31mred\u001b[0m \u202eesrever",
    "$x^2$ **b** [l](javascript:alert(1))",
    extra,
  ].join(" ");
}

/** A report whose every text field comes from a hostile pull request. */
function hostileReport(stateCopy = copiedStateBlock()): CheckReport {
  const service = hostile("svc");
  return {
    conclusion: "failure",
    services: [service],
    deletedServices: [hostile("gone")],
    findings: [
      {
        rule: "service-yaml-schema",
        severity: "error",
        service,
        path: `services/${hostile("path")}/service.yaml`,
        line: 3,
        column: 1,
        message: `owner \`${hostile("owner")}\` is not a handle; quoted: ${stateCopy}`,
      },
      { rule: "docs-dead-links", severity: "warning", service: null, path: hostile("docs/x.md"), message: hostile("message") },
    ],
    ruleRuns: [{ rule: "service-yaml-schema", service, severity: "error", errors: 1, warnings: 0, notices: 0 }],
    checklists: [
      {
        service,
        statusBefore: "beta",
        statusAfter: hostile("status"),
        publishesEvents: false,
        statusAt: { path: "services/x/service.yaml", line: 5 },
        gated: true,
        items: [
          { id: "service-yaml", label: hostile("label"), kind: "auto", checked: false },
          { id: "on-call", label: "on-call rotation has the runbook", kind: "manual", checked: false },
        ],
      },
    ],
  };
}

/** Raw HTML the bot itself writes: its markers, item markers, and `<sub>`. */
const OWN_HTML = /^(<!-- platform-checks:(sticky|state [A-Za-z0-9+/=]+|signature [0-9a-f]{64}) -->|<!-- pc-(item|auto):[^\s]+ -->|<\/?sub>)$/;

describe("a pull request whose every text field is hostile", () => {
  const signer = new CommentSigner("secret");
  const report = hostileReport();
  const body = signer.sign(renderComment(report, { headSha: HEAD, binding: { repository: "loop/platform", pullNumber: 7 }, config })!);

  it("renders the comment with no raw HTML but the bot's own markers (snapshot)", () => {
    const foreign = rawHtml(body)
      .flatMap((html) => html.split("\n"))
      .filter((line) => line.trim() !== "" && !OWN_HTML.test(line.trim()));
    expect(foreign).toEqual([]);
    expect(body.replace(/<!-- platform-checks:(state|signature) [^ ]+ -->/g, "<!-- $1 -->")).toMatchSnapshot();
  });

  it("mentions nobody and references no issue", () => {
    expect(liveMentions(body)).toEqual([]);
  });

  it("has exactly one sticky marker, one state block and one signature, and reads back the bot's own state", () => {
    expect(body.split(COMMENT_MARKER)).toHaveLength(2);
    expect(body.split("<!-- platform-checks:state ")).toHaveLength(2);
    expect(body.split("<!-- platform-checks:signature ")).toHaveLength(2);
    expect(isStickyComment(body)).toBe(true);
    expect(readCommentState(body)?.headSha).toBe(HEAD);
    expect(signer.verifiedState(body)?.binding).toEqual({ repository: "loop/platform", pullNumber: 7, headSha: HEAD });
  });

  it("keeps every table row at two cells and shows names literally in code", () => {
    expect(tableRowWidths(body).flat().every((width) => width === 2)).toBe(true);
    const shown = codeSpans(body).map((span) => span.replace(/\u2060/g, ""));
    // Names are clipped to 100 characters; what is shown is the name as written.
    expect(shown.some((span) => span.startsWith("svc``<img src=x onerror=alert(1)> @org/team @someone #12 GH-3 https://evil.test/x a | b <!-- platf"))).toBe(true);
  });

  it("forges no tick: the ticks come only from the bot's own item lines", () => {
    expect(parseManualTicks(body, report)).toEqual(new Map());
  });

  it("renders the check run's summary, title and annotations safely", () => {
    const output = renderCheckRun(report, config, [`folders left out, e.g. ${hostile("folder")}`]);
    expect(output.summary).toMatch(/^> \*\*Note:\*\* folders left out/);
    expect(rawHtml(output.summary)).toEqual([]);
    expect(liveMentions(output.summary)).toEqual([]);
    expect(tableRowWidths(output.summary).flat().every((width) => width === 2)).toBe(true);
    expect(output.title).not.toMatch(/[\n\r\u0000-\u001f\u202e]/);
    for (const annotation of output.annotations) {
      expect(annotation.message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
      expect(annotation.message).toContain("<img src=x"); // plain text on GitHub: shown as written
    }
  });

  it("prints CLI text with no control character, no ANSI escape, and no line that is a workflow command", () => {
    const text = renderText(report, { scope: "every service" });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    for (const line of text.split("\n")) expect(line.trimStart()).not.toMatch(/^(::|##\[)/);
    // A line break in a name starts no line of its own: the same report without them prints as many lines.
    const flat = JSON.parse(JSON.stringify(report).replace(/\\n/g, " ")) as CheckReport;
    expect(text.split("\n")).toHaveLength(renderText(flat, { scope: "every service" }).split("\n").length);
  });
});

describe("a hostile service folder, end to end through the engine", () => {
  it("stays one service, one table row, one marker", async () => {
    const files = exampleFiles();
    const name = "ev``il<img src=x>|@org";
    for (const [path, text] of Object.entries(files)) {
      if (path.startsWith("services/billing-ledger/")) files[path.replace("billing-ledger", name)] = text.replace("BROKEN", "");
    }
    files[`services/${name}/README.md`] += "\n@evil-user <img src=x>\n";
    const report = await runChecks({ snapshot: new MemorySnapshot({ files, base: exampleFiles() }), config, rules: [markerRule("service-readme-required", "@evil-user <img src=x>")] });
    expect(report.services).toEqual([name]);
    const body = renderComment(report, { headSha: HEAD, config })!;
    expect(liveMentions(body)).toEqual([]);
    expect(tableRowWidths(body)).toEqual([[2, 2]]);
    expect(codeSpans(body)).toContain(name);
    expect(body.split(COMMENT_MARKER)).toHaveLength(2);
    expect(utf8Length(body)).toBeLessThan(65_536);
  });
});

describe("reading state back", () => {
  it("takes the last state block, the one the bot writes at the end", () => {
    const signer = new CommentSigner("secret");
    const first = signer.sign(renderComment(hostileReport(""), { headSha: "a".repeat(40) })!);
    const second = signer.sign(renderComment(hostileReport(""), { headSha: "b".repeat(40) })!);
    // A person pastes an old body above the current one: the bot still reads its own last block.
    expect(readCommentState(`${first}\n${second}`)?.headSha).toBe("b".repeat(40));
  });
});
