// authcryptpasswd(password, hint) (spec/userdb.md §8): the new hash for a password change in
// the SQL/LDAP modules, in the scheme of the account's old hash. Differences from Courier: a
// `$1$` hint gets an 8-character random salt (Courier: 5 characters from time and pid), and
// `$6$` / `$y$` accounts keep their scheme instead of being turned into {SSHA}.

import { createHash, randomBytes } from "node:crypto";
import { makeSha512Crypt, makeYescrypt } from "./libcrypt.js";
import { md5Crypt } from "./md5crypt.js";

const b64 = (alg: string, ...parts: Buffer[]) => {
  const h = createHash(alg);
  for (const p of parts) h.update(p);
  return h.digest("base64");
};

export async function cryptPasswordLike(password: string, hint: string | undefined): Promise<string> {
  const pw = Buffer.from(password);
  if (hint === undefined) return `{SHA512}${b64("sha512", pw)}`;
  const h = hint.toUpperCase();
  if (hint.startsWith("$1$")) return md5Crypt(password);
  if (hint.startsWith("$6$")) return makeSha512Crypt(password);
  if (hint.startsWith("$y$")) return makeYescrypt(password);
  if (h.startsWith("{MD5}")) return `{MD5}${b64("md5", pw)}`;
  if (h.startsWith("{MD5R")) return `{MD5RAW}${createHash("md5").update(pw).digest("hex")}`;
  if (h.startsWith("{SHA}")) return `{SHA}${b64("sha1", pw)}`;
  if (h.startsWith("{SHA256}")) return `{SHA256}${b64("sha256", pw)}`;
  if (h.startsWith("{SHA512}")) return `{SHA512}${b64("sha512", pw)}`;
  const salt = randomBytes(4);
  return `{SSHA}${Buffer.concat([createHash("sha1").update(pw).update(salt).digest(), salt]).toString("base64")}`;
}
