/** A place in a SQL file, 1-based. */
export interface SqlLocation {
  path: string;
  line: number;
  column: number;
}

/** A SQL file's text with a line index, so locations are found by binary search rather than rescanning the file. */
export class SqlFile {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** The 1-based location of a character offset. */
  locate(offset: number): SqlLocation {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    return { path: this.path, line: low + 1, column: at - this.lineStarts[low]! + 1 };
  }
}

/**
 * libpg_query reports locations as UTF-8 byte offsets; ts strings index
 * UTF-16 code units. Maps one to the other for one parsed string.
 */
export class ByteOffsets {
  private table: Uint32Array | undefined;
  private readonly ascii: boolean;

  constructor(private readonly text: string) {
    let ascii = true;
    for (let i = 0; i < text.length && ascii; i++) if (text.charCodeAt(i) > 0x7f) ascii = false;
    this.ascii = ascii;
  }

  /** The character offset of a byte offset (a byte inside a multi-byte character maps to that character). */
  toChar(byteOffset: number): number {
    if (this.ascii) return Math.min(byteOffset, this.text.length);
    const table = (this.table ??= this.build());
    return table[Math.max(0, Math.min(byteOffset, table.length - 1))]!;
  }

  /** The text of a byte range. */
  slice(byteStart: number, byteEnd: number): string {
    return this.text.slice(this.toChar(byteStart), this.toChar(byteEnd));
  }

  private build(): Uint32Array {
    const table = new Uint32Array(Buffer.byteLength(this.text) + 1);
    let byte = 0;
    for (let i = 0; i < this.text.length; i++) {
      const code = this.text.codePointAt(i)!;
      const width = code <= 0x7f ? 1 : code <= 0x7ff ? 2 : code <= 0xffff ? 3 : 4;
      for (let k = 0; k < width; k++) table[byte + k] = i;
      byte += width;
      if (code > 0xffff) i++; // a surrogate pair is one code point
    }
    table[byte] = this.text.length;
    return table;
  }
}

/** A statement's first line, shortened, for messages. */
export function excerptOf(sql: string): string {
  const trimmed = sql.trim();
  const newline = trimmed.indexOf("\n");
  const first = (newline < 0 ? trimmed : trimmed.slice(0, newline)).trimEnd();
  return first.length > 80 ? `${first.slice(0, 77)}…` : first;
}

/**
 * A piece of SQL handed to the parser, and where it sits in its file: a whole
 * migration, or a statement inside a DO block or function body. When the
 * piece is a verbatim slice of the file (a dollar-quoted body is), parser
 * locations map to their exact place; otherwise (a quoted string with
 * escapes, a string built from literals) every location is the piece's anchor.
 */
export class SqlRegion {
  readonly bytes: ByteOffsets;
  private lineStarts: number[] | undefined;

  constructor(
    readonly file: SqlFile,
    readonly text: string,
    /** Character offset in the file of `text[0]` (verbatim) or of the construct that produced it. */
    readonly base: number,
    readonly verbatim: boolean,
  ) {
    this.bytes = new ByteOffsets(text);
  }

  static wholeFile(file: SqlFile): SqlRegion {
    return new SqlRegion(file, file.text, 0, true);
  }

  /** The file offset of a UTF-8 byte offset in `text`. */
  fileOffset(byteOffset: number): number {
    return this.verbatim ? this.base + this.bytes.toChar(byteOffset) : this.base;
  }

  locate(byteOffset: number): SqlLocation {
    return this.file.locate(this.fileOffset(byteOffset));
  }

  /** A sub-piece starting at character `charOffset` of `text` (verbatim when this region is). */
  sub(charOffset: number, text: string): SqlRegion {
    return new SqlRegion(this.file, text, this.verbatim ? this.base + charOffset : this.base, this.verbatim);
  }

  /** A piece whose text is not a slice of the file: every location is `charOffset` of this region. */
  derived(charOffset: number, text: string): SqlRegion {
    return new SqlRegion(this.file, text, this.verbatim ? this.base + charOffset : this.base, false);
  }

  /** The character offset in `text` where 1-based `line` begins. */
  lineStart(line: number): number {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))]!;
  }
}
