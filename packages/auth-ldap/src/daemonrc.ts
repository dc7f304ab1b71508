// Values from authdaemonrc that Courier's startup script would export to authdaemond's
// environment (`set -a; . authdaemonrc`): AUTHLDAPRC and the LDAPTLS_* / LDAP<option> settings
// for the LDAP client. Parsed with the daemon's own rules (spec/authdaemon-protocol.md §10.2).

import { readFileSync } from "node:fs";

export function readDaemonRc(file: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!file) return out;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return out;
  }
  for (const raw of text.split("\n")) {
    const hash = raw.indexOf("#");
    const line = hash < 0 ? raw : raw.slice(0, hash);
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    let value = line.slice(eq + 1).replace(/^\s+/, "");
    if (value.startsWith('"')) {
      const end = value.indexOf('"', 1);
      value = end < 0 ? value.slice(1) : value.slice(1, end);
    }
    out.set(line.slice(0, eq), value.trimEnd());
  }
  return out;
}
