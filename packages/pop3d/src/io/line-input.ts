// Reads the client's command lines. Lines longer than the limit are cut (the rest of the
// line is discarded, as Courier's 8 KiB buffer does). The stream is paused while a lot of
// unread input waits, so a flooding client cannot grow memory.

import type { Readable } from "node:stream";

const HIGH_WATER = 64 * 1024;

export class LineInput {
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;
  /** Bytes received from the client. */
  received = 0;
  private stream!: Readable;

  private readonly onData = (chunk: Buffer) => {
    this.received += chunk.length;
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    if (this.buf.length > HIGH_WATER) this.stream.pause();
    this.notify();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.notify();
  };

  constructor(stream: Readable) {
    this.attach(stream);
  }

  attach(stream: Readable): void {
    this.stream = stream;
    this.ended = false;
    stream.on("data", this.onData);
    stream.on("end", this.onEnd);
    stream.on("close", this.onEnd);
    stream.on("error", this.onEnd);
  }

  /** Stops reading and drops unread input (before STLS: nothing plain-text may leak in). */
  detach(): void {
    this.stream.pause();
    this.stream.off("data", this.onData);
    this.stream.off("end", this.onEnd);
    this.stream.off("close", this.onEnd);
    this.stream.off("error", this.onEnd);
    this.buf = Buffer.alloc(0);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** The next line without CRLF/LF (latin1 bytes kept as UTF-8 text), or null at end of input. */
  async readLine(maxLength: number): Promise<string | null> {
    let overflow = false;
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl >= 0) {
        let line = this.buf.subarray(0, nl);
        this.buf = this.buf.subarray(nl + 1);
        if (line.length && line[line.length - 1] === 13) line = line.subarray(0, -1);
        if (overflow || line.length > maxLength) line = line.subarray(0, maxLength);
        return line.toString("utf8");
      }
      if (this.buf.length > maxLength) {
        // keep the head of an overlong line, throw away the rest until its end
        overflow = true;
        this.buf = this.buf.subarray(0, maxLength);
      }
      if (this.ended) return null;
      if (this.stream.isPaused()) this.stream.resume();
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Treats the input as ended (timeouts). */
  end(): void {
    this.ended = true;
    this.buf = Buffer.alloc(0);
    this.stream.pause();
    this.notify();
  }
}
