// `courierimapuiddb` (maildir-formats.md §3): line 1 `1 <uidvalidity> <nextuid>`, then
// `<uid> <basename>` lines sorted by UID. Parsing and formatting only; no I/O policy here.

export const UIDDB_FILE = "courierimapuiddb";
export const IMAP_EPOCH = 1000000000;

export interface UidDb {
  uidValidity: number;
  nextUid: number;
  /** base name → UID */
  uids: Map<string, number>;
}

/** Parses a uiddb; undefined when line 1 is unreadable or not version 1 (= treat as missing). */
export function parseUidDb(text: string): UidDb | undefined {
  const lines = text.split("\n");
  const head = /^1 (\d+) (\d+)$/.exec(lines[0] ?? "");
  if (!head) return undefined;
  const db: UidDb = { uidValidity: Number(head[1]), nextUid: Number(head[2]), uids: new Map() };
  for (let i = 1; i < lines.length; i++) {
    const m = /^(\d+) (.+)$/.exec(lines[i]);
    if (!m) continue;
    const uid = Number(m[1]);
    if (uid <= 0 || db.uids.has(m[2])) continue;
    db.uids.set(m[2], uid);
    if (uid >= db.nextUid) db.nextUid = uid + 1;
  }
  return db;
}

export function formatUidDb(db: UidDb): string {
  const rows = [...db.uids].sort((a, b) => a[1] - b[1]);
  let out = `1 ${db.uidValidity} ${db.nextUid}\n`;
  for (const [name, uid] of rows) out += `${uid} ${name}\n`;
  return out;
}
