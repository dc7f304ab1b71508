// The CRLF (wire) form of one message for BODY[...] literals. A file up to HOLD bytes is
// read whole, synchronously, once per FETCH response and converted in one pass; a larger
// one is streamed in chunks (folder.open) so that memory stays bounded.

import { type CrlfInfo, crlfInto, type Folder, type MessageInfo, toCrlf } from "@courier-imap/maildir";
import type { Output } from "../io/output.js";

const HOLD = 1024 * 1024;
let scratch = Buffer.allocUnsafe(64 * 1024);

/** The shared read buffer, grown to hold `size` bytes. */
function scratchFor(size: number): Buffer {
  if (scratch.length < size) scratch = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(size)));
  return scratch;
}

export class MessageBytes {
  /** The stored bytes of a file up to HOLD; null: larger (or not read yet: undefined). */
  private raw?: Buffer | null;
  private wire?: Buffer;
  private crlf?: CrlfInfo;

  constructor(
    private readonly folder: Folder,
    private readonly msg: MessageInfo,
  ) {}

  /**
   * The stored bytes when the file is small enough to be held, read once (into a buffer
   * shared by all messages: valid until the next MessageBytes reads).
   */
  rawBytes(): Buffer | undefined {
    if (this.raw === undefined)
      this.raw = this.folder.readMessageSync(this.msg, HOLD, (size) => scratchFor(size)) ?? null;
    return this.raw ?? undefined;
  }

  /**
   * Writes the whole CRLF form of a held message (info().size bytes, padded with spaces as
   * bytes() pads) straight into the output's block; false when the file is not held.
   */
  writeWhole(out: Output): boolean {
    const raw = this.rawBytes();
    if (!raw) return false;
    out.writeFilled(this.info().size, (target) => {
      const n = crlfInto(raw, target);
      if (n < target.length) target.fill(32, n);
    });
    return true;
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
