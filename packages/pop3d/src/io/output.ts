// Ordered writer to the client. Replies are gathered and sent whole (no delayed-ACK waits);
// message bodies are written chunk by chunk with backpressure. Counts bytes for the log.

import type { Writable } from "node:stream";

const GATHER = 64 * 1024;

export class Output {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private closed = false;
  /** Bytes sent to the client. */
  sent = 0;
  private stream!: Writable;
  private readonly onClose = () => {
    this.closed = true;
  };

  constructor(stream: Writable) {
    this.attach(stream);
  }

  attach(stream: Writable): void {
    if (this.stream) {
      this.stream.off("error", this.onClose);
      this.stream.off("close", this.onClose);
    }
    this.stream = stream;
    this.closed = false;
    stream.on("error", this.onClose);
    stream.on("close", this.onClose);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Queues bytes; sent at the next flush or once 64 KiB are gathered. */
  async write(data: string | Buffer): Promise<void> {
    const b = typeof data === "string" ? Buffer.from(data) : data;
    this.pending.push(b);
    this.pendingBytes += b.length;
    if (this.pendingBytes >= GATHER) await this.flush();
  }

  /** A reply line: the text plus CRLF. */
  line(text: string): Promise<void> {
    return this.write(`${text}\r\n`);
  }

  async flush(): Promise<void> {
    if (!this.pendingBytes) return;
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    if (this.closed) return;
    this.sent += data.length;
    if (this.stream.write(data)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off("drain", done);
        this.stream.off("close", done);
        resolve();
      };
      this.stream.on("drain", done);
      this.stream.on("close", done);
    });
  }

  /** Flushes and ends the stream; resolves once the bytes are with the OS (or the peer is gone). */
  async end(): Promise<void> {
    await this.flush();
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      this.stream.once("error", () => resolve());
      this.stream.end(() => resolve());
    });
  }
}
