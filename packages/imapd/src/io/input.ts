// Pull-style reader over the client's byte stream. The stream is paused while more than
// HIGH_WATER bytes wait unread, so a client that floods us cannot grow memory.

import type { Readable } from "node:stream";

const HIGH_WATER = 256 * 1024;

export interface LineResult {
  /** The line without its CRLF/LF; for an overlong line, only its first bytes. */
  line: Buffer;
  /** The line was longer than allowed; the rest of it was discarded. */
  overflow: boolean;
}

export class Input {
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

  /** Reads from `stream` from now on (the TLS socket after STARTTLS). */
  attach(stream: Readable): void {
    this.stream = stream;
    stream.on("data", this.onData);
    stream.on("end", this.onEnd);
    stream.on("close", this.onEnd);
    stream.on("error", this.onEnd);
  }

  /**
   * Stops reading and throws away whatever the client sent that was not read yet: before
   * a TLS handshake, so no plain-text command can be smuggled into the encrypted session.
   */
  detach(): void {
    this.stream.pause();
    this.stream.off("data", this.onData);
    this.stream.off("end", this.onEnd);
    this.stream.off("close", this.onEnd);
    this.stream.off("error", this.onEnd);
    this.buf = Buffer.alloc(0);
  }

  get isEnded(): boolean {
    return this.ended && this.buf.length === 0;
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private waitForData(): Promise<void> {
    if (this.stream.isPaused() && this.buf.length <= HIGH_WATER) this.stream.resume();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private take(n: number): Buffer {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    if (this.buf.length === 0) this.buf = Buffer.alloc(0);
    return out;
  }

  /** Next line (LF-terminated; a CR before the LF is dropped), or null at end of input. */
  async readLine(maxLength: number): Promise<LineResult | null> {
    let head: Buffer | undefined;
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl >= 0) {
        let line = this.take(nl + 1).subarray(0, nl);
        if (line.length && line[line.length - 1] === 13) line = line.subarray(0, -1);
        if (head) return { line: head, overflow: true };
        if (line.length > maxLength) return { line: Buffer.from(line.subarray(0, 256)), overflow: true };
        return { line: Buffer.from(line), overflow: false };
      }
      if (this.buf.length > maxLength) {
        head ??= Buffer.from(this.buf.subarray(0, 256));
        this.take(this.buf.length);
      }
      if (this.ended) return null;
      await this.waitForData();
    }
  }

  /** Exactly n bytes, or null if the input ends first. */
  async readBytes(n: number): Promise<Buffer | null> {
    while (this.buf.length < n) {
      if (this.ended) return null;
      await this.waitForData();
    }
    return Buffer.from(this.take(n));
  }

  /** Discards n bytes without keeping them; false if the input ended first. */
  async skipBytes(n: number): Promise<boolean> {
    let left = n;
    for (;;) {
      const k = Math.min(left, this.buf.length);
      this.take(k);
      left -= k;
      if (left === 0) return true;
      if (this.ended) return false;
      await this.waitForData();
    }
  }

  /** Treats the input as ended from now on (timeouts, fatal errors). */
  end(): void {
    this.ended = true;
    this.buf = Buffer.alloc(0);
    this.stream.pause();
    this.notify();
  }
}
