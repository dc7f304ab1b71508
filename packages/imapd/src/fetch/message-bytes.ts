// The CRLF (wire) form of one message for BODY[...] literals. A file up to HOLD bytes is
// read whole, synchronously, once per FETCH response and converted in one pass; a larger
// one is streamed in chunks (folder.open) so that memory stays bounded.

import { type CrlfInfo, type Folder, type MessageInfo, toCrlf } from "@courier-imap/maildir";

const HOLD = 1024 * 1024;

export class MessageBytes {
  /** The stored bytes of a file up to HOLD; null: larger (or not read yet: undefined). */
  private raw?: Buffer | null;
  private wire?: Buffer;
  private crlf?: CrlfInfo;

  constructor(
    private readonly folder: Folder,
    private readonly msg: MessageInfo,
  ) {}

  /** The stored bytes when the file is small enough to be held, read once. */
  rawBytes(): Buffer | undefined {
    if (this.raw === undefined) this.raw = this.folder.readMessageSync(this.msg, HOLD) ?? null;
    return this.raw ?? undefined;
  }

  /** Sizes of the CRLF form (from the same read as the bytes, when the file is held). */
  info(): CrlfInfo {
    if (!this.crlf) {
      const raw = this.rawBytes();
      this.crlf = raw ? this.folder.crlfInfoOf(this.msg, raw) : this.folder.crlfInfoSync(this.msg);
    }
    return this.crlf;
  }

  /**
   * Bytes [start, end) of the CRLF form, padded with spaces if the file turned out shorter
   * than info() said (a literal's announced length is kept); undefined for a large file.
   */
  bytes(start: number, end: number): Buffer | undefined {
    const raw = this.rawBytes();
    if (!raw) return undefined;
    this.wire ??= toCrlf(raw);
    if (end <= this.wire.length) return this.wire.subarray(start, end);
    const out = Buffer.alloc(end - start, 32);
    if (start < this.wire.length) this.wire.copy(out, 0, start);
    return out;
  }
}
