// What SORT and THREAD know about one message, each fact read once and only when needed.

import type { Folder, MessageInfo } from "@courier-imap/maildir";
import { decodeHeaderValue, headerValues, parseAddressList, parseDateHeader } from "@courier-imap/mime";
import { messageStructure } from "../fetch/structure-cache.js";
import { type MessageSummary, messageSummary } from "../fetch/summary.js";
import { type BaseSubject, baseSubject } from "./base-subject.js";
import { casemap } from "./collate.js";

/** 8-bit text in a binary (latin1) string, read as UTF-8. */
function utf8(s: string): string {
  return /[\x80-\xff]/.test(s) ? Buffer.from(s, "latin1").toString("utf8") : s;
}

export class MessageFacts {
  private cache = new Map<string, unknown>();

  constructor(
    readonly folder: Folder,
    readonly msg: MessageInfo,
    readonly seq: number,
  ) {}

  private async once<T>(key: string, f: () => Promise<T>): Promise<T> {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const v = await f();
    this.cache.set(key, v);
    return v;
  }

  private sum?: MessageSummary;

  private summary(): MessageSummary {
    this.sum ??= messageSummary(this.folder, this.msg);
    return this.sum;
  }

  private async envelope() {
    return this.summary().env;
  }

  /** INTERNALDATE in ms. */
  arrival(): Promise<number> {
    return this.once("arrival", async () => this.folder.internalDateSync(this.msg).getTime());
  }

  size(): Promise<number> {
    return this.once("size", async () => this.folder.knownCrlfSize(this.msg) ?? this.summary().size);
  }

  /** The sent date in ms (UTC); INTERNALDATE when the Date: field is missing or unparsable. */
  sentDate(): Promise<number> {
    return this.once("date", async () => {
      const raw = (await this.envelope()).date;
      const d = raw === undefined ? null : parseDateHeader(raw);
      return d ? d.time : this.arrival();
    });
  }

  subject(): Promise<BaseSubject & { key: string }> {
    return this.once("subject", async () => {
      const b = baseSubject((await this.envelope()).subject);
      return { ...b, key: casemap(b.subject) };
    });
  }

  /** addr-mailbox of the first address of From/To/Cc (RFC 5256), casemapped; "" if none. */
  mailboxOf(field: "from" | "to" | "cc"): Promise<string> {
    return this.once(`mbox-${field}`, async () => {
      const first = this.firstAddress((await this.envelope())[field]);
      return casemap(first?.mailbox ? utf8(first.mailbox) : "");
    });
  }

  /**
   * RFC 5957 display name of the first From/To address: its decoded display-name when it
   * has a non-empty one, else its addr-spec (mailbox@host); "" without an address.
   */
  displayOf(field: "from" | "to"): Promise<string> {
    return this.once(`disp-${field}`, async () => {
      const first = this.firstAddress((await this.envelope())[field]);
      if (!first) return "";
      const name = first.name === null ? "" : decodeHeaderValue(first.name).trim();
      if (name) return casemap(name);
      const spec = first.host ? `${first.mailbox ?? ""}@${first.host}` : (first.mailbox ?? "");
      return casemap(utf8(spec));
    });
  }

  private firstAddress(raw: string | undefined) {
    if (raw === undefined) return undefined;
    return parseAddressList(raw).find((a) => a.host !== null);
  }

  /** Message-ID, In-Reply-To and References (message ids without angle brackets). */
  threadIds(): Promise<{ id: string | null; inReplyTo: string[]; references: string[] }> {
    return this.once("ids", async () => {
      const env = await this.envelope();
      const cached = this.summary().fields?.references;
      const refs = (
        cached ? cached.map(decodeHeaderValue) : headerValues(await this.headerText(), "references")
      ).flatMap(msgIds);
      return {
        id: msgIds(env.messageId ?? "")[0] ?? null,
        inReplyTo: msgIds(env.inReplyTo ?? ""),
        references: refs,
      };
    });
  }

  private async headerText(): Promise<string> {
    const st = messageStructure(this.folder, this.msg);
    if (st.root.header !== undefined) return st.root.header;
    const chunks: Buffer[] = [];
    for await (const b of await this.folder.open(this.msg, 0, st.root.headerSize)) chunks.push(b as Buffer);
    return Buffer.concat(chunks).toString("latin1");
  }
}

/** The `<…>` message ids in a field value, white space inside them removed. */
export function msgIds(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(/<([^<>]*)>/g)) {
    const id = m[1].replace(/\s+/g, "");
    if (id) out.push(id);
  }
  return out;
}
