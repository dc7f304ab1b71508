// Store settings a Courier site sets in the imapd/pop3d config files (read from the
// environment, like Courier) or that Courier fixes at compile time (dirsync, trashquota).

export interface StoreOptions {
  /** IMAP_USELOCKS: take tmp/courier.lock around uiddb scans. Unset means on, as Courier. */
  useLocks: boolean;
  /** fsync new/ and cur/ after APPEND/COPY/delivery (Courier's --with-dirsync). */
  dirsync: boolean;
  /** Courier's --with-trashquota: Trash and \Deleted messages count against the quota. */
  trashQuota: boolean;
  /** IMAP_TRASHFOLDERNAME, filesystem form relative to INBOX. */
  trashFolder: string;
  /** IMAP_MOVE_EXPUNGE_TO_TRASH. */
  moveExpungeToTrash: boolean;
  /** IMAP_KEYWORDS: 0 off, 1 fast, 2 slow (updates under the folder lock). */
  keywords: 0 | 1 | 2;
  /** MAILDIR_SKIP_SYMLINK_CHECKS. */
  skipSymlinkChecks: boolean;
  /** Sleep after removing a stale lock (Courier: 5 s). */
  staleLockSleepMs: number;
}

function isNonZero(v: string | undefined): boolean {
  return v !== undefined && v !== "" && !/^0+$/.test(v.trim());
}

export function storeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): StoreOptions {
  const kw = env.IMAP_KEYWORDS;
  return {
    useLocks: env.IMAP_USELOCKS === undefined || env.IMAP_USELOCKS.trim() === "1",
    dirsync: isNonZero(env.MAILDIR_DIRSYNC),
    trashQuota: isNonZero(env.MAILDIR_TRASHQUOTA),
    trashFolder: env.IMAP_TRASHFOLDERNAME || "Trash",
    moveExpungeToTrash: isNonZero(env.IMAP_MOVE_EXPUNGE_TO_TRASH),
    keywords: kw === "0" ? 0 : kw === "2" ? 2 : 1,
    skipSymlinkChecks: isNonZero(env.MAILDIR_SKIP_SYMLINK_CHECKS),
    staleLockSleepMs: 5000,
  };
}

export const DEFAULT_OPTIONS: StoreOptions = storeOptionsFromEnv({});
