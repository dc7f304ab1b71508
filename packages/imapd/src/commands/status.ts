// STATUS <mailbox> (<items>) (RFC 3501 §6.3.10): MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN,
// in the order asked. As Courier, a single item without parentheses is accepted; unknown
// items are a BAD (Courier ignores them).

import { refuseMaildirError } from "../mailbox/failures.js";
import { mailboxArg, wireMailbox } from "../mailbox/names.js";
import { expectCount } from "../parser/args.js";
import { BadCommand } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

const ITEMS = new Set(["MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN"]);

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 2);
  const name = mailboxArg(s, cmd.args[0]);
  const arg = cmd.args[1];
  const toks = arg.t === "list" ? arg.v : [arg];
  const items = toks.map((t) => {
    const v = t.t === "atom" ? t.v.toUpperCase() : "";
    if (!ITEMS.has(v)) throw new BadCommand("Invalid STATUS item");
    return v as "MESSAGES" | "RECENT" | "UIDNEXT" | "UIDVALIDITY" | "UNSEEN";
  });
  if (!items.length) throw new BadCommand("Missing STATUS items");
  let st: Awaited<ReturnType<NonNullable<typeof s.maildir>["status"]>>;
  try {
    st = await s.maildir!.status(name);
  } catch (e) {
    refuseMaildirError(e);
  }
  const values: Record<string, number> = {
    MESSAGES: st.messages,
    RECENT: st.recent,
    UIDNEXT: st.uidNext,
    UIDVALIDITY: st.uidValidity,
    UNSEEN: st.unseen,
  };
  s.untagged(`STATUS ${wireMailbox(s, name)} (${items.map((i) => `${i} ${values[i]}`).join(" ")})`);
  s.tagged(cmd.tag, "OK", "STATUS Completed.");
};
