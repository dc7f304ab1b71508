// Errors a user or admin can cause; the protocols map each class to a response code.

/** The addition would exceed the Maildir++ quota (IMAP: NO [ALERT] You exceeded your mail quota.). */
export class QuotaExceededError extends Error {
  constructor(message = "You exceeded your mail quota.") {
    super(message);
  }
}

/** A file in the way of a safe open is a symlink or otherwise not what was opened. */
export class UnsafeFileError extends Error {}

/** CREATE of a folder that exists, RENAME onto an existing folder. */
export class FolderExistsError extends Error {}

/** DELETE/RENAME of INBOX or the Trash folder. */
export class ReservedFolderError extends Error {}
