// STAT, LIST [n], UIDL [n] (RFC 1939 §5, §7). DELE'd messages are left out; message
// numbers never change during a session.

import type { Session } from "../session/session.js";
import { type Handler, words } from "./types.js";

const INVALID = "Invalid message number.";

function live(s: Session) {
  return s.mailbox!.messages.map((m, i) => ({ n: i + 1, m })).filter(({ n }) => !s.deleted.has(n - 1));
}

export const stat: Handler = async (s) => {
  const msgs = live(s);
  return s.reply(true, `${msgs.length} ${msgs.reduce((a, { m }) => a + m.size, 0)}`);
};

async function listing(s: Session, args: string, field: (m: { size: number; uidl: string }) => string) {
  const [arg] = words(args);
  if (arg !== undefined) {
    const found = s.message(arg);
    if (!found) return s.reply(false, INVALID);
    return s.reply(true, `${arg.replace(/^0+(?=\d)/, "")} ${field(found.msg)}`);
  }
  await s.out.line(field === sizeOf ? "+OK POP3 clients that break here, they violate STD53." : "+OK");
  for (const { n, m } of live(s)) await s.out.line(`${n} ${field(m)}`);
  return s.out.line(".");
}

const sizeOf = (m: { size: number }) => String(m.size);

export const list: Handler = (s, args) => listing(s, args, sizeOf);

export const uidl: Handler = (s, args) => listing(s, args, (m) => m.uidl);
