import { cramSecret, isCramAlg, makeSha512Crypt, md5Crypt } from "@courier-imap/authlib";
import { readNewPassword } from "./input.js";

const HELP = `NAME
    userdbpw - make a password hash for userdb

SYNOPSIS
    userdbpw [-md5 | -hmac-md5 | -hmac-sha1 | -hmac-sha256]

DESCRIPTION
    Reads a password and prints its hash on standard output, one line, ready
    for "userdb NAME set systempw" or an HMAC field for CRAM logins.

    On a terminal the password is asked for twice on standard error without
    echo; otherwise one line is read from standard input.

OPTIONS
    (none)          SHA-512 crypt ($6$) from the system's libcrypt. This is the
                    modern default; Courier's userdbpw made DES crypt here.
    -md5            MD5 crypt ($1$) with an 8-character random salt.
    -hmac-md5, -hmac-sha1, -hmac-sha256
                    the CRAM secret for the field hmac-md5pw, hmac-sha1pw or
                    hmac-sha256pw (hex HMAC key state).
    --help          this text.

EXAMPLE
    userdbpw | userdb john set systempw
    userdbpw -hmac-md5 | userdb john set hmac-md5pw

EXIT STATUS
    0 on success; 1 on an invalid argument or when no password was entered.
`;

export async function main(argv: string[]): Promise<number> {
  let md5 = false;
  let hmac: string | undefined;
  for (const a of argv) {
    if (a === "--help" || a === "-h") {
      process.stdout.write(HELP);
      return 0;
    }
    if (a === "-md5") md5 = true;
    else if (a.startsWith("-hmac-") && isCramAlg(a.slice(6))) hmac = a.slice(6);
    else {
      process.stderr.write("userdbpw: invalid argument.\n");
      return 1;
    }
  }
  const password = await readNewPassword();
  if (password === undefined) return 1;
  let out: string;
  if (hmac && isCramAlg(hmac)) out = cramSecret(hmac, password);
  else if (md5) out = md5Crypt(password);
  else out = await makeSha512Crypt(password);
  process.stdout.write(`${out}\n`);
  return 0;
}
