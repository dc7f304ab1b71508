// Maps the maildir package's error classes to the IMAP replies Courier gives for them.

import {
  FolderExistsError,
  MailboxNameError,
  NoSuchFolderError,
  QuotaExceededError,
  ReservedFolderError,
} from "@courier-imap/maildir";
import { CommandRefused } from "../session/errors.js";

/** Rethrows a user-caused maildir error as a tagged NO; anything else unchanged. */
export function refuseMaildirError(
  e: unknown,
  noSuch = "Mailbox does not exist, or must be subscribed to.",
): never {
  if (e instanceof MailboxNameError) throw new CommandRefused("Invalid mailbox name.");
  if (e instanceof NoSuchFolderError) throw new CommandRefused(noSuch);
  if (e instanceof FolderExistsError) throw new CommandRefused(`${e.message}`);
  if (e instanceof ReservedFolderError) throw new CommandRefused(e.message);
  if (e instanceof QuotaExceededError) throw new CommandRefused("[OVERQUOTA] You exceeded your mail quota.");
  throw e;
}
