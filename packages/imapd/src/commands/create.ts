// CREATE <mailbox> (RFC 3501 §6.3.3). A trailing `.` only declares hierarchy: OK, nothing
// made. Missing parents are not created: in Maildir++ they show as \Noselect nodes.

import { FolderExistsError, ReservedFolderError } from "@courier-imap/maildir";
import { refuseMaildirError } from "../mailbox/failures.js";
import { mailboxArg, wireMailbox } from "../mailbox/names.js";
import { expectCount } from "../parser/args.js";
import { CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 1);
  const name = mailboxArg(s, cmd.args[0]);
  if (name === "INBOX") throw new CommandRefused("INBOX already exists!");
  try {
    await s.maildir!.createFolder(name);
  } catch (e) {
    if (e instanceof FolderExistsError || e instanceof ReservedFolderError)
      throw new CommandRefused("Cannot create this folder.");
    refuseMaildirError(e);
  }
  s.tagged(cmd.tag, "OK", `${wireMailbox(s, name)} created.`);
};
