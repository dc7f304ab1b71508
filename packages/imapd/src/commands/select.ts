// SELECT / EXAMINE (imapd-behaviour.md §7.1), plus the UIDNEXT and UNSEEN that RFC 3501
// requires (Courier omits them). Keywords go into FLAGS, `\*` into PERMANENTFLAGS.

import { refuseMaildirError } from "../mailbox/failures.js";
import { mailboxArg } from "../mailbox/names.js";
import { flagsResponses } from "../mailbox/selected-flags.js";
import { expectCount } from "../parser/args.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 1);
  const readOnly = cmd.name === "EXAMINE";
  s.mailbox = undefined;
  s.state.selected = undefined;
  s.state.phase = "authenticated";
  const name = mailboxArg(s, cmd.args[0]);
  let folder: Awaited<ReturnType<NonNullable<typeof s.maildir>["openFolder"]>>;
  try {
    folder = await s.maildir!.openFolder(name, "read-write");
  } catch (e) {
    refuseMaildirError(e);
  }
  const msgs = folder.messages;
  s.mailbox = { folder, readOnly };
  for (const line of flagsResponses(s)) s.untagged(line);
  s.untagged(`${msgs.length} EXISTS`);
  s.untagged(`${msgs.filter((m) => m.recent).length} RECENT`);
  const unseen = msgs.findIndex((m) => !m.flags.includes("\\Seen"));
  if (unseen >= 0) s.untagged(`OK [UNSEEN ${unseen + 1}] Message ${unseen + 1} is the first unseen`);
  s.untagged(`OK [UIDVALIDITY ${folder.uidValidity}] Ok`);
  s.untagged(`OK [UIDNEXT ${folder.nextUid}] Ok`);
  s.state.selected = {
    mailbox: folder.name,
    readOnly,
    uidValidity: folder.uidValidity,
    uidNext: folder.nextUid,
    uids: msgs.map((m) => m.uid),
  };
  s.state.phase = "selected";
  s.tagged(cmd.tag, "OK", readOnly ? "[READ-ONLY] Ok" : "[READ-WRITE] Ok");
};
