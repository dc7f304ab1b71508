import { cramSecret, isCramAlg, makeSha512Crypt, md5Crypt } from "@courier-imap/authlib";
import { readNewPassword } from "./input.js";
import { SCRAM_HELP, SCRAM_OPTION, scramSecret } from "./userdbpw-scram.js";

const HELP = `NAME
    userdbpw - make a password hash for userdb

SYNOPSIS
    userdbpw [-md5 | -hmac-md5 | -hmac-sha1 | -hmac-sha256] | userdb NAME set FIELD

DESCRIPTION
    Reads a password and prints its hash on standard output as one line, for
    a userdb password field such as systempw or imappw, or the HMAC secret
    for CRAM-MD5/SHA1/SHA256 logins. Used in a pipe with userdb, the password
    never appears on a command line where ps(1) could show it.

    When standard input is a terminal, "Password: " and then
    "Reenter password: " are asked on standard error with echo off, again
    after "Passwords don't match." until both entries agree. Otherwise one
    line is read from standard input (at most 8191 bytes are used). End of
    input before any character exits with status 1.

OPTIONS
    (none)          SHA-512 crypt ($6$, 16-character random salt) from the
                    system's libcrypt. Courier's userdbpw made a DES crypt()
                    hash here, which only ever used the first 8 characters of
                    the password; every crypt(3) hash, DES included, still
                    verifies.
    -md5            MD5 crypt ($1$) with an 8-character random salt.
    -hmac-md5, -hmac-sha1, -hmac-sha256
                    the CRAM secret for the field hmac-md5pw, hmac-sha1pw or
                    hmac-sha256pw: hex HMAC key state, as secret as the
                    cleartext password (keep it in a ...pw field, which
                    makeuserdb puts in the 0600 shadow database). An HMAC
                    option wins over -md5.
${SCRAM_HELP}    --help          this text.

EXAMPLES
    userdbpw | userdb john@example.com set systempw
    userdbpw -hmac-md5 | userdb example-com/john set hmac-md5pw
    makeuserdb

EXIT STATUS
    0 on success; 1 on an invalid argument ("userdbpw: invalid argument.") or
    when no password was entered.

SEE ALSO
    userdb --help, makeuserdb --help
`;

export async function main(argv: string[]): Promise<number> {
  let md5 = false;
  let scram = false;
  let hmac: string | undefined;
  for (const a of argv) {
    if (a === "--help" || a === "-h") {
      process.stdout.write(HELP);
      return 0;
    }
    if (a === SCRAM_OPTION) scram = true;
    else if (a === "-md5") md5 = true;
    else if (a.startsWith("-hmac-") && isCramAlg(a.slice(6))) hmac = a.slice(6);
    else {
      process.stderr.write("userdbpw: invalid argument.\n");
      return 1;
    }
  }
  const password = await readNewPassword();
  if (password === undefined) return 1;
  let out: string;
  if (scram) out = scramSecret(password);
  else if (hmac && isCramAlg(hmac)) out = cramSecret(hmac, password);
  else if (md5) out = md5Crypt(password);
  else out = await makeSha512Crypt(password);
  process.stdout.write(`${out}\n`);
  return 0;
}
