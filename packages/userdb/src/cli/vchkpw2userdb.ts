import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { parsePasswd, systemAccount, toUserdbLines } from "../pw2userdb.js";
import { OptionError, parseLongOptions } from "./longopts.js";

const HELP = `NAME
    vchkpw2userdb - convert a vpopmail tree to userdb format

SYNOPSIS
    vchkpw2userdb [--vpopmailhome=DIR] [--todir=DIR]

DESCRIPTION
    Converts vpopmail's password files, which have the layout of /etc/passwd,
    to the userdb text format, as "pw2userdb --noshadow --nouid --vpopuid"
    would:

        DIR/users/vpasswd                 accounts "name"
        DIR/domains/DOMAIN/vpasswd        accounts "name@DOMAIN"
        DIR/domains/X/DOMAIN/vpasswd      the same, in vpopmail's hashed
                                          domain directories

    Every account gets the uid and gid of the system account "vpopmail" (or,
    without one, of the owner of DIR). The result goes to standard output,
    or with --todir to one file per vpasswd in that directory (created mode
    0700): "users" and one named after each domain, each mode 0600.

    No reverse "uid=<TAB>name" lines are written. A domains/default link
    yields a second copy of the default domain's accounts, on which
    makeuserdb fails as a duplicate: after a first --todir run, replace the
    redundant file with a symbolic link to /dev/null; later runs write
    through the link, so the duplicates stay discarded.

OPTIONS
    --vpopmailhome=DIR  the vpopmail tree (default: home directory of the
                        system account "vpopmail").
    --todir=DIR         write files into DIR instead of standard output.
    --help              this text.

EXAMPLE
    mkdir -m 700 /etc/courier/userdb
    vchkpw2userdb --todir=/etc/courier/userdb/vpopmail
    makeuserdb

EXIT STATUS
    0 on success, 1 on an error.

SEE ALSO
    pw2userdb --help, makeuserdb --help
`;

/** [output file name, vpasswd path, domain] for every vpasswd in the tree. */
function sources(home: string): [string, string, string | undefined][] {
  const out: [string, string, string | undefined][] = [];
  if (existsSync(`${home}/users/vpasswd`)) out.push(["users", `${home}/users/vpasswd`, undefined]);
  const scan = (dir: string, depth: number) => {
    if (!existsSync(dir)) return;
    for (const d of readdirSync(dir).sort()) {
      if (d.startsWith(".") || !statSync(`${dir}/${d}`).isDirectory()) continue;
      if (existsSync(`${dir}/${d}/vpasswd`)) out.push([d, `${dir}/${d}/vpasswd`, d]);
      else if (depth === 0 && d.length === 1) scan(`${dir}/${d}`, 1);
    }
  };
  scan(`${home}/domains`, 0);
  return out;
}

function run(argv: string[]): number {
  const opts = parseLongOptions(argv, ["vpopmailhome", "todir"], []);
  const vpopmail = systemAccount("vpopmail");
  const home = (opts.get("vpopmailhome") as string | undefined) || vpopmail?.home;
  if (!home) throw new OptionError("no system account vpopmail: name the tree with --vpopmailhome=DIR");
  if (!existsSync(home)) throw new OptionError(`${home}: not found.`);
  let fixedIds = vpopmail && { uid: vpopmail.uid, gid: vpopmail.gid };
  if (!fixedIds) {
    const st = statSync(home);
    fixedIds = { uid: String(st.uid), gid: String(st.gid) };
  }
  const todir = opts.get("todir") as string | undefined;
  if (todir) mkdirSync(todir, { recursive: true, mode: 0o700 });
  for (const [outName, file, domain] of sources(home)) {
    const { lines } = toUserdbLines(parsePasswd(readFileSync(file, "utf8")), {
      domain,
      fixedIds,
      nouid: true,
    });
    const text = lines.map((l) => `${l}\n`).join("");
    if (todir) writeFileSync(`${todir}/${outName}`, text, { mode: 0o600 });
    else process.stdout.write(text);
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === "--help" || argv[0] === "-h") {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    return run(argv);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (e instanceof OptionError) process.stderr.write(`vchkpw2userdb: ${err.message}\n`);
    else if (err.code && err.path) process.stderr.write(`vchkpw2userdb: ${err.path}: ${err.code}\n`);
    else throw e;
    return 1;
  }
}
