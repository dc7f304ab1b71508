// Writes one `* n FETCH (...)` response, streaming body literals from the maildir.

import type { Folder, MessageInfo } from "@courier-imap/maildir";
import {
  filterHeaderFields,
  type MessageStructure,
  partialRange,
  renderBodyStructure,
  renderEnvelope,
  resolveSection,
  type SectionData,
} from "@courier-imap/mime";
import { flagsText } from "../mailbox/flags-text.js";
import type { Session } from "../session/session.js";
import { imapDateTime } from "./imap-date.js";
import type { FetchItem } from "./items.js";
import { messageStructure } from "./structure-cache.js";

type Prepared = { data: SectionData; start: number; end: number };

async function readRange(folder: Folder, msg: MessageInfo, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await folder.open(msg, start, end - start)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** What a BODY item sends, before any byte is written: the data and its <partial> slice. */
async function prepare(
  folder: Folder,
  msg: MessageInfo,
  item: Extract<FetchItem, { kind: "BODY" }>,
  structure: () => Promise<MessageStructure>,
): Promise<Prepared> {
  const sec = item.section;
  let data: SectionData;
  if (!sec.part.length && (sec.text === "" || sec.text === "HEADER" || sec.text === "TEXT")) {
    // whole message, its header or its text: no structure parse needed
    const info = await folder.crlfInfo(msg);
    if (sec.text === "") data = { kind: "range", start: 0, end: info.size };
    else if (sec.text === "HEADER") data = { kind: "range", start: 0, end: info.headerSize };
    else data = { kind: "range", start: info.headerSize, end: info.size };
  } else {
    data = resolveSection(await structure(), sec);
    if (data.kind === "filter") {
      const header = await readRange(folder, msg, data.start, data.end);
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
  // everything that can fail is looked up before the first byte of the response is written
  let cached: MessageStructure | undefined;
  const structure = async () => (cached ??= await messageStructure(folder, msg));
  const size = items.some((i) => i.kind === "RFC822.SIZE") ? (await folder.crlfInfo(msg)).size : 0;
  const date = items.some((i) => i.kind === "INTERNALDATE") ? await folder.internalDate(msg) : undefined;
  const prepared = new Map<FetchItem, Prepared>();
  const rendered = new Map<FetchItem, Buffer>();
  for (const item of items) {
    if (item.kind === "BODY") prepared.set(item, await prepare(folder, msg, item, structure));
    else if (item.kind === "ENVELOPE")
      rendered.set(
        item,
        Buffer.from(`ENVELOPE ${renderEnvelope((await structure()).root.envelope)}`, "latin1"),
      );
    else if (item.kind === "BODYSTRUCTURE" || item.kind === "BODY-STRUCTURE") {
      const extended = item.kind === "BODYSTRUCTURE";
      const text = renderBodyStructure((await structure()).root, { extended });
      rendered.set(item, Buffer.from(`${extended ? "BODYSTRUCTURE" : "BODY"} ${text}`, "latin1"));
    }
  }
  const out = s.out;
  out.write(`* ${seq} FETCH (`);
  let first = true;
  for (const item of items) {
    if (!first) out.write(" ");
    first = false;
    switch (item.kind) {
      case "FLAGS":
        out.write(`FLAGS ${flagsText(msg)}`);
        break;
      case "UID":
        out.write(`UID ${msg.uid}`);
        break;
      case "RFC822.SIZE":
        out.write(`RFC822.SIZE ${size}`);
        break;
      case "INTERNALDATE":
        out.write(`INTERNALDATE ${imapDateTime(date!)}`);
        break;
      case "ENVELOPE":
      case "BODYSTRUCTURE":
      case "BODY-STRUCTURE":
        out.write(rendered.get(item)!);
        break;
      case "BODY": {
        const p = prepared.get(item)!;
        const n = p.end - p.start;
        out.write(`${item.label} {${n}}\r\n`);
        if (n > 0) {
          if (p.data.kind === "range") await out.pipeFrom(await folder.open(msg, p.data.start + p.start, n));
          else if (p.data.kind === "bytes") out.write(p.data.bytes.subarray(p.start, p.end));
        }
        if (item.section.text.startsWith("HEADER") || item.section.text === "MIME") s.state.headerBytes += n;
        else s.state.bodyBytes += n;
        break;
      }
    }
  }
  out.write(")\r\n");
}
