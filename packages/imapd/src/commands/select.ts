// SELECT / EXAMINE (imapd-behaviour.md §7.1), plus the UIDNEXT and UNSEEN
// that RFC 3501 requires (Courier omits them).

import { MailboxNameError, NoSuchFolderError } from "@courier-imap/maildir";
import { astring, expectCount } from "../parser/args.js";
import { CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

const FLAGS = "\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent";
const PERMANENT = "\\Draft \\Answered \\Flagged \\Deleted \\Seen";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 1);
  const name = astring(cmd.args[0], "mailbox name");
  const readOnly = cmd.name === "EXAMINE";
  s.mailbox = undefined;
  s.state.selected = undefined;
  s.state.phase = "authenticated";
  let folder: Awaited<ReturnType<NonNullable<typeof s.maildir>["openFolder"]>>;
  try {
    folder = await s.maildir!.openFolder(name, "read-write");
  } catch (e) {
    if (e instanceof MailboxNameError) throw new CommandRefused("Invalid mailbox name.");
    if (e instanceof NoSuchFolderError)
      throw new CommandRefused("Mailbox does not exist, or must be subscribed to.");
    throw e;
  }
  const msgs = folder.messages;
  s.untagged(`FLAGS (${FLAGS})`);
  if (readOnly) s.untagged("OK [PERMANENTFLAGS ()] No permanent flags permitted");
  else s.untagged(`OK [PERMANENTFLAGS (${PERMANENT})] Limited`);
  s.untagged(`${msgs.length} EXISTS`);
  s.untagged(`${msgs.filter((m) => m.recent).length} RECENT`);
  const unseen = msgs.findIndex((m) => !m.flags.includes("\\Seen"));
  if (unseen >= 0) s.untagged(`OK [UNSEEN ${unseen + 1}] Message ${unseen + 1} is the first unseen`);
  s.untagged(`OK [UIDVALIDITY ${folder.uidValidity}] Ok`);
  s.untagged(`OK [UIDNEXT ${folder.nextUid}] Ok`);
  s.mailbox = { folder, readOnly };
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
