// Reading attribute values from an ldapts search entry. Attribute names are matched without
// regard to case, as LDAP does; values may arrive as a string, a Buffer or a list of them.

import type { Entry } from "ldapts";

export type Warn = (msg: string) => void;

export function values(entry: Entry, attr: string | undefined): string[] {
  if (!attr) return [];
  const want = attr.toLowerCase();
  for (const [key, v] of Object.entries(entry)) {
    if (key === "dn" || key.toLowerCase() !== want) continue;
    const list = Array.isArray(v) ? v : [v];
    return list.map((x) => (Buffer.isBuffer(x) ? x.toString("utf8") : String(x)));
  }
  return [];
}

/** The first value (Courier warns about and ignores the others), or undefined. */
export function first(entry: Entry, attr: string | undefined, warn?: Warn): string | undefined {
  const v = values(entry, attr);
  if (v.length > 1 && warn) warn(`authldaplib: duplicate attribute ${attr} for ${entry.dn}`);
  return v[0];
}

/** C atoi: the leading integer, 0 when there is none. */
export function atoi(s: string | undefined): number {
  const n = Number.parseInt((s ?? "").trim(), 10);
  return Number.isFinite(n) ? n : 0;
}
