import { makeUserdb } from "../compile.js";
import { defaultUserdbPath } from "../paths.js";
import { UserdbError } from "../textformat.js";

const HELP = `NAME
    makeuserdb - compile the userdb text source into its databases

SYNOPSIS
    makeuserdb [-f path]

DESCRIPTION
    Reads the userdb source PATH and writes PATH.dat (account fields) and
    PATHshadow.dat (every field whose name ends in "pw", mode 0600), which
    authdaemond's authuserdb module reads. PATH is a file, or a directory whose
    files are read recursively and treated as one file; names starting with
    "." (such as userdb's .lock.* and .tmp.* files) are skipped.

    Each line is "name<TAB>field=value|field=value...". Blank lines and lines
    starting with "#" are comments; a line without a TAB is reported as
    "file:line" and skipped. Every record gets a field "_" naming its file
    below the default userdb directory (e.g. "_=example-com/"), used by
    password changes to find the file to edit.

    Both databases are built as PATH.tmp / PATHshadow.tmp and renamed into
    place, so a running authdaemond switches to the new data at once and never
    sees a partial database; it is safe to run at any time. Concurrent runs
    wait for each other through an flock(2) on PATH.lock.

    Refused, replacing nothing: a source with group or world permissions, a
    PATH, PATH.dat or PATHshadow.dat that is a symbolic link, and an account
    name that occurs twice (the error names both files and lines).

OPTIONS
    -f path     the userdb source (default: $USERDB, else /etc/courier/userdb);
                a trailing "/" is removed.
    --help      this text.

FILES
    /etc/courier/userdb, userdb.dat, userdbshadow.dat, userdb.tmp,
    userdbshadow.tmp, userdb.lock

EXIT STATUS
    0 on success, 1 on any error.

SEE ALSO
    userdb --help, userdbpw --help, pw2userdb --help, vchkpw2userdb --help
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
    const r = await makeUserdb(path);
    for (const w of r.warnings) process.stderr.write(`makeuserdb: ${w}\n`);
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
