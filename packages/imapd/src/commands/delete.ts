// DELETE <mailbox> (RFC 3501 §6.3.4): removes the folder's own messages and directory;
// its subfolders stay and the name becomes \Noselect. INBOX, the Trash folder and the
// selected folder are refused; a trailing `.` is "punted" (OK, nothing done).

import { NoSuchFolderError, ReservedFolderError } from "@courier-imap/maildir";
import { refuseMaildirError } from "../mailbox/failures.js";
import { mailboxArg } from "../mailbox/names.js";
import { uidvDelayMs } from "../mailbox/uidv-delay.js";
import { expectCount } from "../parser/args.js";
import { CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 1);
  const name = mailboxArg(s, cmd.args[0]);
  if (name.endsWith(".")) {
    s.tagged(cmd.tag, "OK", "Folder directory delete punted.");
    return;
  }
  if (name === "INBOX") throw new CommandRefused("INBOX cannot be deleted.");
  if (s.state.selected?.mailbox === name) throw new CommandRefused("Cannot delete currently-open folder.");
  try {
    await s.maildir!.deleteFolder(name, uidvDelayMs(s));
  } catch (e) {
    if (e instanceof ReservedFolderError) throw new CommandRefused("Reserved folder name.");
    if (e instanceof NoSuchFolderError) throw new CommandRefused("Mailbox does not exist.");
    refuseMaildirError(e);
  }
  s.tagged(cmd.tag, "OK", "Folder deleted.");
};
