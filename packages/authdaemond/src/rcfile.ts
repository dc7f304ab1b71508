// authdaemonrc as the daemon itself parses it (spec/authdaemon-protocol.md §10.2): `#` to end
// of line is a comment (even inside quotes), `NAME=value` or `NAME="value"`, no trimming of
// the name, later assignments win, and a non-blank line without `=` is an error.

export class ConfigError extends Error {}

export function parseAuthdaemonrc(text: string, file: string): Map<string, string> {
  const out = new Map<string, string>();
  text.split("\n").forEach((raw, i) => {
    const hash = raw.indexOf("#");
    const line = hash < 0 ? raw : raw.slice(0, hash);
    if (line.trim() === "") return;
    const eq = line.indexOf("=");
    if (eq < 0) throw new ConfigError(`Bad line in ${file}, line ${i + 1}: ${raw.trim().slice(0, 80)}`);
    let value = line.slice(eq + 1).replace(/^\s+/, "");
    if (value.startsWith('"')) {
      const end = value.indexOf('"', 1);
      value = end < 0 ? value.slice(1) : value.slice(1, end);
    }
    out.set(line.slice(0, eq), value);
  });
  return out;
}
