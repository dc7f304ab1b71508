// i;unicode-casemap (RFC 5051), the collation RFC 5256 requires for SORT and THREAD:
// simple titlecase mapping of each character, then NFKD, then code-point order.

const TITLECASE: Record<string, string> = {
  "\u01C4": "\u01C5",
  "\u01C5": "\u01C5",
  "\u01C6": "\u01C5",
  "\u01C7": "\u01C8",
  "\u01C8": "\u01C8",
  "\u01C9": "\u01C8",
  "\u01CA": "\u01CB",
  "\u01CB": "\u01CB",
  "\u01CC": "\u01CB",
  "\u01F1": "\u01F2",
  "\u01F2": "\u01F2",
  "\u01F3": "\u01F2",
};

/** The string i;unicode-casemap compares: titlecased character by character, then NFKD. */
export function casemap(s: string): string {
  // ASCII maps to its upper case, and NFKD leaves it alone.
  if (ASCII.test(s)) return s.toUpperCase();
  const out: string[] = [];
  for (const ch of s) {
    const t = TITLECASE[ch];
    if (t !== undefined) {
      out.push(t);
      continue;
    }
    // Simple (one-to-one) mapping only: ß, ŉ … whose full upper case is longer stay as they are.
    const up = ch.toUpperCase();
    out.push([...up].length === 1 ? up : ch);
  }
  // joined, not concatenated: compareCodePoints walks the result, and a string built by
  // += is a deep rope that each character access would traverse.
  return out.join("").normalize("NFKD");
}

const ASCII = /^[\x00-\x7f]*$/;

/** Compares two casemapped strings by Unicode code point (the order of their UTF-8 octets). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
