// One header field out of a raw (binary string) header line group.

/** Splits "Name: value" (value may hold folded lines); null when there is no colon. */
export function splitField(field: string): { name: string; value: string } | null {
  const colon = field.indexOf(":");
  if (colon <= 0) return null;
  const name = field.slice(0, colon).replace(/[ \t]+$/, "");
  if (!name || /[\x00-\x20\x7f]/.test(name)) return null;
  // Dovecot drops the white space (folding included) before the value, keeps it after.
  const value = field.slice(colon + 1).replace(/^[ \t\r\n]+/, "");
  return { name, value };
}

/** Splits a wire-form header block into fields, each with its lines and CRLFs intact. */
export function headerFields(header: string): string[] {
  const out: string[] = [];
  let cur = "";
  let i = 0;
  while (i < header.length) {
    let j = header.indexOf("\n", i);
    j = j < 0 ? header.length : j + 1;
    const line = header.slice(i, j);
    i = j;
    if (line === "\r\n" || line === "\n") break;
    if ((line[0] === " " || line[0] === "\t") && cur) cur += line;
    else {
      if (cur) out.push(cur);
      cur = line;
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** The value of a field with line breaks removed, as RFC 5322 unfolding says. */
export function unfold(value: string): string {
  return value.replace(/\r?\n(?=[ \t])/g, "").replace(/[\r\n]+$/, "");
}
