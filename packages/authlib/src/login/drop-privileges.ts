// Becomes the account's user before anything touches its maildir: groups, gid, then uid.
// Shared by the protocol workers (imapd, pop3d) after authdaemond accepted a login.

import type { AuthRecord } from "../record.js";

/** Does nothing unless running as root. */
export function dropPrivileges(rec: AuthRecord): void {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return;
  if (rec.uid === undefined && !rec.username) throw new Error("account has neither UID nor USERNAME");
  const initgroups = (process as { initgroups?: (user: string, gid: number) => void }).initgroups;
  if (rec.username && initgroups) initgroups(rec.username, rec.gid);
  else process.setgroups!([rec.gid]);
  process.setgid!(rec.gid);
  process.setuid!(rec.uid ?? rec.username!);
}
