// RFC 2047 encoded-words, decoded for SEARCH. Adjacent encoded-words are joined (the white
// space between them is dropped) and their bytes decoded together, so a multi-byte
// character split across two words survives. Raw 8-bit text is taken as UTF-8 when valid.

import { charsetName, decodeCharset, decodeUnknown } from "./charset.js";
import { unfold } from "./header-field.js";

const WORD = /=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=/g;

function qDecode(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "_") out.push(32);
    else if (c === "=" && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(s.charCodeAt(i) & 0xff);
  }
  return Buffer.from(out);
}

function bDecode(s: string): Buffer {
  return Buffer.from(s.replace(/[^A-Za-z0-9+/]/g, ""), "base64");
}

/** Decodes a header value (binary string) to Unicode: unfolds and decodes encoded-words. */
export function decodeHeaderValue(raw: string): string {
  const value = unfold(raw);
  let out = "";
  let last = 0;
  let pendingCharset = "";
  let pending: Buffer[] = [];
  const flush = () => {
    if (pending.length) out += decodeCharset(Buffer.concat(pending), pendingCharset);
    pending = [];
  };
  WORD.lastIndex = 0;
  for (let m = WORD.exec(value); m; m = WORD.exec(value)) {
    const between = value.slice(last, m.index);
    const adjacent = pending.length > 0 && /^[ \t]*$/.test(between);
    const charset = m[1].replace(/\*.*$/, "");
    if (!charsetName(charset)) continue;
    if (!adjacent) {
      flush();
      out += decodeUnknown(Buffer.from(between, "latin1"));
    } else if (charset.toLowerCase() !== pendingCharset.toLowerCase()) flush();
    pendingCharset = charset;
    pending.push(m[2].toUpperCase() === "Q" ? qDecode(m[3]) : bDecode(m[3]));
    last = m.index + m[0].length;
  }
  flush();
  out += decodeUnknown(Buffer.from(value.slice(last), "latin1"));
  return out;
}
