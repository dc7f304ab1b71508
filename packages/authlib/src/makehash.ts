// Making a password hash for a scheme named as authpasswd's argument (spec/authlib-tools.md §5).
// Deliberate differences from Courier, which turns "sha1" and "crypt" into {SSHA}: here
// "sha1" gives {SHA} and "crypt" a real DES crypt, as the documentation always said.

import { createHash, randomBytes } from "node:crypto";
import { makeSha512Crypt, makeYescrypt, systemCrypt } from "./libcrypt.js";
import { CRYPT_ALPHABET, md5Crypt } from "./md5crypt.js";

const b64 = (alg: string, ...parts: Buffer[]) => {
  const h = createHash(alg);
  for (const p of parts) h.update(p);
  return h.digest();
};

export const HASH_METHODS = [
  "md5crypt",
  "md5",
  "md5raw",
  "sha",
  "sha1",
  "ssha",
  "sha256",
  "sha512",
  "crypt",
  "sha512crypt",
  "yescrypt",
] as const;

/** Hash of `password` for `method` (case-insensitive); undefined method means MD5-crypt ($1$). */
export async function makeHash(password: string, method?: string): Promise<string> {
  const pw = Buffer.from(password);
  switch ((method ?? "md5crypt").toLowerCase()) {
    case "md5crypt":
      return md5Crypt(password);
    case "md5":
      return `{MD5}${b64("md5", pw).toString("base64")}`;
    case "md5raw":
      return `{MD5RAW}${b64("md5", pw).toString("hex")}`;
    case "sha":
    case "sha1":
      return `{SHA}${b64("sha1", pw).toString("base64")}`;
    case "sha256":
      return `{SHA256}${b64("sha256", pw).toString("base64")}`;
    case "sha512":
      return `{SHA512}${b64("sha512", pw).toString("base64")}`;
    case "crypt": {
      const salt = [...randomBytes(2)].map((b) => CRYPT_ALPHABET[b & 63]).join("");
      const h = await systemCrypt(password, salt);
      if (!h) throw new Error("this system's libcrypt cannot make DES crypt hashes");
      return h;
    }
    case "sha512crypt":
      return makeSha512Crypt(password);
    case "yescrypt":
      return makeYescrypt(password);
    default: {
      const salt = randomBytes(4);
      return `{SSHA}${Buffer.concat([b64("sha1", pw, salt), salt]).toString("base64")}`;
    }
  }
}
