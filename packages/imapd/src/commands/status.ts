// STATUS <mailbox> (<items>) (RFC 3501 §6.3.10): MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN,
// in the order asked, plus SIZE (RFC 8438) when STATUS=SIZE is advertised and APPENDLIMIT
// (RFC 7889, a number or NIL) when APPENDLIMIT is. As Courier, a single item without
// parentheses is accepted; unknown items are a BAD (Courier ignores them).

import { appendLimit } from "../mailbox/append-limit.js";
import { refuseMaildirError } from "../mailbox/failures.js";
import { mailboxArg, wireMailbox } from "../mailbox/names.js";
import { advertised } from "../mailbox/special-use.js";
import { expectCount } from "../parser/args.js";
import type { Token } from "../parser/tokens.js";
import { BadCommand } from "../session/errors.js";
import type { Session } from "../session/session.js";
import type { CommandHandler } from "./types.js";

const BASE_ITEMS = ["MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN"];

/** The STATUS items this session accepts (the extensions only when advertised). */
export function statusItems(s: Session): Set<string> {
  const items = new Set(BASE_ITEMS);
  if (advertised(s, "STATUS=SIZE")) items.add("SIZE");
  if (advertised(s, "APPENDLIMIT")) items.add("APPENDLIMIT");
  return items;
}

/** Parses a STATUS item list (or a single atom) into upper-case item names. */
export function parseStatusItems(s: Session, arg: Token): string[] {
  const known = statusItems(s);
  const toks = arg.t === "list" ? arg.v : [arg];
  const items = toks.map((t) => {
    const v = t.t === "atom" ? t.v.toUpperCase() : "";
    if (!known.has(v)) throw new BadCommand("Invalid STATUS item");
    return v;
  });
  if (!items.length) throw new BadCommand("Missing STATUS items");
  return items;
}

/** `(MESSAGES 3 SIZE 120 …)` for a folder (filesystem-form name); maildir errors propagate. */
export async function statusValues(s: Session, name: string, items: string[]): Promise<string> {
  const st = await s.maildir!.status(name);
  const values: Record<string, number | string> = {
    MESSAGES: st.messages,
    RECENT: st.recent,
    UIDNEXT: st.uidNext,
    UIDVALIDITY: st.uidValidity,
    UNSEEN: st.unseen,
  };
  if (items.includes("SIZE")) values.SIZE = await s.maildir!.statusSize(name);
  if (items.includes("APPENDLIMIT")) values.APPENDLIMIT = appendLimit(s.settings.env) ?? "NIL";
  return `(${items.map((i) => `${i} ${values[i]}`).join(" ")})`;
}

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 2);
  const name = mailboxArg(s, cmd.args[0]);
  const items = parseStatusItems(s, cmd.args[1]);
  let values: string;
  try {
    values = await statusValues(s, name, items);
  } catch (e) {
    refuseMaildirError(e);
  }
  s.untagged(`STATUS ${wireMailbox(s, name)} ${values}`);
  s.tagged(cmd.tag, "OK", "STATUS Completed.");
};
