// What a worker does once authdaemond accepted a login, before it opens any mail
// (imapd-behaviour.md §3, pop3d-and-tcpd.md §2): become the account, chdir HOME, and
// resolve the maildir (authdaemond's MAILDIR, else the worker's default, relative to HOME).

import { join } from "node:path";
import type { AuthRecord } from "../record.js";
import { dropPrivileges } from "./drop-privileges.js";

/** Resolves the account's maildir against its home directory. */
export function maildirPath(home: string, maildir: string | undefined, dflt: string): string {
  const m = maildir || dflt;
  return m.startsWith("/") ? m : join(home || ".", m);
}

/** Drops privileges, changes to HOME and returns the maildir path. Throws on failure. */
export function enterAccount(rec: AuthRecord, defaultMaildir: string): string {
  dropPrivileges(rec);
  if (rec.home) process.chdir(rec.home);
  return maildirPath(rec.home, rec.maildir, defaultMaildir);
}

/** Seconds from a *_LOGIN_FAIL_DELAY style variable, as milliseconds (default 5 s, as Courier). */
export function loginFailDelayMs(value: string | undefined, dfltSeconds = 5): number {
  const n = Number.parseFloat(value ?? "");
  return (Number.isFinite(n) && n >= 0 ? n : dfltSeconds) * 1000;
}
