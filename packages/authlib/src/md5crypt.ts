// FreeBSD/glibc MD5-crypt (`$1$salt$hash`), done natively as Courier does so that it
// works even where the system's libcrypt lacks it.

import { createHash, randomBytes } from "node:crypto";

export const CRYPT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** userdbpw's salt alphabet (spec/userdb.md §9); any order works for verification. */
const SALT_ALPHABET = "./0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

const md5 = (...parts: Buffer[]) => {
  const h = createHash("md5");
  for (const p of parts) h.update(p);
  return h.digest();
};

export function randomSalt(length: number): string {
  return [...randomBytes(length)].map((b) => SALT_ALPHABET[b & 63]).join("");
}

/** `$1$` hash of `password`; `salt` (at most 8 characters used, up to any `$`) is random when omitted. */
export function md5Crypt(password: string | Buffer, salt: string = randomSalt(8)): string {
  const s = salt
    .replace(/^\$1\$/, "")
    .split("$")[0]
    .slice(0, 8);
  const pw = Buffer.from(password);
  const sb = Buffer.from(s);
  const magic = Buffer.from("$1$");
  let final = md5(pw, sb, pw);
  const ctx: Buffer[] = [pw, magic, sb];
  for (let pl = pw.length; pl > 0; pl -= 16) ctx.push(final.subarray(0, Math.min(pl, 16)));
  for (let i = pw.length; i; i >>= 1) ctx.push(i & 1 ? Buffer.alloc(1) : pw.subarray(0, 1));
  final = md5(...ctx);
  for (let i = 0; i < 1000; i++) {
    const parts: Buffer[] = [i & 1 ? pw : final];
    if (i % 3) parts.push(sb);
    if (i % 7) parts.push(pw);
    parts.push(i & 1 ? final : pw);
    final = md5(...parts);
  }
  let out = "";
  const to64 = (v: number, n: number) => {
    for (; n > 0; n--, v >>= 6) out += CRYPT_ALPHABET[v & 0x3f];
  };
  for (const [a, b, c] of [
    [0, 6, 12],
    [1, 7, 13],
    [2, 8, 14],
    [3, 9, 15],
    [4, 10, 5],
  ])
    to64((final[a] << 16) | (final[b] << 8) | final[c], 4);
  to64(final[11], 2);
  return `$1$${s}$${out}`;
}
