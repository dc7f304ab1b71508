import { makeUserdb } from "../compile.js";
import { defaultUserdbPath } from "../paths.js";
import { UserdbError } from "../textformat.js";

const HELP = `NAME
    makeuserdb - compile the userdb text source into its databases

SYNOPSIS
    makeuserdb [-f path]

DESCRIPTION
    Reads the userdb source PATH (a file, or a directory whose files are read
    recursively, skipping names that start with ".") and writes PATH.dat
    (account fields) and PATHshadow.dat (fields whose name ends in "pw",
    mode 0600). Both are built as PATH.tmp / PATHshadow.tmp and renamed into
    place, so authdaemond picks up the new data without a restart.

    The source must have no group or world permissions, may not be a
    symbolic link, and every account name must be unique: on any error
    nothing is replaced.

OPTIONS
    -f path     the userdb source (default: $USERDB, else /etc/courier/userdb).
    --help      this text.

EXIT STATUS
    0 on success, 1 on any error.
`;

export async function main(argv: string[]): Promise<number> {
  let path = defaultUserdbPath();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      process.stdout.write(HELP);
      return 0;
    }
    if (a === "-f" && argv[i + 1] !== undefined) path = argv[++i];
    else if (a.startsWith("-f") && a.length > 2) path = a.slice(2);
    else {
      process.stderr.write(`makeuserdb: unknown argument ${a} (see makeuserdb --help)\n`);
      return 1;
    }
  }
  try {
    await makeUserdb(path);
    return 0;
  } catch (e) {
    if (e instanceof UserdbError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code && err.path) {
      process.stderr.write(`makeuserdb: ${err.path}: ${err.code}\n`);
      return 1;
    }
    throw e;
  }
}
