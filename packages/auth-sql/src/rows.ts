// Turning result rows into accounts (spec/auth-modules.md §8.2, §8.3, §8.5). Drivers hand rows
// over as strings (NULL → ""). A lookup row needs at least 6 columns, a positive uid and gid
// and a non-empty home; anything else is a database error, not "no such user".

import type { EnumeratedRecord } from "@courier-imap/authlib";

export class BadRowError extends Error {
  override name = "BadRowError";
}

export interface SqlAccount {
  address: string;
  crypt: string;
  clear: string;
  uid: number;
  gid: number;
  home: string;
  maildir: string;
  quota: string;
  name: string;
  options: string;
}

function positiveInt(v: string | undefined): number | undefined {
  if (v === undefined || !/^\s*\d+\s*$/.test(v)) return undefined;
  const n = Number(v);
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}

export function accountFromRow(row: string[]): SqlAccount {
  if (row.length < 6)
    throw new BadRowError(`the query returned ${row.length} columns, at least 6 are needed`);
  const uid = positiveInt(row[3]);
  const gid = positiveInt(row[4]);
  if (uid === undefined) throw new BadRowError(`uid ${JSON.stringify(row[3])} is not a positive number`);
  if (gid === undefined) throw new BadRowError(`gid ${JSON.stringify(row[4])} is not a positive number`);
  if (!row[5]) throw new BadRowError("home directory is empty");
  const col = (i: number) => row[i] ?? "";
  return {
    address: col(0),
    crypt: col(1),
    clear: col(2),
    uid,
    gid,
    home: row[5],
    maildir: col(6),
    quota: col(7),
    name: col(8),
    options: col(9),
  };
}

/** An ENUMERATE row, or undefined for rows Courier skips (empty name or home, bad ids). */
export function enumeratedFromRow(row: string[]): EnumeratedRecord | undefined {
  const [name, uid, gid, home, maildir, options] = row;
  if (!name || !home) return undefined;
  const u = positiveInt(uid);
  const g = positiveInt(gid);
  if (u === undefined || g === undefined) return undefined;
  return { name, uid: u, gid: g, home, maildir: maildir || undefined, options: options || undefined };
}
