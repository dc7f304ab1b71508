// SEARCH criteria grammar (RFC 3501 §6.4.4) into a tree. Strings are decoded from the
// CHARSET the client named; dates are RFC 3501 dates. Nesting and the number of keys are
// bounded so a hostile command cannot exhaust the stack.

import { type CalendarDate, parseImapDate } from "../parser/date-time.js";
import { parseSequenceSet, type SeqRange } from "../parser/sequence-set.js";
import type { Token } from "../parser/tokens.js";
import { BadCommand } from "../session/errors.js";

export type FlagKey = "\\Answered" | "\\Deleted" | "\\Draft" | "\\Flagged" | "\\Seen";

export type SearchKey =
  | { k: "all" }
  | { k: "flag"; flag: FlagKey; set: boolean }
  | { k: "recent"; set: boolean }
  | { k: "new" }
  | { k: "keyword"; name: string; set: boolean }
  | { k: "header"; field: string; value: string }
  | { k: "text"; value: string; headers: boolean }
  | { k: "date"; op: "before" | "on" | "since"; sent: boolean; date: CalendarDate }
  | { k: "size"; larger: boolean; n: number }
  /** WITHIN (RFC 5032): internal date older than, or within, `seconds` before now. */
  | { k: "age"; older: boolean; seconds: number }
  | { k: "seq"; set: SeqRange[]; uid: boolean }
  | { k: "not"; key: SearchKey }
  | { k: "or"; a: SearchKey; b: SearchKey }
  | { k: "and"; keys: SearchKey[] };

const MAX_DEPTH = 100;
const MAX_KEYS = 1000;

const FLAG_KEYS: Record<string, [FlagKey, boolean]> = {
  ANSWERED: ["\\Answered", true],
  DELETED: ["\\Deleted", true],
  DRAFT: ["\\Draft", true],
  FLAGGED: ["\\Flagged", true],
  SEEN: ["\\Seen", true],
  UNANSWERED: ["\\Answered", false],
  UNDELETED: ["\\Deleted", false],
  UNDRAFT: ["\\Draft", false],
  UNFLAGGED: ["\\Flagged", false],
  UNSEEN: ["\\Seen", false],
};

const HEADER_KEYS: Record<string, string> = {
  BCC: "bcc",
  CC: "cc",
  FROM: "from",
  SUBJECT: "subject",
  TO: "to",
};
const DATE_KEYS: Record<string, ["before" | "on" | "since", boolean]> = {
  BEFORE: ["before", false],
  ON: ["on", false],
  SINCE: ["since", false],
  SENTBEFORE: ["before", true],
  SENTON: ["on", true],
  SENTSINCE: ["since", true],
};

export class KeyParser {
  private i = 0;
  private count = 0;

  constructor(
    private readonly toks: Token[],
    private readonly decode: (b: Buffer) => string,
  ) {}

  /** All remaining tokens as one AND of keys. */
  parseAll(): SearchKey {
    const keys: SearchKey[] = [];
    while (this.i < this.toks.length) keys.push(this.key(0));
    if (!keys.length) throw new BadCommand("Missing search criteria");
    return keys.length === 1 ? keys[0] : { k: "and", keys };
  }

  private next(what: string): Token {
    const t = this.toks[this.i++];
    if (!t) throw new BadCommand(`Missing ${what} in SEARCH`);
    return t;
  }

  private str(what: string): string {
    const t = this.next(what);
    if (t.t === "atom") return t.v;
    if (t.t === "string") return this.decode(t.v);
    throw new BadCommand(`Invalid ${what} in SEARCH`);
  }

  private atomText(what: string): string {
    const t = this.next(what);
    if (t.t === "atom") return t.v;
    if (t.t === "string") return t.v.toString("latin1");
    throw new BadCommand(`Invalid ${what} in SEARCH`);
  }

  private key(depth: number): SearchKey {
    if (depth > MAX_DEPTH || ++this.count > MAX_KEYS) throw new BadCommand("Too many search criteria");
    const t = this.next("search key");
    if (t.t === "list") {
      const sub = new KeyParser(t.v, this.decode);
      sub.count = this.count;
      const keys: SearchKey[] = [];
      while (sub.i < t.v.length) keys.push(sub.key(depth + 1));
      this.count = sub.count;
      if (!keys.length) throw new BadCommand("Empty parenthesised search key");
      return keys.length === 1 ? keys[0] : { k: "and", keys };
    }
    if (t.t !== "atom") throw new BadCommand("Invalid search key");
    const name = t.v.toUpperCase();
    if (name === "ALL") return { k: "all" };
    const flag = FLAG_KEYS[name];
    if (flag) return { k: "flag", flag: flag[0], set: flag[1] };
    if (name === "RECENT" || name === "OLD") return { k: "recent", set: name === "RECENT" };
    if (name === "NEW") return { k: "new" };
    if (name === "KEYWORD" || name === "UNKEYWORD")
      return { k: "keyword", name: this.atomText("keyword"), set: name === "KEYWORD" };
    const field = HEADER_KEYS[name];
    if (field) return { k: "header", field, value: this.str("string") };
    if (name === "HEADER") {
      const f = this.atomText("header field name");
      return { k: "header", field: f.toLowerCase(), value: this.str("string") };
    }
    if (name === "BODY" || name === "TEXT")
      return { k: "text", value: this.str("string"), headers: name === "TEXT" };
    const dk = DATE_KEYS[name];
    if (dk) {
      const d = parseImapDate(this.atomText("date"));
      if (!d) throw new BadCommand("Invalid date in SEARCH");
      return { k: "date", op: dk[0], sent: dk[1], date: d };
    }
    if (name === "LARGER" || name === "SMALLER") {
      const v = this.atomText("number");
      if (!/^\d{1,15}$/.test(v)) throw new BadCommand("Invalid number in SEARCH");
      return { k: "size", larger: name === "LARGER", n: Number(v) };
    }
    if (name === "OLDER" || name === "YOUNGER") {
      const v = this.atomText("interval");
      if (!/^[1-9]\d{0,9}$/.test(v)) throw new BadCommand("Invalid interval in SEARCH");
      return { k: "age", older: name === "OLDER", seconds: Number(v) };
    }
    if (name === "NOT") return { k: "not", key: this.key(depth + 1) };
    if (name === "OR") {
      const a = this.key(depth + 1);
      return { k: "or", a, b: this.key(depth + 1) };
    }
    if (name === "UID") {
      const set = parseSequenceSet(this.atomText("UID set"));
      if (!set) throw new BadCommand("Invalid UID set in SEARCH");
      return { k: "seq", set, uid: true };
    }
    const set = parseSequenceSet(t.v);
    if (set) return { k: "seq", set, uid: false };
    throw new BadCommand(`Unknown search key ${t.v.slice(0, 30)}`);
  }
}
