// CREATE <mailbox> [(USE (<attr>…))] (RFC 3501 §6.3.3, CREATE-SPECIAL-USE RFC 6154 §3). A
// trailing `.` only declares hierarchy: OK, nothing made (so it cannot take a special use).
// Missing parents are not created: in Maildir++ they show as \Noselect nodes. The folder
// keeps its attributes through RENAME (maildir's courierimapspecialuse file).

import { FolderExistsError, ReservedFolderError } from "@courier-imap/maildir";
import { createUseAttributes } from "../mailbox/create-use.js";
import { refuseMaildirError } from "../mailbox/failures.js";
import { mailboxArg, wireMailbox } from "../mailbox/names.js";
import { expectCount } from "../parser/args.js";
import { CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 1, 2);
  const use = createUseAttributes(s, cmd.args[1]);
  const name = mailboxArg(s, cmd.args[0]);
  if (name === "INBOX") throw new CommandRefused("INBOX already exists!");
  if (use.length && name.endsWith("."))
    throw new CommandRefused("[USEATTR] A hierarchy name cannot have a special use");
  try {
    await s.maildir!.createFolder(name, use);
  } catch (e) {
    if (e instanceof FolderExistsError || e instanceof ReservedFolderError)
      throw new CommandRefused("Cannot create this folder.");
    refuseMaildirError(e);
  }
  s.tagged(cmd.tag, "OK", `${wireMailbox(s, name)} created.`);
};
