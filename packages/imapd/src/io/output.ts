// Ordered writer to the client: small writes are gathered and sent as whole responses;
// streams are piped with backpressure. Counts bytes sent for the LOGOUT log line.

import type { Readable, Writable } from "node:stream";

const GATHER = 64 * 1024;

export class Output {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private closed = false;
  private ending?: Promise<void>;
  /** Bytes sent to the client. */
  sent = 0;

  constructor(private readonly stream: Writable) {
    stream.on("error", () => {
      this.closed = true;
    });
    stream.on("close", () => {
      this.closed = true;
    });
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

  /** Sends everything gathered so far, waiting for the socket to drain if it is full. */
  async flush(): Promise<void> {
    if (!this.pendingBytes) return;
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    await this.send(data);
  }

  private send(data: Buffer): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.sent += data.length;
    if (this.stream.write(data)) return Promise.resolve();
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
