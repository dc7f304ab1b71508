// Decoded text of a message for SEARCH BODY/TEXT: text/* parts (and parts without a type)
// are transfer-decoded and converted to Unicode as they stream by; with `headers`, the
// decoded header fields of the message and of every attached message come first.

import { charsetDecoder, type StreamDecoder } from "./charset.js";
import { decodeHeaderValue } from "./encoded-words.js";
import { headerFields, splitField } from "./header-field.js";
import { MessageParser, type ParseOptions } from "./parser.js";
import { TextMatcher } from "./search-text.js";
import { type ByteDecoder, transferDecoder } from "./transfer-decoders.js";
import type { MimePart } from "./types.js";

export interface TextOptions {
  /** Include decoded header fields (SEARCH TEXT); default false (SEARCH BODY). */
  headers?: boolean;
  lineEndings?: ParseOptions["lineEndings"];
}

/** Parts whose text SEARCH BODY/TEXT reads: text/* and untyped ones (not in a digest). */
export function isText(p: MimePart): boolean {
  if (p.parts || p.message) return false;
  if (p.type === null) return !p.digestDefault;
  return p.type.toLowerCase() === "text";
}

/** The charset a text part is decoded with ("utf-8" when none or us-ascii). */
export function charsetOf(p: MimePart): string {
  for (let i = 0; i < p.params.length; i += 2) {
    if (p.params[i].toLowerCase() === "charset") {
      const c = p.params[i + 1].toLowerCase();
      return c === "us-ascii" || c === "" ? "utf-8" : c;
    }
  }
  return "utf-8";
}

/** Decodes a header block (binary string) to "Name: value\n" lines of Unicode text. */
export function decodeHeaderBlock(header: string): string {
  let out = "";
  for (const f of headerFields(header)) {
    const sf = splitField(f);
    if (sf) out += `${sf.name}: ${decodeHeaderValue(sf.value)}\n`;
  }
  return out;
}

/** Raw bytes of a text part are gathered here and decoded in pieces of this size. */
const GATHER = 64 * 1024;
/** Gather buffers of finished extractors, for the next ones. */
const spare: Buffer[] = [];

/** Streams a message and hands its decoded text to `onText` piece by piece. */
export class TextExtractor {
  private readonly parser: MessageParser;
  private current: MimePart | null = null;
  private transfer: ByteDecoder | null = null;
  private charset: StreamDecoder | null = null;
  private gathered: Buffer | null = null;
  private used = 0;

  constructor(
    private readonly onText: (text: string) => void,
    opts: TextOptions = {},
  ) {
    this.parser = new MessageParser({
      lineEndings: opts.lineEndings,
      onPartHeader: (p) => {
        this.finishPart();
        if (opts.headers && p.envelope && p.header !== undefined) this.onText(decodeHeaderBlock(p.header));
      },
      onData: (p, chunk, inHeader) => {
        if (inHeader || !isText(p)) return;
        if (this.current !== p) {
          this.finishPart();
          this.current = p;
          this.transfer = transferDecoder(p.encoding);
          this.charset = charsetDecoder(charsetOf(p));
        }
        this.gather(chunk);
      },
    });
  }

  // The parser hands over a part line by line; decoding each line on its own costs more
  // than the decoding itself, so the bytes are copied together first.
  private gather(chunk: Buffer): void {
    this.gathered ??= spare.pop() ?? Buffer.allocUnsafe(GATHER);
    if (this.used + chunk.length > GATHER) this.decodeGathered();
    if (chunk.length > GATHER) this.decode(chunk);
    else this.used += chunk.copy(this.gathered, this.used);
  }

  private decodeGathered(): void {
    if (!this.used || !this.gathered) return;
    const n = this.used;
    this.used = 0;
    this.decode(this.gathered.subarray(0, n));
  }

  private decode(raw: Buffer): void {
    const bytes = this.transfer!.write(raw);
    if (bytes.length) this.emit(this.charset!.write(bytes));
  }

  private emit(text: string): void {
    if (text) this.onText(text);
  }

  private finishPart(): void {
    if (!this.current) return;
    this.decodeGathered();
    const bytes = this.transfer!.end();
    this.emit(this.charset!.write(bytes) + this.charset!.end());
    this.current = null;
  }

  write(chunk: Buffer): void {
    this.parser.write(chunk);
  }

  end(): void {
    this.parser.end();
    this.finishPart();
    this.release();
  }

  /** Gives the gather buffer back; for an extractor abandoned before end(). */
  release(): void {
    if (this.gathered && spare.length < 4) spare.push(this.gathered);
    this.gathered = null;
    this.used = 0;
  }
}

/** SEARCH BODY (headers false) / TEXT (headers true) for several strings, fed in chunks. */
export class MessageTextSearch {
  private readonly matcher: TextMatcher;
  private readonly ex: TextExtractor;

  constructor(needles: string[], opts: TextOptions = {}) {
    this.matcher = new TextMatcher(needles);
    this.ex = new TextExtractor((t) => this.matcher.write(t), opts);
  }

  /** True once every needle has been found: the rest of the message need not be read. */
  get done(): boolean {
    return this.matcher.done;
  }

  /** Feeds raw message bytes; returns done. */
  write(chunk: Buffer): boolean {
    if (!this.matcher.done) this.ex.write(chunk);
    return this.matcher.done;
  }

  /** Result i tells whether needles[i] occurs. */
  end(): boolean[] {
    if (!this.matcher.done) this.ex.end();
    else this.ex.release();
    return this.matcher.results();
  }
}

/**
 * SEARCH BODY (headers false) / TEXT (headers true) for several strings in one pass over
 * the message; stops reading as soon as all are found. Result i tells whether needles[i]
 * occurs.
 */
export async function searchMessageText(
  source: AsyncIterable<Buffer | string>,
  needles: string[],
  opts: TextOptions = {},
): Promise<boolean[]> {
  const search = new MessageTextSearch(needles, opts);
  if (search.done) return search.end();
  for await (const chunk of source) {
    if (search.write(typeof chunk === "string" ? Buffer.from(chunk) : chunk)) break;
  }
  return search.end();
}
