// A shortcut for SEARCH BODY: when every text part of a message is stored as it is decoded
// (no base64 or quoted-printable, a charset that reads ASCII bytes as ASCII) and the file
// holds no 8-bit byte, its decoded text is its text parts' bytes, and a needle of ASCII
// without white space can be in it only if it is in the file, case aside. So a message
// whose file lacks the needle needs no parse. Text parts are separated by line breaks in
// the searched text, which the needle cannot span.

import { charsetOf, isText } from "./body-text.js";
import { charsetName } from "./charset.js";
import { foldCase } from "./search-text.js";
import type { MimePart } from "./types.js";

const ASCII_SAFE = /^(?:utf-8|windows-125\d|iso-8859-\d{1,2})$/;
const NON_ASCII = /[^\x00-\x7f]/;

/** True when every text part below `part` is stored as it is decoded (see above). */
export function plainTextParts(part: MimePart): boolean {
  if (part.parts) return part.parts.every(plainTextParts);
  if (part.message) return plainTextParts(part.message);
  if (!isText(part)) return true;
  const enc = part.encoding?.toLowerCase();
  if (enc === "base64" || enc === "quoted-printable") return false;
  return ASCII_SAFE.test(charsetName(charsetOf(part)) ?? "utf-8");
}

/**
 * For a message whose text parts are plainTextParts(): false when SEARCH BODY `needle`
 * certainly does not match its stored bytes `raw`; true when it may (search it properly).
 */
export function plainTextMayContain(raw: Buffer, needle: string): boolean {
  const re = needleRegExp(needle);
  if (!re) return true;
  const text = raw.toString("latin1");
  return NON_ASCII.test(text) || re.test(text);
}

let lastNeedle = "";
let lastRe: RegExp | null = null;

/** The needle as a case-insensitive RegExp when it is ASCII without white space, else null. */
function needleRegExp(needle: string): RegExp | null {
  if (needle !== lastNeedle) {
    const n = foldCase(needle);
    lastNeedle = needle;
    lastRe =
      !n || NON_ASCII.test(n) || /\s/.test(n)
        ? null
        : new RegExp(n.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&"), "i");
  }
  return lastRe;
}
