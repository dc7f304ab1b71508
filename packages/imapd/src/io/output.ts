// Ordered writer to the client: small writes are gathered and sent as whole responses;
// streams are piped with backpressure. Counts bytes sent for the LOGOUT log line.

import type { Readable, Writable } from "node:stream";

const GATHER = 128 * 1024;
const BLOCK = 256 * 1024;

export class Output {
  private pending: Buffer[] = [];
  private block?: Buffer;
  private blockUsed = 0;
  private pendingBytes = 0;
  private closed = false;
  private ending?: Promise<void>;
  /** Bytes sent to the client. */
  sent = 0;

  private stream!: Writable;
  private readonly onClose = () => {
    this.closed = true;
  };

  constructor(stream: Writable) {
    this.attach(stream);
  }

  /** Writes to `stream` from now on (the TLS socket after STARTTLS). */
  attach(stream: Writable): void {
    if (this.stream) {
      this.stream.off("error", this.onClose);
      this.stream.off("close", this.onClose);
    }
    this.stream = stream;
    stream.on("error", this.onClose);
    stream.on("close", this.onClose);
  }

  /** Flushes and resolves once the bytes are handed to the OS, not just queued by Node. */
  async drain(): Promise<void> {
    await this.flush();
    if (this.closed) return;
    await new Promise<void>((resolve) => this.stream.write(Buffer.alloc(0), () => resolve()));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  write(data: string | Buffer): void {
    const b = typeof data === "string" ? Buffer.from(data) : data;
    this.pending.push(b);
    this.pendingBytes += b.length;
    if (this.pendingBytes >= GATHER) void this.flush();
  }

  /**
   * Writes `n` bytes that `fill` puts into the buffer it is given (e.g. a message converted
   * to CRLF), in a shared block rather than a buffer of their own. A block is never reused:
   * the socket may still hold it.
   */
  writeFilled(n: number, fill: (target: Buffer) => void): void {
    if (n > BLOCK / 4) {
      const own = Buffer.allocUnsafe(n);
      fill(own);
      this.write(own);
      return;
    }
    if (!this.block || this.blockUsed + n > this.block.length) {
      this.block = Buffer.allocUnsafe(BLOCK);
      this.blockUsed = 0;
    }
    const start = this.blockUsed;
    const target = this.block.subarray(start, start + n);
    this.blockUsed += n;
    fill(target);
    // right after the previous piece of the same block: one piece, one iovec
    const last = this.pending[this.pending.length - 1];
    if (
      last &&
      last.buffer === this.block.buffer &&
      last.byteOffset + last.length === this.block.byteOffset + start
    ) {
      this.pending[this.pending.length - 1] = this.block.subarray(start - last.length, start + n);
      this.pendingBytes += n;
      if (this.pendingBytes >= GATHER) void this.flush();
    } else this.write(target);
  }

  /** Writes a binary (latin1) string, one byte per char, into the shared block. */
  writeLatin1(s: string): void {
    this.writeFilled(s.length, (target) => target.write(s, 0, "latin1"));
  }

  /** Sends everything gathered so far, waiting for the socket to drain if it is full. */
  async flush(): Promise<void> {
    if (!this.pendingBytes) return;
    const data = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    await this.send(data);
  }

  // Several buffers go out corked: one writev, without first copying them into one.
  private send(data: Buffer | Buffer[]): Promise<void> {
    if (this.closed) return Promise.resolve();
    let ok = true;
    if (Array.isArray(data)) {
      if (data.length > 1) this.stream.cork();
      for (const b of data) {
        this.sent += b.length;
        ok = this.stream.write(b);
      }
      if (data.length > 1) this.stream.uncork();
    } else {
      this.sent += data.length;
      ok = this.stream.write(data);
    }
    return ok ? Promise.resolve() : this.drained();
  }

  /** Resolves at the socket's next drain (or close). */
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.stream.off("drain", done);
        this.stream.off("close", done);
        resolve();
      };
      this.stream.on("drain", done);
      this.stream.on("close", done);
    });
  }

  /** True when the socket holds more than it wants: a long reply should await room(). */
  get full(): boolean {
    return !this.closed && this.stream.writableNeedDrain;
  }

  /** Resolves once the socket has taken what it holds (at once when it is not full). */
  room(): Promise<void> {
    return this.full ? this.drained() : Promise.resolve();
  }

  /** Copies a stream to the client after whatever was written before it. */
  async pipeFrom(source: Readable): Promise<number> {
    await this.flush();
    let n = 0;
    for await (const chunk of source) {
      n += (chunk as Buffer).length;
      await this.send(chunk as Buffer);
    }
    return n;
  }

  /** Flushes and ends the stream; resolves once the bytes are handed to the OS (or the peer is gone). */
  end(): Promise<void> {
    this.ending ??= this.flush().then(() => {
      if (this.closed) return;
      return new Promise<void>((resolve) => {
        this.stream.once("error", () => resolve());
        this.stream.end(() => resolve());
      });
    });
    return this.ending;
  }
}
