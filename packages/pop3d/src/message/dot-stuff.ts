// A stored message (LF line ends) as POP3 sends it (RFC 1939 §3): every LF becomes CRLF, a
// line starting with "." gets another ".", a CRLF is added when the file lacks a final LF,
// then the ".\r\n" terminator. Works chunk by chunk, so a message is never held whole.
// With a line limit it is TOP's encoder: all header lines, the blank line, then at most
// `bodyLines` lines of the body.

const CRLF = Buffer.from("\r\n");
const DOT = Buffer.from(".");

export class DotStuffer {
  private atLineStart = true;
  private lineEmpty = true;
  private inHeader = true;
  private bodySent = 0;
  private seen = false;
  private terminator = ".\r\n";
  /** The line limit was reached: nothing more is sent. */
  done = false;
  /** File bytes encoded so far (what Courier's log counts as top=/retr=). */
  consumed = 0;

  constructor(private readonly bodyLines = Number.POSITIVE_INFINITY) {}

  /** The wire bytes for the next chunk of the file. */
  encode(chunk: Buffer): Buffer {
    const parts: Buffer[] = [];
    let pos = 0;
    if (chunk.length) this.seen = true;
    while (pos < chunk.length && !this.done) {
      if (this.atLineStart) {
        if (!this.inHeader && this.bodySent >= this.bodyLines) {
          this.done = true;
          break;
        }
        if (chunk[pos] === 0x2e) parts.push(DOT);
        this.atLineStart = false;
        this.lineEmpty = true;
      }
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        parts.push(chunk.subarray(pos));
        this.lineEmpty = false;
        pos = chunk.length;
        break;
      }
      if (nl > pos) this.lineEmpty = false;
      parts.push(chunk.subarray(pos, nl), CRLF);
      pos = nl + 1;
      this.endLine();
    }
    this.consumed += pos;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  private endLine(): void {
    if (this.inHeader) {
      if (this.lineEmpty) this.inHeader = false;
    } else this.bodySent++;
    this.atLineStart = true;
  }

  /** For a message sent inside a wrapper: finish() then only completes the last line. */
  withoutTerminator(): this {
    this.terminator = "";
    return this;
  }

  /** The last bytes: a CRLF if the last line had none (or the file was empty), and ".". */
  finish(): Buffer {
    const complete = this.done || (this.seen && this.atLineStart);
    return Buffer.from(complete ? this.terminator : `\r\n${this.terminator}`);
  }
}
