// Reads one raw command: its line, and for each `{n}` / `{n+}` at a line end the literal
// bytes and the line that continues after them. Synchronising literals get the `+ OK`
// continuation first. Limits on line and literal size give a clean error, never unbounded
// memory: a rejected `{n}` is never sent by the client, a rejected `{n+}` is skipped.

import type { Input } from "../io/input.js";

export interface ReaderLimits {
  /** Longest line (between literals), in bytes. */
  maxLine: number;
  /** Largest literal. */
  maxLiteral: number;
  /** Largest whole command (lines + literals). */
  maxCommand: number;
}

export const DEFAULT_LIMITS: ReaderLimits = {
  maxLine: 16384,
  maxLiteral: 64 * 1024,
  maxCommand: 1024 * 1024,
};

/** parts[0] is the first line; then literal, line, literal, line … (odd indexes are literals). */
export interface RawCommand {
  parts: Buffer[];
  /**
   * The last part ends with a literal that has not been read: an APPEND message, which the
   * command streams with CommandReader.openStreamedLiteral() instead of holding in memory.
   */
  streamed?: { size: number; nonSync: boolean };
}

/** APPEND literals larger than this are streamed to the command, never buffered. */
export const STREAM_THRESHOLD = 8192;
/** Largest APPEND literal accepted (streamed to disk, so only the disk and quota bound it). */
export const MAX_STREAMED = 2 ** 40;
const STREAM_CHUNK = 64 * 1024;
const STREAMING_COMMAND = /^[^ ]+ (?:UID )?APPEND /i;

interface PendingLiteral {
  size: number;
  nonSync: boolean;
  /** Bytes of the literal not yet read from the input. */
  left: number;
  started: boolean;
}

export type ReadResult =
  | { kind: "command"; raw: RawCommand }
  | { kind: "error"; tag: string | undefined; text: string }
  | { kind: "eof" };

const LITERAL_AT_END = /\{(\d{1,10})(\+?)\}$/;

export function literalAtEnd(line: Buffer): { size: number; nonSync: boolean } | undefined {
  if (!line.length || line[line.length - 1] !== 0x7d) return undefined;
  const m = LITERAL_AT_END.exec(line.subarray(Math.max(0, line.length - 14)).toString("latin1"));
  return m ? { size: Number(m[1]), nonSync: m[2] === "+" } : undefined;
}

/** The tag of a (possibly partial) command line, if it has a plausible one. */
export function peekTag(line: Buffer): string | undefined {
  const m = /^([^\s(){%*"\\+\x00-\x1f\x7f]+)(?: |$)/.exec(line.subarray(0, 200).toString("latin1"));
  return m ? m[1] : undefined;
}

export class CommandReader {
  private pending: PendingLiteral | undefined;

  constructor(
    private readonly input: Input,
    private readonly continuation: () => Promise<void>,
    private readonly limits: ReaderLimits = DEFAULT_LIMITS,
  ) {}

  async next(): Promise<ReadResult> {
    const parts: Buffer[] = [];
    let total = 0;
    let tag: string | undefined;
    for (;;) {
      const r = await this.input.readLine(this.limits.maxLine);
      if (!r) return { kind: "eof" };
      if (!parts.length) tag = peekTag(r.line);
      if (r.overflow) {
        return { kind: "error", tag, text: "Command line too long." };
      }
      parts.push(r.line);
      total += r.line.length;
      const lit = literalAtEnd(r.line);
      if (!lit) return { kind: "command", raw: { parts } };
      if (
        lit.size > STREAM_THRESHOLD &&
        lit.size <= MAX_STREAMED &&
        STREAMING_COMMAND.test(parts[0].toString("latin1"))
      ) {
        this.pending = { size: lit.size, nonSync: lit.nonSync, left: lit.size, started: false };
        return { kind: "command", raw: { parts, streamed: { size: lit.size, nonSync: lit.nonSync } } };
      }
      if (lit.size > this.limits.maxLiteral || total + lit.size > this.limits.maxCommand) {
        if (lit.nonSync) {
          if (!(await this.input.skipBytes(lit.size))) return { kind: "eof" };
          await this.discardContinuation();
        }
        return { kind: "error", tag, text: "Literal too large." };
      }
      if (!lit.nonSync) await this.continuation();
      const data = await this.input.readBytes(lit.size);
      if (!data) return { kind: "eof" };
      parts.push(data);
      total += data.length;
    }
  }

  /**
   * The streamed literal of the current command as chunks of at most 64 KiB (after the
   * `+ OK` a synchronising literal needs). Ends early only if the client disconnects.
   */
  async openStreamedLiteral(): Promise<AsyncIterable<Buffer>> {
    const p = this.pending;
    if (!p || p.started) throw new Error("no streamed literal pending");
    p.started = true;
    if (!p.nonSync) await this.continuation();
    const input = this.input;
    return {
      async *[Symbol.asyncIterator]() {
        while (p.left > 0) {
          const data = await input.readBytes(Math.min(STREAM_CHUNK, p.left));
          if (!data) throw new Error("connection closed inside a literal");
          p.left -= data.length;
          yield data;
        }
      },
    };
  }

  /**
   * Ends the command that had a streamed literal: skips what of the literal was not read,
   * then reads the rest of the command line; returns it (empty for a well-formed APPEND),
   * or undefined at end of input.
   */
  async finishStreamed(): Promise<Buffer | undefined> {
    const p = this.pending;
    if (!p) return Buffer.alloc(0);
    this.pending = undefined;
    if (!p.started && !p.nonSync) return Buffer.alloc(0); // the client never sent it
    if (p.left > 0 && !(await this.input.skipBytes(p.left))) return undefined;
    const r = await this.input.readLine(this.limits.maxLine);
    if (!r) return undefined;
    const lit = literalAtEnd(r.line);
    if (lit?.nonSync && (await this.input.skipBytes(lit.size))) await this.discardContinuation();
    return r.overflow ? Buffer.from(" ") : r.line;
  }

  /** After a skipped `{n+}` literal: throws away the rest of the command, following further `{m+}`. */
  private async discardContinuation(): Promise<void> {
    for (;;) {
      const r = await this.input.readLine(this.limits.maxLine);
      if (!r || r.overflow) return;
      const lit = literalAtEnd(r.line);
      if (!lit?.nonSync) return;
      if (!(await this.input.skipBytes(lit.size))) return;
    }
  }
}
