// Verifying stored password hashes the way Courier's authcheckpassword does
// (spec/userdb.md §7), but always in constant time.

import { createHash } from "node:crypto";
import { systemCrypt } from "./libcrypt.js";
import { md5Crypt } from "./md5crypt.js";
import { safeEqual } from "./safeequal.js";

export { makeSha512Crypt, makeYescrypt, systemCrypt } from "./libcrypt.js";
export { md5Crypt, randomSalt } from "./md5crypt.js";

const digest = (alg: string, ...parts: Buffer[]) => {
  const h = createHash(alg);
  for (const p of parts) h.update(p);
  return h.digest();
};

const B64_PREFIXES: [string, string][] = [
  ["{MD5}", "md5"],
  ["{SHA}", "sha1"],
  ["{SHA256}", "sha256"],
  ["{SHA512}", "sha512"],
];

function startsWithCI(s: string, prefix: string): boolean {
  return s.slice(0, prefix.length).toUpperCase() === prefix;
}

/** True when `plain` matches `stored` ($1$, {MD5}, {MD5RAW}, {SHA*}, {SSHA}, {CRYPT}, or crypt(3)). */
export async function checkPassword(plain: string, stored: string): Promise<boolean> {
  if (!stored) return false;
  const pw = Buffer.from(plain);
  if (stored.startsWith("$1$")) {
    // libcrypt's C MD5-crypt takes ~0.3 ms against ~2 ms for ours; ours covers systems without it.
    const viaLibcrypt = await systemCrypt(plain, stored).catch(() => null);
    return safeEqual(viaLibcrypt ?? md5Crypt(pw, stored.slice(3)), stored);
  }
  if (startsWithCI(stored, "{MD5RAW}")) return safeEqual(digest("md5", pw).toString("hex"), stored.slice(8));
  for (const [prefix, alg] of B64_PREFIXES) {
    if (startsWithCI(stored, prefix))
      return safeEqual(digest(alg, pw).toString("base64"), stored.slice(prefix.length));
  }
  if (startsWithCI(stored, "{SSHA}")) {
    const encoded = stored.slice(6);
    const raw = Buffer.from(encoded, "base64");
    if (raw.length < 4) return false;
    const salt = raw.subarray(raw.length - 4);
    const again = Buffer.concat([digest("sha1", pw, salt), salt]).toString("base64");
    return safeEqual(again, encoded);
  }
  const setting = startsWithCI(stored, "{CRYPT}") ? stored.slice(7) : stored;
  if (!setting) return false;
  const hashed = await systemCrypt(plain, setting);
  return hashed !== null && safeEqual(hashed, setting);
}
