// Streaming RFC 5322 / RFC 2045 structure parser. It sees each byte once, keeps no body,
// and records for every part the offsets, sizes and line counts of the CRLF form together
// with the MIME fields, so that BODYSTRUCTURE and BODY[section] need no second read.
// Limits (Dovecot's where it has them): nesting depth, number of parts, boundary length,
// bytes kept per header field, per part header and per message.

import { joinRfc2231, parseContentValue, parseLanguage, parseToken } from "./content-fields.js";
import { splitField } from "./header-field.js";
import type { EnvelopeFields, MessageStructure, MimePart } from "./types.js";

export interface ParseOptions {
  /** "lf": the input uses LF and the wire form turns every LF into CRLF (Maildir files).
   *  "crlf": the input already is the wire form. Default "lf". */
  lineEndings?: "lf" | "crlf";
  /** Maximum nesting of multipart and message parts (default 100, as Dovecot). */
  maxDepth?: number;
  /** Maximum number of parts (default 10000, as Dovecot). */
  maxParts?: number;
  /** Header bytes kept per part for HEADER.FIELDS (default 64 KiB). */
  maxHeaderKept?: number;
  /** Header bytes kept for the whole message (default 4 MiB). */
  maxHeadersKeptTotal?: number;
  /** Gets the raw (source form) body bytes of every leaf part and of each message header. */
  onData?: (part: MimePart, chunk: Buffer, inHeader: boolean) => void;
  /** Called when a part's header has been parsed. */
  onPartHeader?: (part: MimePart) => void;
}

const MAX_FIELD = 64 * 1024;
const MAX_BOUNDARY = 998;
const ENVELOPE_NAMES: Record<string, keyof EnvelopeFields> = {
  date: "date",
  subject: "subject",
  from: "from",
  sender: "sender",
  "reply-to": "replyTo",
  to: "to",
  cc: "cc",
  bcc: "bcc",
  "in-reply-to": "inReplyTo",
  "message-id": "messageId",
};
const ADDRESS_FIELDS = new Set<keyof EnvelopeFields>(["from", "sender", "replyTo", "to", "cc", "bcc"]);

interface Frame {
  part: MimePart;
  depth: number;
  inHeader: boolean;
  isMessage: boolean;
  inDigest: boolean;
  /** Boundary of a multipart part while it can still start children. */
  boundary: Buffer | null;
  bodyStartLf: number;
  fields: Map<string, string>;
  kept: string[];
  keptLen: number;
  keepHeader: boolean;
}

function newPart(offset: number): MimePart {
  return {
    headerOffset: offset,
    headerSize: 0,
    bodySize: 0,
    bodyLines: 0,
    type: null,
    subtype: null,
    params: [],
    encoding: null,
    id: null,
    description: null,
    md5: null,
    disposition: null,
    dispositionParams: [],
    language: null,
    location: null,
  };
}

const CONTENT_NAMES = new Set([
  "content-type",
  "content-transfer-encoding",
  "content-id",
  "content-description",
  "content-md5",
  "content-disposition",
  "content-language",
  "content-location",
]);

export class MessageParser {
  private readonly lfMode: boolean;
  private readonly maxDepth: number;
  private readonly maxParts: number;
  private readonly maxHeaderKept: number;
  private keptBudget: number;
  private readonly opts: ParseOptions;
  private readonly stack: Frame[] = [];
  private readonly root: MimePart;
  private partCount = 1;
  private ended = false;

  private wire = 0;
  private lfCount = 0;
  private lineStartWire = 0;
  private lineStartLf = 0;
  private prevEolWire = 0;
  private lineLen = 0;
  private lastCr = false;
  /** First bytes of the current line, held back until we know it is not a boundary. */
  private head: Buffer = NO_HEAD;
  private headLen = 0;
  private headDecided = true;
  private boundaryFrame = -1;
  private boundaryClose = false;
  private maxBoundary = 0;
  /** Current header line (binary string), capped. */
  private line = "";
  private lineKept = 0;
  /** Current header field (folded lines joined with LF), capped. */
  private field = "";

  constructor(opts: ParseOptions = {}) {
    this.opts = opts;
    this.lfMode = (opts.lineEndings ?? "lf") === "lf";
    this.maxDepth = opts.maxDepth ?? 100;
    this.maxParts = opts.maxParts ?? 10000;
    this.maxHeaderKept = opts.maxHeaderKept ?? 64 * 1024;
    this.keptBudget = opts.maxHeadersKeptTotal ?? 4 * 1024 * 1024;
    this.root = newPart(0);
    this.root.envelope = {};
    this.push(this.root, 0, true, false);
    this.startLine();
  }

  private push(part: MimePart, depth: number, isMessage: boolean, inDigest: boolean): void {
    this.stack.push({
      part,
      depth,
      inHeader: true,
      isMessage,
      inDigest,
      boundary: null,
      bodyStartLf: 0,
      fields: new Map(),
      kept: [],
      keptLen: 0,
      keepHeader: true,
    });
  }

  private startLine(): void {
    this.lineStartWire = this.wire;
    this.lineStartLf = this.lfCount;
    this.lineLen = 0;
    this.lastCr = false;
    this.headLen = 0;
    this.boundaryFrame = -1;
    this.boundaryClose = false;
    this.line = "";
    this.lineKept = 0;
    this.headDecided = this.maxBoundary === 0;
  }

  write(chunk: Buffer): void {
    if (this.ended) return;
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      const lf = chunk.indexOf(10, pos);
      const stop = lf < 0 ? len : lf;
      if (stop > pos) this.lineData(chunk, pos, stop);
      if (lf < 0) break;
      this.lineEnd(true);
      pos = lf + 1;
    }
  }

  end(): MessageStructure {
    if (!this.ended) {
      if (this.lineLen > 0 || !this.headDecided) this.lineEnd(false);
      this.ended = true;
      while (this.stack.length) this.close(this.stack.pop()!, this.wire, this.lfCount);
    }
    return { version: 1, size: this.wire, lines: this.lfCount, root: this.root };
  }

  /** Bytes buf[start, end) of the current line (no LF among them). */
  private lineData(buf: Buffer, start: number, end: number): void {
    const len = end - start;
    this.lineLen += len;
    this.wire += len;
    this.lastCr = buf[end - 1] === 13;
    if (!this.headDecided) {
      const n = Math.min(len, this.head.length - this.headLen);
      buf.copy(this.head, this.headLen, start, start + n);
      this.headLen += n;
      if (!this.tryDecide(false)) return;
      if (this.boundaryFrame >= 0) return;
      this.content(this.head, 0, this.headLen - n);
      this.content(buf, start, end);
      return;
    }
    if (this.boundaryFrame >= 0) return;
    this.content(buf, start, end);
  }

  /** Decides whether the current line is a boundary; false when more bytes are needed. */
  private tryDecide(lineEnded: boolean): boolean {
    const h = this.head;
    const n = this.headLen;
    if ((n >= 1 && h[0] !== 45) || (n >= 2 && h[1] !== 45)) {
      this.headDecided = true;
      return true;
    }
    if (!lineEnded && n < Math.min(this.head.length, this.maxBoundary + 4)) return false;
    this.headDecided = true;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const b = this.stack[i].boundary;
      if (!b || n < b.length + 2) continue;
      if (h.compare(b, 0, b.length, 2, 2 + b.length) === 0) {
        this.boundaryFrame = i;
        this.boundaryClose = n >= b.length + 4 && h[b.length + 2] === 45 && h[b.length + 3] === 45;
        return true;
      }
    }
    return true;
  }

  private content(buf: Buffer, start: number, end: number): void {
    if (end <= start) return;
    const top = this.stack[this.stack.length - 1];
    const onData = this.opts.onData;
    if (top.inHeader) {
      if (this.lineKept < MAX_FIELD) {
        const stop = Math.min(end, start + MAX_FIELD - this.lineKept);
        this.line += buf.toString("latin1", start, stop);
        this.lineKept += stop - start;
      }
      if (onData && top.isMessage) onData(top.part, buf.subarray(start, end), true);
    } else if (onData && !top.boundary && !top.part.message) {
      onData(top.part, buf.subarray(start, end), false);
    }
  }

  private lineEnd(hasLf: boolean): void {
    if (!this.headDecided) {
      const pending = this.headLen;
      this.tryDecide(true);
      if (this.boundaryFrame < 0) this.content(this.head, 0, pending);
    }
    const eolWire = hasLf ? (this.lfMode ? 2 : 1) + (this.lastCr ? 1 : 0) : 0;
    if (hasLf) {
      this.wire += this.lfMode ? 2 : 1;
      this.lfCount++;
      const top = this.stack[this.stack.length - 1];
      if (this.opts.onData && this.boundaryFrame < 0 && !top.boundary && !top.part.message) {
        if (!top.inHeader || top.isMessage) this.opts.onData(top.part, LF, top.inHeader);
      }
    }
    if (this.boundaryFrame >= 0) this.boundaryLine();
    else if (this.stack[this.stack.length - 1].inHeader) this.headerLine(hasLf);
    this.prevEolWire = eolWire;
    this.startLine();
  }

  private boundaryLine(): void {
    const fi = this.boundaryFrame;
    let cut = this.lineStartWire - this.prevEolWire;
    let cutLf = this.lineStartLf - (this.prevEolWire > 0 ? 1 : 0);
    // When the line before the boundary is the blank line ending a part's header, Dovecot
    // counts that line neither in the header nor in the body, and the enclosing parts keep it.
    for (let i = fi + 1; i < this.stack.length && this.prevEolWire > 0; i++) {
      const p = this.stack[i].part;
      if (this.stack[i].inHeader || p.headerOffset + p.headerSize !== this.lineStartWire) continue;
      p.headerSize = Math.max(0, p.headerSize - this.prevEolWire);
      for (let j = i + 1; j < this.stack.length; j++) this.stack[j].part.headerOffset = cut;
      cut = this.lineStartWire;
      cutLf = this.lineStartLf;
      break;
    }
    while (this.stack.length > fi + 1) this.close(this.stack.pop()!, cut, cutLf);
    const f = this.stack[fi];
    if (this.boundaryClose) {
      f.boundary = null;
      this.updateMaxBoundary();
      return;
    }
    if (this.partCount >= this.maxParts) {
      for (const fr of this.stack) fr.boundary = null;
      this.updateMaxBoundary();
      return;
    }
    const child = newPart(this.wire);
    this.partCount++;
    f.part.parts!.push(child);
    this.push(child, f.depth + 1, false, f.part.subtype?.toLowerCase() === "digest");
  }

  private headerLine(hasLf: boolean): void {
    const f = this.stack[this.stack.length - 1];
    const raw = this.line;
    let text = raw;
    if (text.endsWith("\r")) text = text.slice(0, -1);
    const blank = this.lineLen === 0 || (this.lineLen === 1 && this.lastCr);
    if (f.keepHeader) {
      const lineWire = this.wire - this.lineStartWire;
      if (this.lineKept < this.lineLen || f.keptLen + lineWire > this.maxHeaderKept) f.keepHeader = false;
      else {
        f.kept.push(hasLf ? raw + (this.lfMode ? "\r\n" : "\n") : raw);
        f.keptLen += lineWire;
      }
    }
    if (blank) {
      this.endHeader(f, this.wire, this.lfCount);
      return;
    }
    if ((text[0] === " " || text[0] === "\t") && this.field) {
      if (this.field.length + text.length < MAX_FIELD) this.field += "\n" + text;
    } else {
      this.flushField(f);
      this.field = text;
    }
  }

  private flushField(f: Frame): void {
    const field = this.field;
    this.field = "";
    if (!field) return;
    const sf = splitField(field);
    if (!sf) return;
    const name = sf.name.toLowerCase();
    const value = sf.value.replace(/\0/g, "\xef\xbf\xbd");
    if (CONTENT_NAMES.has(name)) {
      if (!f.fields.has(name)) f.fields.set(name, value);
      return;
    }
    const env = f.part.envelope;
    const key = ENVELOPE_NAMES[name];
    if (!env || !key) return;
    // Dovecot: a repeated address field adds its addresses, any other repeated field wins.
    if (ADDRESS_FIELDS.has(key) && env[key] !== undefined) env[key] = `${env[key]},${value}`;
    else env[key] = value;
  }

  private endHeader(f: Frame, at: number, lfAt: number): void {
    this.flushField(f);
    f.inHeader = false;
    f.part.headerSize = at - f.part.headerOffset;
    f.bodyStartLf = lfAt;
    this.applyFields(f);
    if (f.keepHeader && f.keptLen <= this.keptBudget) {
      f.part.header = f.kept.join("");
      this.keptBudget -= f.keptLen;
    }
    f.kept = [];
    this.opts.onPartHeader?.(f.part);
    const p = f.part;
    const type = p.type?.toLowerCase();
    const sub = p.subtype?.toLowerCase();
    if (type === "multipart") {
      p.parts = [];
      const b = boundaryOf(p.params);
      if (b && b.length <= MAX_BOUNDARY && f.depth < this.maxDepth && this.partCount < this.maxParts) {
        f.boundary = Buffer.from(b, "latin1");
        this.updateMaxBoundary();
      }
    } else if (type === "message" && (sub === "rfc822" || sub === "global")) {
      if (f.depth < this.maxDepth && this.partCount < this.maxParts) {
        const m = newPart(at);
        m.envelope = {};
        this.partCount++;
        p.message = m;
        this.push(m, f.depth + 1, true, false);
      }
    }
  }

  private applyFields(f: Frame): void {
    const p = f.part;
    const get = (n: string) => f.fields.get(n);
    const ct = get("content-type");
    const parsed = ct === undefined ? null : parseContentValue(ct, true);
    if (parsed) {
      const slash = parsed.value.indexOf("/");
      p.type = parsed.value.slice(0, slash);
      p.subtype = parsed.value.slice(slash + 1);
      p.params = joinRfc2231(parsed.params);
    } else if (f.inDigest) {
      p.type = "message";
      p.subtype = "rfc822";
      p.digestDefault = true;
    }
    const cte = get("content-transfer-encoding");
    if (cte !== undefined) p.encoding = parseToken(cte);
    const raw = (n: string) => {
      const v = get(n);
      return v === undefined ? null : v.replace(/\r?\n/g, "");
    };
    p.id = raw("content-id");
    p.description = raw("content-description");
    p.md5 = raw("content-md5");
    p.location = raw("content-location");
    const cd = get("content-disposition");
    const disp = cd === undefined ? null : parseContentValue(cd, false);
    if (disp) {
      p.disposition = disp.value;
      p.dispositionParams = joinRfc2231(disp.params);
    }
    const cl = get("content-language");
    if (cl !== undefined) p.language = parseLanguage(cl);
    f.fields.clear();
  }

  private close(f: Frame, at: number, lfAt: number): void {
    const p = f.part;
    if (f.inHeader) {
      this.endHeader(f, Math.max(at, p.headerOffset), lfAt);
      if (p.message) {
        // The header ran into the end of the part: the inner message is empty.
        const m = this.stack.pop()!;
        m.part.headerOffset = Math.max(at, p.headerOffset);
        this.close(m, at, lfAt);
      }
      f.boundary = null;
      p.bodySize = 0;
      p.bodyLines = 0;
    } else {
      const start = p.headerOffset + p.headerSize;
      p.bodySize = Math.max(0, at - start);
      p.bodyLines = Math.max(0, lfAt - f.bodyStartLf);
    }
    f.boundary = null;
    this.updateMaxBoundary();
  }

  private updateMaxBoundary(): void {
    let m = 0;
    for (const f of this.stack) if (f.boundary && f.boundary.length > m) m = f.boundary.length;
    this.maxBoundary = m;
    if (m > 0 && this.head === NO_HEAD) this.head = Buffer.allocUnsafe(MAX_BOUNDARY + 4);
  }
}

const LF = Buffer.from("\n");
/** Until a boundary is known, no line is held back. */
const NO_HEAD = Buffer.alloc(0);

function boundaryOf(params: string[]): string | null {
  for (let i = 0; i < params.length; i += 2) {
    if (params[i].toLowerCase() === "boundary") return params[i + 1] || null;
  }
  return null;
}

/** Parses a whole message held in memory. */
export function parseMessageBuffer(message: Buffer, opts?: ParseOptions): MessageStructure {
  const p = new MessageParser(opts);
  p.write(message);
  return p.end();
}

/** Parses a message from a stream (a Readable or any async iterable of chunks). */
export async function parseMessageStream(
  source: AsyncIterable<Buffer | string>,
  opts?: ParseOptions,
): Promise<MessageStructure> {
  const p = new MessageParser(opts);
  for await (const chunk of source) p.write(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return p.end();
}
