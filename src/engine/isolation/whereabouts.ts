/** What the check was busy with when last heard from. */
export interface Whereabouts {
  path?: string;
  rule?: string;
  service?: string | null;
}

/** Bytes kept of each field (UTF-8); longer values are cut at a character boundary. */
const FIELD_BYTES = { path: 2048, rule: 256, service: 256 } as const;
type Field = keyof typeof FIELD_BYTES;
const FIELDS = Object.keys(FIELD_BYTES) as Field[];
/** Length slot values that are no text. */
const UNSET = -1;
const NULL = -2;

/**
 * What the worker is busy with (file, rule, service), in memory shared with
 * the main thread: written on every read without a message, and still
 * readable after the worker was terminated or ran out of heap, when the main
 * thread names the file in the budget's message.
 */
export class WhereaboutsBoard {
  private readonly lengths: Int32Array;
  private readonly bytes: Record<Field, Uint8Array>;
  private readonly encoder = new TextEncoder();

  /** A new board, nothing noted yet (the main thread makes it and hands its buffer to the worker). */
  static create(): WhereaboutsBoard {
    const board = new WhereaboutsBoard(new SharedArrayBuffer(4 * FIELDS.length + FIELDS.reduce((sum, f) => sum + FIELD_BYTES[f], 0)));
    for (let i = 0; i < FIELDS.length; i++) Atomics.store(board.lengths, i, UNSET);
    return board;
  }

  /** The board over a buffer made by `create` (in the worker, the one the task carried). */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.lengths = new Int32Array(buffer, 0, FIELDS.length);
    let offset = 4 * FIELDS.length;
    const bytes = {} as Record<Field, Uint8Array>;
    for (const field of FIELDS) {
      bytes[field] = new Uint8Array(buffer, offset, FIELD_BYTES[field]);
      offset += FIELD_BYTES[field];
    }
    this.bytes = bytes;
    if (buffer.byteLength !== offset) throw new Error("WhereaboutsBoard: buffer of the wrong size");
  }

  set path(value: string) {
    this.write("path", value);
  }

  /** A rule starts, for a service or (null) the whole repository. */
  rule(rule: string, service: string | null): void {
    this.write("rule", rule);
    this.write("service", service);
  }

  read(): Whereabouts {
    const out: Whereabouts = {};
    const path = this.field("path");
    const rule = this.field("rule");
    const service = this.field("service");
    if (typeof path === "string") out.path = path;
    if (typeof rule === "string") out.rule = rule;
    if (service !== undefined) out.service = service;
    return out;
  }

  private write(field: Field, value: string | null): void {
    const index = FIELDS.indexOf(field);
    if (value === null) {
      Atomics.store(this.lengths, index, NULL);
      return;
    }
    const { written } = this.encoder.encodeInto(value, this.bytes[field]);
    Atomics.store(this.lengths, index, written);
  }

  private field(field: Field): string | null | undefined {
    const length = Atomics.load(this.lengths, FIELDS.indexOf(field));
    if (length === UNSET) return undefined;
    if (length === NULL) return null;
    // Copied out first: TextDecoder does not read shared memory.
    return new TextDecoder().decode(this.bytes[field].slice(0, length));
  }
}
