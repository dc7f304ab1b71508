// IMAP modified UTF-7 (RFC 3501 §5.1.3) <-> UTF-8, applied per `.`-separated component:
// folder names are UTF-8 on disk and modified UTF-7 on the wire unless UTF8=ACCEPT is enabled
// (maildir-formats.md §1.3).

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

function encodeRun(units: number[]): string {
  const bytes: number[] = [];
  for (const u of units) bytes.push(u >> 8, u & 0xff);
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 1 >= bytes.length ? 2 : i + 2 >= bytes.length ? 3 : 4;
    for (let k = 0; k < chars; k++) out += B64[(n >> (18 - 6 * k)) & 63];
  }
  return `&${out}-`;
}

export function utf8ToMutf7(name: string): string {
  let out = "";
  let run: number[] = [];
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c <= 0x7e) {
      if (run.length) out += encodeRun(run);
      run = [];
      out += ch === "&" ? "&-" : ch;
    } else {
      for (let i = 0; i < ch.length; i++) run.push(ch.charCodeAt(i));
    }
  }
  if (run.length) out += encodeRun(run);
  return out;
}

/** Decodes modified UTF-7; undefined when the input is not valid (Courier fails the command). */
export function mutf7ToUtf8(name: string): string | undefined {
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return undefined;
    if (name[i] !== "&") {
      out += name[i];
      continue;
    }
    const end = name.indexOf("-", i + 1);
    if (end < 0) return undefined;
    if (end === i + 1) {
      out += "&";
      i = end;
      continue;
    }
    let bits = 0;
    let acc = 0;
    const units: number[] = [];
    const bytes: number[] = [];
    for (let k = i + 1; k < end; k++) {
      const v = B64.indexOf(name[k]);
      if (v < 0) return undefined;
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        bytes.push((acc >> bits) & 0xff);
        acc &= (1 << bits) - 1;
      }
    }
    if (acc !== 0 || bytes.length % 2 || !bytes.length) return undefined;
    for (let k = 0; k < bytes.length; k += 2) units.push((bytes[k] << 8) | bytes[k + 1]);
    const decoded = String.fromCharCode(...units);
    // a run must not encode printable ASCII, and surrogates must pair up
    if ([...decoded].some((ch) => ch.codePointAt(0)! >= 0x20 && ch.codePointAt(0)! <= 0x7e)) return undefined;
    if (LONE_SURROGATE.test(decoded)) return undefined;
    out += decoded;
    i = end;
  }
  return out;
}

/** A wire mailbox name to the filesystem form; undefined when a component is not valid modified UTF-7. */
export function mailboxFromWire(name: string, utf8Enabled: boolean): string | undefined {
  if (utf8Enabled) return name;
  const parts = name.split(".").map(mutf7ToUtf8);
  return parts.some((p) => p === undefined) ? undefined : parts.join(".");
}

/** A filesystem-form mailbox name to the wire form. */
export function mailboxToWire(name: string, utf8Enabled: boolean): string {
  return utf8Enabled ? name : name.split(".").map(utf8ToMutf7).join(".");
}
