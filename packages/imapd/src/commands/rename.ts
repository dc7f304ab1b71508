// RENAME <from> <to> (RFC 3501 §6.3.5): moves a folder with all its subfolders; each gets a
// new UIDVALIDITY. RENAME INBOX follows the RFC (Courier refuses it): INBOX's messages move
// to a new folder of the new name, INBOX stays, empty, and its subfolders stay where they are.

import { FolderExistsError, ReservedFolderError } from "@courier-imap/maildir";
import { refuseMaildirError } from "../mailbox/failures.js";
import { mailboxArg } from "../mailbox/names.js";
import { uidvDelayMs } from "../mailbox/uidv-delay.js";
import { expectCount } from "../parser/args.js";
import { CommandRefused } from "../session/errors.js";
import type { Session } from "../session/session.js";
import type { CommandHandler } from "./types.js";

async function renameInbox(s: Session, to: string): Promise<void> {
  const maildir = s.maildir!;
  try {
    await maildir.createFolder(to);
  } catch (e) {
    if (e instanceof FolderExistsError) throw new CommandRefused("Mailbox already exists.");
    refuseMaildirError(e);
  }
  const inbox = await maildir.openFolder("INBOX", "read-write");
  const dest = await maildir.folder(to);
  if (inbox.messages.length) await inbox.moveTo(inbox.messages, dest);
}

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 2);
  const from = mailboxArg(s, cmd.args[0]).replace(/\.$/, "");
  const to = mailboxArg(s, cmd.args[1]).replace(/\.$/, "");
  if (to === "INBOX") throw new CommandRefused("Mailbox already exists.");
  if (from === "INBOX") {
    await renameInbox(s, to);
    s.tagged(cmd.tag, "OK", "Folder renamed.");
    return;
  }
  const sel = s.state.selected?.mailbox;
  if (sel && (sel === from || sel.startsWith(`${from}.`)))
    throw new CommandRefused("Cannot rename currently-open folder.");
  try {
    await s.maildir!.renameFolder(from, to, uidvDelayMs(s));
  } catch (e) {
    if (e instanceof FolderExistsError) {
      throw new CommandRefused(
        e.message.startsWith("Folder does not exist") ? "Mailbox does not exist." : "Mailbox already exists.",
      );
    }
    if (e instanceof ReservedFolderError) throw new CommandRefused(e.message);
    refuseMaildirError(e);
  }
  s.tagged(cmd.tag, "OK", "Folder renamed.");
};
