// The account record an authdaemond reply carries (spec/authdaemon-protocol.md §4.1).

export interface AuthRecord {
  username?: string;
  uid?: number;
  gid: number;
  home: string;
  address?: string;
  name?: string;
  maildir?: string;
  quota?: string;
  passwd?: string;
  passwd2?: string;
  options?: string;
  /** Not Courier's: the SCRAM ServerSignature (base64) of a `scram-sha-256` AUTH reply. */
  scramSignature?: string;
}

/** Reply keys in the fixed order Courier writes them. */
const ORDER: [string, keyof AuthRecord][] = [
  ["USERNAME", "username"],
  ["UID", "uid"],
  ["GID", "gid"],
  ["HOME", "home"],
  ["ADDRESS", "address"],
  ["NAME", "name"],
  ["MAILDIR", "maildir"],
  ["QUOTA", "quota"],
  ["PASSWD", "passwd"],
  ["PASSWD2", "passwd2"],
  ["OPTIONS", "options"],
  ["SCRAM_SERVER_SIGNATURE", "scramSignature"],
];

export class UnsafeValueError extends Error {
  constructor(readonly key: string) {
    super(`refusing to send ${key}: value contains a newline or NUL`);
  }
}

/**
 * Serializes a record as `KEY=VALUE\n` lines plus the `.` terminator. A value with a
 * newline or NUL would let an account inject reply lines, so it is refused outright.
 */
export function formatRecord(rec: AuthRecord): string {
  let out = "";
  for (const [key, field] of ORDER) {
    let v = rec[field];
    if (v === undefined) {
      if (key === "HOME") v = "";
      else continue;
    }
    let s = String(v);
    if (key === "NAME") s = s.split(",")[0];
    if (key === "OPTIONS" && s === "") continue;
    if (/[\n\0]/.test(s)) throw new UnsafeValueError(key);
    out += `${key}=${s}\n`;
  }
  return `${out}.\n`;
}

/** Parses the lines of a successful reply the way Courier's client does (last key wins). */
export function parseRecord(lines: string[]): AuthRecord {
  const rec: AuthRecord = { gid: 0, home: "" };
  const byKey = new Map(ORDER);
  for (const line of lines) {
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const field = byKey.get(line.slice(0, eq));
    if (!field) continue;
    const value = line.slice(eq + 1);
    if (field === "uid" || field === "gid") {
      (rec as unknown as Record<string, number>)[field] = Number.parseInt(value, 10) || 0;
    } else {
      (rec as unknown as Record<string, string>)[field] = value;
    }
  }
  return rec;
}
