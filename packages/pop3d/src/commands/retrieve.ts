// RETR n and TOP n lines (RFC 1939 §7): the message streamed from the file, CRLF and
// dot-stuffed, never held whole in memory. RETR then marks it \Seen; TOP does not.

import type { Readable } from "node:stream";
import type { Pop3Message } from "@courier-imap/maildir";
import { DotStuffer } from "../message/dot-stuff.js";
import { unicodeWrapper } from "../message/unicode-wrap.js";
import type { Session } from "../session/session.js";
import { type Handler, words } from "./types.js";

async function open(s: Session, msg: Pop3Message): Promise<Readable | undefined> {
  try {
    return await s.mailbox!.openRaw(msg);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    await s.reply(false, "Can't open the message file - it's gone!");
    return undefined;
  }
}

/** Sends the file through the encoder; returns the file bytes sent (Courier's top=/retr= count). */
async function send(s: Session, file: Readable, enc: DotStuffer): Promise<number> {
  try {
    for await (const chunk of file) {
      await s.out.write(enc.encode(chunk as Buffer));
      if (enc.done || s.out.isClosed) break;
    }
  } finally {
    file.destroy();
  }
  await s.out.write(enc.finish());
  return enc.consumed;
}

export const retr: Handler = async (s, args) => {
  const a = words(args);
  const found = a.length === 1 ? s.message(a[0]) : undefined;
  if (!found) return s.reply(false, "Invalid message number.");
  const { msg } = found;
  const file = await open(s, msg);
  if (!file) return;
  const wrap = msg.utf8 && !s.utf8 ? unicodeWrapper(s.settings.env) : undefined;
  await s.reply(true, `${msg.size + (wrap ? wrap.head.length + wrap.tail.length : 0)} octets follow.`);
  if (wrap) await s.out.write(wrap.head);
  const enc = new DotStuffer();
  s.retr += await send(s, file, wrap ? enc.withoutTerminator() : enc);
  if (wrap) await s.out.write(Buffer.concat([wrap.tail, Buffer.from(".\r\n")]));
  await s.mailbox!.markSeen(msg);
};

export const top: Handler = async (s, args) => {
  const a = words(args);
  if (a.length !== 2 || !/^\d{1,9}$/.test(a[1])) return s.reply(false, "Invalid command.");
  const found = s.message(a[0]);
  if (!found) return s.reply(false, "Invalid message number.");
  const file = await open(s, found.msg);
  if (!file) return;
  await s.reply(true, "headers follow.");
  s.top += await send(s, file, new DotStuffer(Number(a[1])));
};
