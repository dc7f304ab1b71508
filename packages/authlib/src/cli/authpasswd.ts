import { HASH_METHODS, makeHash } from "../makehash.js";
import { readNewPassword } from "./readpassword.js";

const HELP = `NAME
    authpasswd - make a password hash for userdb, LDAP or SQL

SYNOPSIS
    authpasswd [method]

DESCRIPTION
    Reads a password (twice, without echo, on a terminal; otherwise one line
    from standard input) and prints its hash.

    method      md5crypt ($1$, the default), md5 ({MD5}), md5raw ({MD5RAW}),
                sha or sha1 ({SHA}), ssha ({SSHA}), sha256 ({SHA256}),
                sha512 ({SHA512}), crypt (traditional DES), sha512crypt ($6$),
                yescrypt ($y$). Any other word gives {SSHA}, as Courier's.
                Unlike Courier's authpasswd, "sha1" gives {SHA} and "crypt"
                a real DES hash (Courier gives {SSHA} for both).

EXIT STATUS
    0 when a hash was printed; 1 at end of input or on an error.
`;

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === "--help" || argv[0] === "-h") {
    process.stdout.write(HELP);
    return 0;
  }
  if (argv.length > 1) {
    process.stderr.write(`Usage: authpasswd [${HASH_METHODS.join("|")}]\n`);
    return 1;
  }
  const pw = await readNewPassword();
  if (pw === undefined) return 1;
  process.stdout.write(`${await makeHash(pw, argv[0])}\n`);
  return 0;
}
