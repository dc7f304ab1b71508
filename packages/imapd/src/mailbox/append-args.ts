// APPEND's arguments: <mailbox> [(<flags>)] [<date-time>] and the message, either a literal
// or, after ENABLE UTF8=ACCEPT, `UTF8 (<literal8>)` (RFC 6855 §4). Without UTF8=ACCEPT
// enabled the UTF8 form is a BAD, and a bare literal8 (BINARY's APPEND) is not supported.

import { parseImapDateTime } from "../parser/date-time.js";
import type { Token } from "../parser/tokens.js";
import { BadCommand } from "../session/errors.js";
import type { Session } from "../session/session.js";
import { utf8Enabled } from "./names.js";

export interface AppendArgs {
  mailbox: Token;
  flags?: Token;
  date?: Date;
  /** A buffered literal, or a streamed one (RawCommand.streamed). */
  message: Extract<Token, { t: "string" | "literal8" | "stream" }>;
  /** The message came as `UTF8 (~{n}…)`. */
  utf8: boolean;
}

function messageToken(
  s: Session,
  args: Token[],
): { message: AppendArgs["message"]; utf8: boolean; used: number } {
  const last = args[args.length - 1];
  const before = args[args.length - 2];
  if (args.length >= 3 && last?.t === "list" && before?.t === "atom" && before.v.toUpperCase() === "UTF8") {
    if (!utf8Enabled(s)) throw new BadCommand("UTF8 APPEND needs ENABLE UTF8=ACCEPT first");
    const inner = last.v;
    if (inner.length !== 1 || !(inner[0].t === "literal8" || (inner[0].t === "stream" && inner[0].literal8)))
      throw new BadCommand("UTF8 APPEND needs the message as a literal8 (~{n})");
    return { message: inner[0] as AppendArgs["message"], utf8: true, used: 2 };
  }
  if ((last?.t === "string" && last.literal) || (last?.t === "stream" && !last.literal8))
    return { message: last, utf8: false, used: 1 };
  if (last?.t === "literal8" || last?.t === "stream") throw new BadCommand("BINARY APPEND is not supported");
  throw new BadCommand("APPEND needs the message as a literal");
}

export function parseAppendArgs(s: Session, args: Token[]): AppendArgs {
  if (args.length < 2) throw new BadCommand("wrong number of arguments");
  const { message, utf8, used } = messageToken(s, args);
  const middle = args.slice(1, args.length - used);
  if (middle.length > 2) throw new BadCommand("wrong number of arguments");
  let flags: Token | undefined;
  let date: Date | undefined;
  for (const t of middle) {
    if (t.t === "list" && !flags && !date) flags = t;
    else if (t.t === "string" && !t.literal && !date) {
      date = parseImapDateTime(t.v.toString("latin1"));
      if (!date) throw new BadCommand("Invalid date-time");
    } else throw new BadCommand("Invalid APPEND arguments");
  }
  return { mailbox: args[0], flags, date, message, utf8 };
}
