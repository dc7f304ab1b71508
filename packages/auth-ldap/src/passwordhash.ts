// The new hash for PASSWD: authlib's cryptPasswordLike (Courier's authcryptpasswd, userdb.md §8,
// keeping $6$ and $y$), plus the LDAP convention of a {CRYPT} prefix on crypt(3) values:
// {CRYPT}$6$… and {CRYPT}$y$… stay so (OpenLDAP verifies them itself for binds).

import { cryptPasswordLike } from "@courier-imap/authlib";

export async function newPasswordHash(password: string, oldHash: string | undefined): Promise<string> {
  if (oldHash && oldHash.slice(0, 7).toUpperCase() === "{CRYPT}") {
    const inner = oldHash.slice(7);
    if (inner.startsWith("$6$") || inner.startsWith("$y$"))
      return `{CRYPT}${await cryptPasswordLike(password, inner)}`;
  }
  return cryptPasswordLike(password, oldHash);
}
