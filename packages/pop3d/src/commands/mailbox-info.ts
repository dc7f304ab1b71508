// STAT, LIST [n], UIDL [n] (RFC 1939 §5, §7). DELE'd messages are left out; message
// numbers never change during a session.

import type { Session } from "../session/session.js";
import { type Handler, words } from "./types.js";

const INVALID = "Invalid message number.";

// Plain index loops: a worker runs this code once, cold, so a generator or a chain of
// map/filter/reduce over 10,000 messages costs milliseconds in the interpreter.

export const stat: Handler = async (s) => {
  const msgs = s.mailbox!.messages;
  let count = 0;
  let size = 0;
  for (let i = 0; i < msgs.length; i++) {
    if (s.deleted.has(i)) continue;
    count++;
    size += msgs[i].size;
  }
  return s.reply(true, `${count} ${size}`);
};

/** Lines of a multi-line listing go out in blocks of about 64 KiB, not one write per message. */
const BLOCK = 65536;

async function listing(s: Session, args: string, field: (m: { size: number; uidl: string }) => string) {
  const [arg] = words(args);
  if (arg !== undefined) {
    const found = s.message(arg);
    if (!found) return s.reply(false, INVALID);
    return s.reply(true, `${arg.replace(/^0+(?=\d)/, "")} ${field(found.msg)}`);
  }
  let text = field === sizeOf ? "+OK POP3 clients that break here, they violate STD53.\r\n" : "+OK\r\n";
  const msgs = s.mailbox!.messages;
  for (let i = 0; i < msgs.length; i++) {
    if (s.deleted.has(i)) continue;
    text += `${i + 1} ${field(msgs[i])}\r\n`;
    if (text.length >= BLOCK) {
      await s.out.write(text);
      text = "";
    }
  }
  return s.out.write(`${text}.\r\n`);
}

const sizeOf = (m: { size: number }) => String(m.size);

export const list: Handler = (s, args) => listing(s, args, sizeOf);

export const uidl: Handler = (s, args) => listing(s, args, (m) => m.uidl);
