// Writes one `* n FETCH (...)` response. Everything that can fail is looked up before the
// first byte of the response is written. ENVELOPE, BODYSTRUCTURE and sizes come from the
// message summary (summary.ts, usually cached); BODY[...] literals from one read of the
// file, or streamed for a large one.

import type { Folder, MessageInfo } from "@courier-imap/maildir";
import { filterHeaderFields, partialRange, resolveSection, type SectionData } from "@courier-imap/mime";
import { flagsText } from "../mailbox/flags-text.js";
import type { Session } from "../session/session.js";
import { imapDateTime } from "./imap-date.js";
import type { FetchItem } from "./items.js";
import { MessageBytes } from "./message-bytes.js";
import { messageStructure } from "./structure-cache.js";
import { type MessageSummary, messageSummary } from "./summary.js";

type BodyItem = Extract<FetchItem, { kind: "BODY" }>;
type Prepared = { data: SectionData; start: number; end: number };
type Literal = Prepared & { item: BodyItem };

async function readRange(folder: Folder, msg: MessageInfo, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await folder.open(msg, start, end - start)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The top-level header's fields without a MIME parse, when the header has no CR to read differently. */
function topHeaderFields(bytes: MessageBytes, item: BodyItem): SectionData | undefined {
  const raw = bytes.rawBytes();
  if (!raw) return undefined;
  const { headerSize } = bytes.info();
  const cr = raw.indexOf(13);
  if (cr >= 0 && cr < headerSize) return undefined;
  const header = bytes.bytes(0, headerSize)!;
  const not = item.section.text === "HEADER.FIELDS.NOT";
  return { kind: "bytes", bytes: filterHeaderFields(header, item.section.fields!, not) };
}

/** What a BODY item sends: the data and its <partial> slice. */
async function prepare(
  folder: Folder,
  msg: MessageInfo,
  item: BodyItem,
  bytes: MessageBytes,
): Promise<Prepared> {
  const sec = item.section;
  let data: SectionData | undefined;
  if (!sec.part.length && (sec.text === "" || sec.text === "HEADER" || sec.text === "TEXT")) {
    // whole message, its header or its text: no structure parse needed
    const info = bytes.info();
    if (sec.text === "") data = { kind: "range", start: 0, end: info.size };
    else if (sec.text === "HEADER") data = { kind: "range", start: 0, end: info.headerSize };
    else data = { kind: "range", start: info.headerSize, end: info.size };
  } else {
    if (!sec.part.length && sec.fields) data = topHeaderFields(bytes, item);
    data ??= resolveSection(messageStructure(folder, msg), sec);
    if (data.kind === "filter") {
      const header =
        bytes.bytes(data.start, data.end) ?? (await readRange(folder, msg, data.start, data.end));
      data = { kind: "bytes", bytes: filterHeaderFields(header, data.fields, data.not) };
    }
  }
  const length =
    data.kind === "range" ? data.end - data.start : data.kind === "bytes" ? data.bytes.length : 0;
  const r = item.partial
    ? partialRange(length, item.partial.start, item.partial.length)
    : { start: 0, end: length };
  return { data, ...r };
}

export async function writeFetchResponse(
  s: Session,
  folder: Folder,
  seq: number,
  msg: MessageInfo,
  items: FetchItem[],
): Promise<void> {
  let summary: MessageSummary | undefined;
  const sum = () => (summary ??= messageSummary(folder, msg));
  const bytes = new MessageBytes(folder, msg);
  // Every item as text (binary string), except BODY literals, before anything is written.
  const parts: (string | Buffer | Literal)[] = [];
  let text = `* ${seq} FETCH (`;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (i) text += " ";
    switch (item.kind) {
      case "FLAGS": {
        const flags = `FLAGS ${flagsText(msg)}`;
        // keywords are sent as UTF-8, unlike the binary strings of the message
        if (/[^\x00-\x7f]/.test(flags)) {
          parts.push(text, Buffer.from(flags));
          text = "";
        } else text += flags;
        break;
      }
      case "UID":
        text += `UID ${msg.uid}`;
        break;
      case "RFC822.SIZE":
        text += `RFC822.SIZE ${folder.knownCrlfSize(msg) ?? sum().size}`;
        break;
      case "INTERNALDATE":
        text += `INTERNALDATE ${imapDateTime(folder.internalDateSync(msg))}`;
        break;
      case "ENVELOPE":
        text += `ENVELOPE ${sum().envelope}`;
        break;
      case "BODYSTRUCTURE":
        text += `BODYSTRUCTURE ${sum().bodystructure}`;
        break;
      case "BODY-STRUCTURE":
        text += `BODY ${sum().body}`;
        break;
      case "BODY": {
        const p = await prepare(folder, msg, item, bytes);
        text += `${item.label} {${p.end - p.start}}\r\n`;
        parts.push(text, { ...p, item });
        text = "";
        break;
      }
    }
  }
  text += ")\r\n";
  parts.push(text);
  const out = s.out;
  for (const part of parts) {
    if (typeof part === "string") {
      if (part) out.writeLatin1(part);
      continue;
    }
    if (Buffer.isBuffer(part)) {
      out.write(part);
      continue;
    }
    const item = part.item;
    const n = part.end - part.start;
    if (n > 0) {
      if (part.data.kind === "range") {
        const from = part.data.start + part.start;
        const whole = from === 0 && n === bytes.info().size && bytes.writeWhole(out);
        const held = whole || bytes.bytes(from, from + n);
        if (held instanceof Buffer) out.write(held);
        else if (!held) await out.pipeFrom(await folder.open(msg, from, n));
      } else if (part.data.kind === "bytes") out.write(part.data.bytes.subarray(part.start, part.end));
    }
    if (item.section.text.startsWith("HEADER") || item.section.text === "MIME") s.state.headerBytes += n;
    else s.state.bodyBytes += n;
  }
}
