// The CRLF (wire) form of one message for BODY[...] literals. A file up to HOLD bytes is
// read whole, synchronously, once per FETCH response and converted in one pass; a larger
// one is streamed in chunks (folder.open) so that memory stays bounded.

import { type CrlfInfo, type Folder, type MessageInfo, toCrlf } from "@courier-imap/maildir";

const HOLD = 1024 * 1024;

export class MessageBytes {
  private raw?: Buffer;
  private wire?: Buffer;
  private crlf?: CrlfInfo;

  constructor(
    private readonly folder: Folder,
    private readonly msg: MessageInfo,
  ) {}

  /** True when the file is small enough to be held (bytes() then never returns undefined). */
  get held(): boolean {
    return this.folder.storedBytesSync(this.msg) <= HOLD;
  }

  private load(): Buffer {
    this.raw ??= this.folder.readMessageSync(this.msg);
    return this.raw;
  }

  /** Sizes of the CRLF form (from the same read as the bytes, when the file is held). */
  info(): CrlfInfo {
    this.crlf ??= this.held
      ? this.folder.crlfInfoOf(this.msg, this.load())
      : this.folder.crlfInfoSync(this.msg);
    return this.crlf;
  }

  /** The stored bytes of a held file. */
  rawBytes(): Buffer | undefined {
    return this.held ? this.load() : undefined;
  }

  /**
   * Bytes [start, end) of the CRLF form, padded with spaces if the file turned out shorter
   * than info() said (a literal's announced length is kept); undefined for a large file.
   */
  bytes(start: number, end: number): Buffer | undefined {
    if (!this.held) return undefined;
    this.wire ??= toCrlf(this.load());
    if (end <= this.wire.length) return this.wire.subarray(start, end);
    const out = Buffer.alloc(end - start, 32);
    if (start < this.wire.length) this.wire.copy(out, 0, start);
    return out;
  }
}
