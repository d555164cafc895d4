import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { readCommentState } from "../report/comment.js";

const SIGNATURE = /\n?<!-- platform-checks:signature ([0-9a-f]{64}) -->\n?/g;

/**
 * The sticky comment carries the last report so a checklist tick can be
 * re-evaluated without reading code. Anyone who can edit the comment could
 * also edit that report (say, drop its findings), so the bot signs it with a
 * key only it knows and trusts it only when the signature matches; otherwise
 * a tick costs a full re-run from the code, which nothing in the comment can
 * influence but the manual ticks themselves.
 */
export class CommentSigner {
  private readonly key: Buffer;

  /** `secret`: e.g. the webhook secret; without one, a random key (signatures then last as long as the process). */
  constructor(secret?: string) {
    this.key = secret ? createHmac("sha256", secret).update("platform-checks comment state").digest() : randomBytes(32);
  }

  /** Adds (or replaces) the signature of the report the comment carries. */
  sign(body: string): string {
    const unsigned = body.replace(SIGNATURE, "\n");
    const state = readCommentState(unsigned);
    if (!state) return unsigned;
    return `${unsigned.replace(/\n*$/, "\n")}<!-- platform-checks:signature ${this.mac(state)} -->\n`;
  }

  /** The report the comment carries, if the bot signed exactly that report. */
  verifiedState(body: string): ReturnType<typeof readCommentState> {
    const state = readCommentState(body);
    const signature = [...body.matchAll(SIGNATURE)].at(-1)?.[1];
    if (!state || !signature) return undefined;
    const expected = Buffer.from(this.mac(state), "hex");
    const actual = Buffer.from(signature, "hex");
    return actual.length === expected.length && timingSafeEqual(actual, expected) ? state : undefined;
  }

  private mac(state: NonNullable<ReturnType<typeof readCommentState>>): string {
    return createHmac("sha256", this.key).update(JSON.stringify(state)).digest("hex");
  }
}
