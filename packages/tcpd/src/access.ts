// The access file (spec/pop3d-and-tcpd.md §5.5): `key<TAB>value` entries keyed by address
// or address prefix. Lookup: the full address, then shorter prefixes, then `*`; the first
// hit wins, no hit allows. A value starting with `deny` rejects; otherwise an optional
// `allow,` is skipped and the rest is `VAR=value` assignments for the worker's environment.

import { loadAccessSource } from "./access-load.js";
import { ipv4Of, ipv6Groups } from "./address.js";

export interface AccessVerdict {
  deny: boolean;
  vars: Record<string, string>;
  /** The key that matched (for logs). */
  key: string;
}

/** Keys tried for a remote address, most specific first (without the final `*`). */
export function addressKeys(addr: string): string[] {
  const v4 = ipv4Of(addr);
  const parts = v4 ? v4.split(".") : ipv6Groups(addr);
  if (!parts) return [];
  const sep = v4 ? "." : ":";
  const lead = v4 ? "" : ":";
  const keys: string[] = [];
  for (let n = parts.length; n > 0; n--) keys.push(lead + parts.slice(0, n).join(sep));
  return keys;
}

/** Splits `a=1,B="x,y",C` at commas outside quotes; each part trimmed. */
export function parseAssignments(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  let cur = "";
  let quote = "";
  const parts: string[] = [];
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = "";
      else cur += ch;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ",") {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  for (const p of parts) {
    const t = p.trim();
    if (!t) continue;
    const eq = t.indexOf("=");
    if (eq < 0) vars[t] = "";
    else vars[t.slice(0, eq).trim()] = t.slice(eq + 1).trim();
  }
  return vars;
}

export function parseValue(key: string, value: string): AccessVerdict {
  const v = value.trim();
  if (/^deny/i.test(v)) return { deny: true, vars: {}, key };
  const rest = v.replace(/^allow\s*,?/i, "");
  return { deny: false, vars: parseAssignments(rest), key };
}

export class AccessDb {
  constructor(readonly entries: ReadonlyMap<string, string>) {}

  static load(file: string, warn: (line: string) => void): AccessDb {
    return new AccessDb(loadAccessSource(file, warn));
  }

  private first(keys: string[]): AccessVerdict | undefined {
    for (const k of keys) {
      const v = this.entries.get(k);
      if (v !== undefined) return parseValue(k, v);
    }
    return undefined;
  }

  /** The remote address' entry (IPv4-mapped addresses in IPv4 form); undefined = allowed. */
  remote(addr: string): AccessVerdict | undefined {
    return this.first([...addressKeys(addr), "*"]);
  }

  /** -accesslocal: `<ip>.<port>`, the address and its prefixes, `*.<port>`, `*`. */
  local(addr: string, port: number): AccessVerdict | undefined {
    const keys = addressKeys(addr);
    return this.first([`${keys[0] ?? addr}.${port}`, ...keys, `*.${port}`, "*"]);
  }
}
