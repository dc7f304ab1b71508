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
  let eol = text.indexOf("\n");
  if (eol < 0) eol = text.length;
  const head = /^1 (\d+) (\d+)$/.exec(text.slice(0, eol));
  if (!head) return undefined;
  const db: UidDb = { uidValidity: Number(head[1]), nextUid: Number(head[2]), uids: new Map() };
  // a hand-rolled loop: a regex and a split per line make large folders markedly slower
  for (let at = eol + 1; at < text.length; at = eol + 1) {
    eol = text.indexOf("\n", at);
    if (eol < 0) eol = text.length;
    let uid = 0;
    let i = at;
    for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) uid = uid * 10 + c - 48;
    if (i === at || text.charCodeAt(i) !== 32 || i + 1 >= eol || uid <= 0) continue;
    const name = text.slice(i + 1, eol);
    if (db.uids.has(name)) continue;
    db.uids.set(name, uid);
    if (uid >= db.nextUid) db.nextUid = uid + 1;
  }
  return db;
}

export function formatUidDb(db: UidDb): string {
  const rows = [...db.uids].sort((a, b) => a[1] - b[1]);
  const lines = [`1 ${db.uidValidity} ${db.nextUid}`];
  for (const [name, uid] of rows) lines.push(`${uid} ${name}`);
  lines.push("");
  return lines.join("\n");
}
