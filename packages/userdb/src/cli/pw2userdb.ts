import { existsSync, readFileSync } from "node:fs";
import { applyShadow, parsePasswd, systemAccount, toUserdbLines } from "../pw2userdb.js";
import { OptionError, parseLongOptions } from "./longopts.js";

const HELP = `NAME
    pw2userdb - convert /etc/passwd and /etc/shadow to userdb format

SYNOPSIS
    pw2userdb [--passwd=FILE] [--shadow=FILE] [--noshadow] [--nouid]
              [--domain=DOMAIN] [--vpopuid]

DESCRIPTION
    Reads the system password file and prints every account on standard
    output in the userdb text format, ready to be saved as
    /etc/courier/userdb (or a file in that directory) and compiled with
    makeuserdb, so that lookups no longer scan the passwd file:

        name<TAB>uid=U|gid=G|home=H|shell=S|systempw=HASH|gecos=NAME
        U=<TAB>name

    shell, systempw and gecos are left out when empty; a "|" in the gecos
    field becomes ".". A passwd password of "x" is taken from the shadow
    file, whose password (locks such as "*" or "!" included) always wins.
    The second line maps the uid back to the account; it is written once per
    uid, for the first account that has it, so that accounts sharing a uid do
    not make makeuserdb fail on a duplicate key (a note goes to stderr).
    Accounts are printed in file order; lines starting with "#" are skipped.

OPTIONS
    --passwd=FILE    read FILE instead of /etc/passwd.
    --shadow=FILE    read FILE instead of /etc/shadow (skipped if absent).
    --noshadow       do not read a shadow file.
    --nouid          do not print the "U=<TAB>name" lines.
    --domain=DOMAIN  append "@DOMAIN" to every account name.
    --vpopuid        give every account the uid and gid of the system account
                     "vpopmail" (used by vchkpw2userdb).
    --help           this text.

EXAMPLE
    pw2userdb > /etc/courier/userdb/system && chmod 600 /etc/courier/userdb/system
    makeuserdb

EXIT STATUS
    0 on success, 1 on an invalid option or an unreadable file.

SEE ALSO
    makeuserdb --help, vchkpw2userdb --help
`;

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === "--help" || argv[0] === "-h") {
    process.stdout.write(HELP);
    return 0;
  }
  let opts: Map<string, string | true>;
  try {
    opts = parseLongOptions(argv, ["passwd", "shadow", "domain"], ["noshadow", "nouid", "vpopuid"]);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    process.stderr.write(`pw2userdb: ${e.message}\nInvalid options.\n`);
    return 1;
  }
  const str = (k: string) => (typeof opts.get(k) === "string" ? (opts.get(k) as string) : undefined);
  const passwdFile = str("passwd") || "/etc/passwd";
  const shadowFile = str("shadow") || "/etc/shadow";
  let fixedIds: { uid: string; gid: string } | undefined;
  if (opts.has("vpopuid")) {
    fixedIds = systemAccount("vpopmail");
    if (!fixedIds) {
      process.stderr.write("pw2userdb: --vpopuid: there is no system account vpopmail\n");
      return 1;
    }
  }
  try {
    const entries = parsePasswd(readFileSync(passwdFile, "utf8"));
    if (!opts.has("noshadow") && existsSync(shadowFile))
      applyShadow(entries, readFileSync(shadowFile, "utf8"));
    const { lines, warnings } = toUserdbLines(entries, {
      domain: str("domain") || undefined,
      fixedIds,
      nouid: opts.has("nouid"),
    });
    for (const w of warnings) process.stderr.write(`pw2userdb: ${w}\n`);
    process.stdout.write(lines.map((l) => `${l}\n`).join(""));
    return 0;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (!err.code || !err.path) throw e;
    process.stderr.write(`pw2userdb: ${err.path}: ${err.code}\n`);
    return 1;
  }
}
