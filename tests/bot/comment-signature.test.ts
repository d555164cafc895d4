import { expect, test } from "vitest";
import { CommentSigner } from "../../src/bot/comment-signature.js";
import { DEFAULT_CONFIG } from "../../src/engine/config.js";
import { MemorySnapshot } from "../../src/engine/memory-snapshot.js";
import { runChecks } from "../../src/engine/run.js";
import { readCommentState, renderComment } from "../../src/report/comment.js";
import { exampleFiles } from "../helpers/example-repo.js";
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
