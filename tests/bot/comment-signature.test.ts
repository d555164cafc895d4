import { describe, expect, test } from "vitest";
import { CommentSigner, configDigest, rulesetVersion } from "../../src/bot/comment-signature.js";
import { DEFAULT_CONFIG, parseConfig } from "../../src/engine/config.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { runChecks } from "../../src/engine/run.js";
import { readCommentState, renderComment } from "../../src/report/comment.js";
import { exampleFiles } from "../helpers/example-repo.js";
import serviceYamlRequired from "../../src/rules/service-yaml-required.js";
import { BOT_TEST_RULES } from "../support/scenario.js";

async function comment() {
  const base = exampleFiles();
  const head = { ...base, "services/billing-ledger/service.yaml": base["services/billing-ledger/service.yaml"]!.replace("status: beta", "status: gamma") };
  const report = await runChecks({ snapshot: new MemorySnapshot({ files: head, base }), config: DEFAULT_CONFIG, rules: BOT_TEST_RULES });
  return { report, body: renderComment(report, { headSha: "c".repeat(40) })! };
}

test("a signed comment's report is trusted; signing again replaces the signature rather than adding one", async () => {
  const { body } = await comment();
  const signer = new CommentSigner("secret");
  const signed = signer.sign(body);
  expect(signer.verifiedState(signed)?.headSha).toBe("c".repeat(40));
  expect(signer.sign(signed)).toBe(signed);
  expect(signed.match(/platform-checks:signature/g)).toHaveLength(1);
  // Ticking a box does not touch the report, so the signature still holds.
  expect(signer.verifiedState(signed.replace("- [ ]", "- [x]"))).toBeDefined();
});

test("a report changed by hand, an unsigned comment, or another key's signature is not trusted", async () => {
  const { report, body } = await comment();
  const signer = new CommentSigner("secret");
  const signed = signer.sign(body);
  const signature = /<!-- platform-checks:signature [0-9a-f]+ -->/.exec(signed)![0];
  const forged = `${renderComment({ ...report, findings: [], conclusion: "success" }, { headSha: "c".repeat(40) })!}${signature}\n`;
  expect(readCommentState(forged)).toBeDefined();
  expect(signer.verifiedState(forged)).toBeUndefined();
  expect(signer.verifiedState(body)).toBeUndefined();
  expect(new CommentSigner("other").verifiedState(signed)).toBeUndefined();
  expect(new CommentSigner().verifiedState(signed)).toBeUndefined();
});

test("a comment without a report is left as it is", () => {
  expect(new CommentSigner("secret").sign("<!-- platform-checks:sticky -->\nnothing\n")).toBe("<!-- platform-checks:sticky -->\nnothing\n");
});

describe("the signed state is bound to what it was computed for", () => {
  const binding = { repository: "loop/platform", pullNumber: 7, baseSha: "b".repeat(40), configDigest: configDigest(DEFAULT_CONFIG), rulesetVersion: rulesetVersion(BOT_TEST_RULES) };
  const expected = { ...binding, headSha: "c".repeat(40) };

  async function signedBody() {
    const { report } = await comment();
    return new CommentSigner("secret").sign(renderComment(report, { headSha: "c".repeat(40), binding })!);
  }

  test("the same pull request as it is now: trusted", async () => {
    expect(new CommentSigner("secret").boundState(await signedBody(), expected)).toHaveProperty("state");
  });

  test.each([
    ["repository", { repository: "loop/other" }],
    ["pullNumber", { pullNumber: 8 }],
    ["headSha", { headSha: "d".repeat(40) }],
    ["baseSha", { baseSha: "e".repeat(40) }],
    ["configDigest", { configDigest: configDigest(parseConfig({ rules: { "service-yaml-schema": "warning" } })) }],
    ["rulesetVersion", { rulesetVersion: rulesetVersion([serviceYamlRequired]) }],
  ] as const)("a different %s: not trusted", async (field, change) => {
    expect(new CommentSigner("secret").boundState(await signedBody(), { ...expected, ...change })).toEqual({ problem: `changed:${field}` });
  });

  test("editing the binding in the comment breaks the signature", async () => {
    const body = await signedBody();
    const state = readCommentState(body)!;
    const forged = renderComment(state.report, { headSha: state.headSha, binding: { ...binding, configDigest: "0".repeat(32) } })!;
    const signature = /<!-- platform-checks:signature [0-9a-f]+ -->/.exec(body)![0];
    expect(new CommentSigner("secret").boundState(`${forged}${signature}\n`, { ...expected, configDigest: "0".repeat(32) })).toEqual({ problem: "bad-signature" });
  });

  test("the config digest follows the content, not the key order; the rule-set version follows messages", () => {
    const a = parseConfig({ rules: { "service-yaml-schema": "warning", "service-yaml-required": "error" } });
    const b = parseConfig({ rules: { "service-yaml-required": "error", "service-yaml-schema": "warning" } });
    expect(configDigest(a)).toBe(configDigest(b));
    expect(configDigest(a)).not.toBe(configDigest(DEFAULT_CONFIG));
    const reworded = { ...serviceYamlRequired, meta: { ...serviceYamlRequired.meta, messages: { ...serviceYamlRequired.meta.messages, missing: "reworded" } } };
    expect(rulesetVersion([reworded])).not.toBe(rulesetVersion([serviceYamlRequired]));
    expect(rulesetVersion(BOT_TEST_RULES)).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{16}$/);
  });
});
