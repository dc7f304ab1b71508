// IMAP string output with Dovecot's choices between quoted strings and literals. All
// strings here are binary (one char per byte); the output is too.

/** nstring: NIL, a quoted string, or a literal for CR, LF, 8-bit or more than 4 escapes. */
export function nstring(s: string | null | undefined): string {
  if (s === null || s === undefined) return "NIL";
  let escapes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) {
      if (escapes++ < 4) continue;
      return literal(s);
    }
    if (c === 13 || c === 10 || c >= 0x80 || c === 0) return literal(s);
  }
  return `"${s.replace(/["\\]/g, "\\$&")}"`;
}

/** nstring after dropping CR and LF (folded header values in ENVELOPE). */
export function nstringNoLf(s: string | null | undefined): string {
  return nstring(s === null || s === undefined ? s : s.replace(/[\r\n]/g, ""));
}

function literal(s: string): string {
  return `{${s.length}}\r\n${s}`;
}

/**
 * Dovecot's string "for humans" (subjects and display names): white space runs, CR and LF
 * become one space, leading and trailing space go, and anything that needed changing or
 * escaping is sent as a literal.
 */
export function humanString(s: string | null | undefined): string {
  if (s === null || s === undefined) return "NIL";
  let modify = false;
  let lastLwsp = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) {
      lastLwsp = false;
      modify = true;
    } else if (c === 13 || c === 10 || c === 9 || c === 32) {
      if (c !== 32 || lastLwsp) modify = true;
      lastLwsp = true;
    } else {
      if (c === 0x22 || c === 0x5c || c >= 0x80) modify = true;
      lastLwsp = false;
    }
  }
  if (!modify) return `"${s}"`;
  let out = "";
  lastLwsp = true;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const c = s.charCodeAt(i);
    if (c === 0) {
      out += "\x80";
      lastLwsp = false;
    } else if (c === 13 || c === 10 || c === 9 || c === 32) {
      if (!lastLwsp) out += " ";
      lastLwsp = true;
    } else {
      out += ch;
      lastLwsp = false;
    }
  }
  if (out.endsWith(" ")) out = out.slice(0, -1);
  if (out === "") return '""';
  return literal(out);
}
