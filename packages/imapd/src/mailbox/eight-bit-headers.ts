// Whether a message's header has 8-bit bytes: Courier warns a client that APPENDs such a
// message outside `UTF8 (~{n}…)` (imapd-behaviour.md §7.5) but stores it all the same.

/** Follows a message through its chunks; `found` once an 8-bit byte appears before the blank line. */
export class EightBitHeaderCheck {
  found = false;
  private inHeader = true;
  /** Bytes since the last LF, ignoring CR: 0 at a line start. */
  private col = 0;

  push(chunk: Uint8Array): void {
    for (let i = 0; this.inHeader && i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 0x0a) {
        if (this.col === 0) this.inHeader = false;
        this.col = 0;
      } else if (b !== 0x0d) {
        this.col++;
        if (b >= 0x80) {
          this.found = true;
          this.inHeader = false;
        }
      }
    }
  }

  /** Passes the chunks through, checking them on the way. */
  async *through(source: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
    for await (const chunk of source) {
      this.push(chunk);
      yield chunk;
    }
  }
}
