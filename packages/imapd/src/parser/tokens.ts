// Grammar only: splits a raw command into tag, command name and a token tree. Atoms keep
// a bracketed part (`BODY[HEADER.FIELDS (A B)]<0.10>`) whole; the meaning of any token is
// the command's business.

import type { RawCommand } from "./reader.js";

export type Token =
  | { t: "atom"; v: string }
  | { t: "string"; v: Buffer; literal: boolean }
  | { t: "list"; v: Token[] }
  /** `~{n}` (RFC 3516/6855 literal8): binary-safe, valid only where a command allows it. */
  | { t: "literal8"; v: Buffer }
  /** A literal left unread for the command to stream (RawCommand.streamed). */
  | { t: "stream"; size: number; literal8: boolean };

export interface ParsedCommand {
  tag: string;
  /** Upper-cased; `UID FETCH` style for UID commands. */
  name: string;
  args: Token[];
  /**
   * With a streamed literal: how many lists were open at it. Their `)` come on the line after
   * the literal, which the command reads itself (CommandReader.finishStreamed).
   */
  openAtStream?: number;
}

export class ImapSyntaxError extends Error {
  constructor(
    message: string,
    readonly tag?: string,
  ) {
    super(message);
  }
}

const ATOM_STOP = new Set([0x20, 0x28, 0x29, 0x7b, 0x22]); // SP ( ) { "

function isCtl(c: number): boolean {
  return c < 0x20 || c === 0x7f;
}

class Cursor {
  part = 0;
  pos = 0;
  /** Set at a streamed literal: the lists then open, which end with the parsed line. */
  openAtStream: number | undefined;
  constructor(
    readonly parts: Buffer[],
    readonly streamed = false,
  ) {}
  get line(): Buffer {
    return this.parts[this.part];
  }
  atEnd(): boolean {
    return this.pos >= this.line.length && this.part === this.parts.length - 1;
  }
  peek(): number {
    return this.pos < this.line.length ? this.line[this.pos] : -1;
  }
}

function readAtom(c: Cursor): string {
  const start = c.pos;
  const line = c.line;
  while (c.pos < line.length) {
    const ch = line[c.pos];
    if (ch === 0x5b) {
      // `[`: the bracketed part may contain spaces and parentheses
      const close = line.indexOf(0x5d, c.pos);
      if (close > 0) {
        c.pos = close + 1;
        continue;
      }
    }
    if (ATOM_STOP.has(ch) || isCtl(ch)) break;
    c.pos++;
  }
  if (c.pos === start) {
    const what = c.pos < line.length ? JSON.stringify(String.fromCharCode(line[c.pos])) : "end of line";
    throw new ImapSyntaxError(`unexpected ${what}`);
  }
  return line.subarray(start, c.pos).toString("utf8");
}

function readQuoted(c: Cursor): Buffer {
  const line = c.line;
  c.pos++;
  const out: number[] = [];
  for (;;) {
    if (c.pos >= line.length) throw new ImapSyntaxError("unterminated quoted string");
    const ch = line[c.pos++];
    if (ch === 0x22) break;
    if (ch === 0x5c) {
      const nx = line[c.pos++];
      if (nx !== 0x22 && nx !== 0x5c) throw new ImapSyntaxError("invalid escape in quoted string");
      out.push(nx);
    } else out.push(ch);
  }
  const b = Buffer.from(out);
  if (b.some((x) => x >= 0x80) && !isUtf8(b)) throw new ImapSyntaxError("quoted string is not valid UTF-8");
  return b;
}

function isUtf8(b: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

function readLiteral(c: Cursor, depth: number, literal8: boolean): Token {
  const line = c.line;
  const close = line.indexOf(0x7d, c.pos);
  if (c.streamed && close === line.length - 1 && c.part === c.parts.length - 1) {
    const size = Number(/^\{(\d+)\+?\}$/.exec(line.subarray(c.pos).toString("latin1"))?.[1]);
    if (!Number.isSafeInteger(size)) throw new ImapSyntaxError("misplaced literal");
    c.pos = line.length;
    c.openAtStream = depth;
    return { t: "stream", size, literal8 };
  }
  if (close !== line.length - 1 || c.part + 1 >= c.parts.length)
    throw new ImapSyntaxError("misplaced literal");
  const data = c.parts[c.part + 1];
  c.part += 2;
  c.pos = 0;
  return literal8 ? { t: "literal8", v: data } : { t: "string", v: data, literal: true };
}

function readTokens(c: Cursor, depth: number): Token[] {
  const out: Token[] = [];
  for (let first = true; ; first = false) {
    if (c.atEnd()) {
      if (depth > 0 && c.openAtStream === undefined) throw new ImapSyntaxError("unbalanced parenthesis");
      return out;
    }
    if (c.peek() === 0x29) {
      if (depth === 0) throw new ImapSyntaxError("unbalanced parenthesis");
      c.pos++;
      return out;
    }
    if (!first) {
      if (c.peek() !== 0x20) throw new ImapSyntaxError("missing space between arguments");
      c.pos++;
      if (c.atEnd()) throw new ImapSyntaxError("trailing space");
    }
    const nx = c.peek();
    if (nx === 0x28) {
      c.pos++;
      out.push({ t: "list", v: readTokens(c, depth + 1) });
    } else if (nx === 0x22) out.push({ t: "string", v: readQuoted(c), literal: false });
    else if (nx === 0x7b) out.push(readLiteral(c, depth, false));
    else if (nx === 0x7e && c.line[c.pos + 1] === 0x7b) {
      c.pos++;
      out.push(readLiteral(c, depth, true));
    } else out.push({ t: "atom", v: readAtom(c) });
  }
}

export function parseCommand(raw: RawCommand): ParsedCommand {
  const c = new Cursor(raw.parts, !!raw.streamed);
  const first = c.line;
  const sp = first.indexOf(0x20);
  const tag = (sp < 0 ? first : first.subarray(0, sp)).toString("latin1");
  if (!/^[^\s(){%*"\\+\x00-\x1f\x7f]+$/.test(tag)) throw new ImapSyntaxError("invalid tag");
  if (sp < 0) throw new ImapSyntaxError("missing command", tag);
  c.pos = sp + 1;
  try {
    let name = readAtom(c).toUpperCase();
    if (name === "UID" && c.peek() === 0x20) {
      c.pos++;
      name = `UID ${readAtom(c).toUpperCase()}`;
    }
    let args: Token[] = [];
    if (!c.atEnd()) {
      if (c.peek() !== 0x20) throw new ImapSyntaxError("missing space after command");
      c.pos++;
      args = readTokens(c, 0);
    }
    return c.openAtStream === undefined
      ? { tag, name, args }
      : { tag, name, args, openAtStream: c.openAtStream };
  } catch (e) {
    if (e instanceof ImapSyntaxError) throw new ImapSyntaxError(e.message, tag);
    throw e;
  }
}
