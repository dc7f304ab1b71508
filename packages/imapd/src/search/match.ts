// Evaluates a SEARCH tree against one message. Cheap facts (flags, UID) come first; the
// size, dates, header and text are looked up only when a key needs them, once each.

import type { Folder, MessageInfo } from "@courier-imap/maildir";
import {
  headerContains,
  MessageTextSearch,
  parseDateHeader,
  plainTextMayContain,
  valuesContain,
} from "@courier-imap/mime";
import { messageStructure } from "../fetch/structure-cache.js";
import { cachedSummary, type MessageSummary, messageSummary } from "../fetch/summary.js";
import type { CalendarDate } from "../parser/date-time.js";
import { type SeqRange, STAR } from "../parser/sequence-set.js";
import type { SearchKey } from "./keys.js";

/** Files up to this size are read whole for the plain-text shortcut, into one shared buffer. */
const PLAIN_SCAN_MAX = 1024 * 1024;
let scratch = Buffer.allocUnsafe(64 * 1024);
const scratchFor = (size: number) => {
  if (scratch.length < size) scratch = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(size)));
  return scratch;
};

export interface MatchContext {
  folder: Folder;
  msg: MessageInfo;
  seq: number;
  /** Number of messages (for `*` in sequence sets) and highest UID (for `*` in UID sets). */
  exists: number;
  maxUid: number;
}

function inSet(set: SeqRange[], n: number, star: number): boolean {
  return set.some((r) => {
    const a = r.from === STAR ? star : r.from;
    const b = r.to === STAR ? star : r.to;
    return n >= Math.min(a, b) && n <= Math.max(a, b);
  });
}

function dayNumber(d: CalendarDate): number {
  return Date.UTC(d.year, d.month, d.day) / 86_400_000;
}

function compareDay(day: number, op: "before" | "on" | "since", want: number): boolean {
  if (op === "before") return day < want;
  if (op === "on") return day === want;
  return day >= want;
}

export class MessageMatcher {
  private header?: string;
  private sum?: MessageSummary;
  private texts = new Map<string, boolean>();

  constructor(private readonly c: MatchContext) {}

  private summary(): MessageSummary {
    this.sum ??= messageSummary(this.c.folder, this.c.msg);
    return this.sum;
  }

  private async headerText(): Promise<string> {
    if (this.header === undefined) {
      const st = messageStructure(this.c.folder, this.c.msg);
      if (st.root.header !== undefined) this.header = st.root.header;
      else {
        const chunks: Buffer[] = [];
        for await (const b of await this.c.folder.open(this.c.msg, 0, st.root.headerSize))
          chunks.push(b as Buffer);
        this.header = Buffer.concat(chunks).toString("latin1");
      }
    }
    return this.header ?? "";
  }

  private async headerMatches(field: string, value: string): Promise<boolean> {
    const fields = this.summary().fields;
    if (fields && Object.hasOwn(fields, field)) return valuesContain(fields[field], value);
    return headerContains(await this.headerText(), field, value);
  }

  /** SEARCH BODY/TEXT: one synchronous pass over the file, stopped once the string is found. */
  private textMatches(value: string, headers: boolean): boolean {
    const { folder, msg } = this.c;
    const search = new MessageTextSearch([value], { headers, lineEndings: "lf" });
    if (search.done) return search.end()[0] === true;
    // BODY of a plain message (cached summary): the file may show that no parse is needed
    const sum = headers ? undefined : (this.sum ?? cachedSummary(folder, msg));
    const raw = sum?.plainText ? folder.readMessageSync(msg, PLAIN_SCAN_MAX, scratchFor) : undefined;
    if (raw) {
      if (!plainTextMayContain(raw, value)) return false;
      search.write(raw);
    } else folder.readChunksSync(msg, (chunk) => search.write(chunk));
    return search.end()[0] === true;
  }

  async matches(key: SearchKey): Promise<boolean> {
    const { msg, folder } = this.c;
    switch (key.k) {
      case "all":
        return true;
      case "flag":
        return msg.flags.includes(key.flag) === key.set;
      case "recent":
        return msg.recent === key.set;
      case "new":
        return msg.recent && !msg.flags.includes("\\Seen");
      case "keyword": {
        const want = key.name.toLowerCase();
        return msg.keywords.some((k) => k.toLowerCase() === want) === key.set;
      }
      case "seq":
        return key.uid ? inSet(key.set, msg.uid, this.c.maxUid) : inSet(key.set, this.c.seq, this.c.exists);
      case "size": {
        const size = folder.knownCrlfSize(msg) ?? this.summary().size;
        return key.larger ? size > key.n : size < key.n;
      }
      case "date": {
        const want = dayNumber(key.date);
        if (!key.sent) {
          const d = folder.internalDateSync(msg);
          return compareDay(
            dayNumber({ year: d.getFullYear(), month: d.getMonth(), day: d.getDate() }),
            key.op,
            want,
          );
        }
        const raw = this.summary().env.date;
        const sent = raw === undefined ? null : parseDateHeader(raw);
        if (!sent) return false;
        return compareDay(dayNumber({ year: sent.year, month: sent.month - 1, day: sent.day }), key.op, want);
      }
      case "age": {
        const cutoff = Date.now() - key.seconds * 1000;
        const t = folder.internalDateSync(msg).getTime();
        return key.older ? t < cutoff : t >= cutoff;
      }
      case "header":
        return this.headerMatches(key.field, key.value);
      case "text": {
        const id = `${key.headers ? "T" : "B"}${key.value}`;
        const known = this.texts.get(id);
        if (known !== undefined) return known;
        const hit = this.textMatches(key.value, key.headers);
        this.texts.set(id, hit);
        return hit;
      }
      case "not":
        return !(await this.matches(key.key));
      case "or":
        return (await this.matches(key.a)) || (await this.matches(key.b));
      case "and":
        for (const sub of key.keys) if (!(await this.matches(sub))) return false;
        return true;
    }
  }
}
