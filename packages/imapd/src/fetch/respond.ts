// Writes one `* n FETCH (...)` response, streaming body literals from the maildir.

import type { Folder, MessageInfo } from "@courier-imap/maildir";
import { flagsText } from "../mailbox/flags-text.js";
import type { Session } from "../session/session.js";
import { imapDateTime } from "./imap-date.js";
import type { FetchItem } from "./items.js";

export async function writeFetchResponse(
  s: Session,
  folder: Folder,
  seq: number,
  msg: MessageInfo,
  items: FetchItem[],
): Promise<void> {
  // everything that can fail is looked up before the first byte of the response is written
  const needsBody = items.some((i) => i.kind === "BODY" || i.kind === "RFC822.SIZE");
  const info = needsBody ? await folder.crlfInfo(msg) : undefined;
  const date = items.some((i) => i.kind === "INTERNALDATE") ? await folder.internalDate(msg) : undefined;
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
        out.write(`RFC822.SIZE ${info!.size}`);
        break;
      case "INTERNALDATE":
        out.write(`INTERNALDATE ${imapDateTime(date!)}`);
        break;
      case "BODY": {
        let start = item.section === "TEXT" ? info!.headerSize : 0;
        let end = item.section === "HEADER" ? info!.headerSize : info!.size;
        if (item.partial) {
          start = Math.min(end, start + item.partial.start);
          end = Math.min(end, start + item.partial.length);
        }
        out.write(`${item.label} {${end - start}}\r\n`);
        if (end > start) await out.pipeFrom(await folder.open(msg, start, end - start));
        if (item.section === "HEADER") s.state.headerBytes += end - start;
        else s.state.bodyBytes += end - start;
        break;
      }
    }
  }
  out.write(")\r\n");
}
