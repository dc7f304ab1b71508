import { stat } from "node:fs/promises";
import {
  type EditOp,
  editRecord,
  followLinks,
  listNames,
  refuseLinkedBase,
  resolveTarget,
  showRecord,
  validateArg,
  withFileLock,
} from "../edit.js";
import { defaultUserdbPath } from "../paths.js";
import { UserdbError } from "../textformat.js";
import { readHidden, readLine } from "./input.js";

const HELP = `NAME
    userdb - edit the userdb text source

SYNOPSIS
    userdb [path/]name set field[=value] ...
    userdb [path/]name unset field ...
    userdb [path/]name del
    userdb -f file name set|unset|del ...
    userdb -show [path | -f file] [name]
    userdb -show path/name

DESCRIPTION
    Edits account NAME in the userdb text source: $USERDB, else
    /etc/courier/userdb, which is a file or a directory of files. When it is a
    directory, "dir/sub/name" means the record NAME in the file dir/sub below
    it (split at the last "/", so a name cannot contain "/"); "-f file" names
    any file directly. Symbolic links to the file are followed and the real
    file is edited; the userdb path itself may not be a symbolic link.

    set     adds the record, appended to the file (created mode 0600), or
            replaces the named fields of an existing record, keeping its other
            fields. A field given without "=value" is read from standard input,
            one line per field (prompted for on a terminal, without echo for
            fields ending in "pw"), so "userdbpw | userdb john set systempw"
            stores a new password without it appearing in ps(1).
    unset   removes the named fields from the record.
    del     removes the whole record.
    -show   with a file and no NAME lists the account names in it, one per
            line; with NAME prints the record's fields, one per line. Nothing
            is printed for an unknown NAME.

    All other lines, comments included, are kept as they are. The file is
    written as .tmp.FILE and renamed over FILE, keeping FILE's permissions,
    while holding an flock(2) on .lock.FILE beside it (the same lock Courier's
    userdb takes). Run makeuserdb afterwards for the change to take effect.

    Fields and values may not contain "|" or a newline ("Invalid field or
    value."). Use lowercase account names: lookups are exact.

EXAMPLES
    userdb john@example.com set uid=8 gid=8 home=/home/vmail/john
    userdbpw | userdb example-com/john set systempw
    userdb -show example-com john
    makeuserdb

EXIT STATUS
    0 on success (also when unset/del find no record), 1 on any error.

SEE ALSO
    makeuserdb --help, userdbpw --help
`;

const USAGE = `Usage: userdb [path/.../ | -f file ]name set field=value field=value...
       userdb [path/.../ | -f file ]name unset field field...
       userdb [path/.../ | -f file ]name del
       userdb -show [path/... | -f file ] [name]
`;

class UsageError extends Error {}

async function readValue(name: string, field: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) return readLine();
  const prompt = `${name}.${field}: `;
  if (field.endsWith("pw")) return readHidden(prompt);
  process.stderr.write(prompt);
  return readLine();
}

const isDir = async (p: string) => (await stat(p).catch(() => undefined))?.isDirectory() === true;

/** Which file `-show` reads and which record, if any (see the synopsis). */
async function showTarget(base: string, args: string[]): Promise<{ file: string; name?: string }> {
  if (args[0] === "-f") {
    if (!args[1]) throw new UsageError();
    return { file: await followLinks(args[1]), name: args[2] };
  }
  await refuseLinkedBase(base);
  if (!(await isDir(base))) return { file: await followLinks(base), name: args[0] };
  if (args.length === 0) throw new UserdbError(`${base} is a directory: name one of its files`);
  if (args.length === 1 && !(await isDir(`${base}/${args[0]}`)) && args[0].includes("/")) {
    const real = await followLinks(`${base}/${args[0]}`);
    if (!(await stat(real).catch(() => undefined))?.isFile()) {
      // Courier's own form: "dir/name" is the record name in the file dir.
      const slash = args[0].lastIndexOf("/");
      if (slash < args[0].length - 1) return resolveTarget(base, args[0]);
    }
  }
  return { file: await followLinks(`${base}/${args[0].replace(/\/+$/, "")}`), name: args[1] };
}

async function show(base: string, args: string[]): Promise<number> {
  const { file, name } = await showTarget(base, args);
  await withFileLock(file, async () => {
    if (name === undefined) {
      for (const n of await listNames(file)) process.stdout.write(`${n}\n`);
      return;
    }
    const fields = await showRecord(file, name);
    if (fields) process.stdout.write(`${fields.join("\n")}\n`);
  });
  return 0;
}

async function run(argv: string[]): Promise<number> {
  const base = defaultUserdbPath();
  if (argv[0] === "-show") return show(base, argv.slice(1));
  let args = argv;
  let file: string | undefined;
  if (args[0] === "-f") {
    file = args[1];
    args = args.slice(2);
    if (!file) throw new UsageError();
  }
  const [spec, cmd, ...rest] = args;
  if (!spec || !["set", "unset", "del"].includes(cmd)) throw new UsageError();
  if (cmd === "del" && rest.length) throw new UsageError();
  for (const a of rest) validateArg(a);
  const target = await resolveTarget(base, spec, file);
  if (cmd === "del") return lockedEdit(target, { kind: "del" });
  if (cmd === "unset") return lockedEdit(target, { kind: "unset", keys: rest });
  const fields: [string, string][] = [];
  for (const a of rest) {
    const eq = a.indexOf("=");
    if (eq === 0) throw new UserdbError("Invalid field or value.");
    if (eq > 0) {
      fields.push([a.slice(0, eq), a.slice(eq + 1)]);
      continue;
    }
    const value = await readValue(target.name, a);
    if (value === undefined) return 1;
    validateArg(value, "value");
    fields.push([a, value]);
  }
  if (!fields.length) return 0;
  return lockedEdit(target, { kind: "set", fields });
}

async function lockedEdit(target: { file: string; name: string }, op: EditOp): Promise<number> {
  const oldMask = process.umask(0o066);
  try {
    await withFileLock(target.file, () => editRecord(target.file, target.name, op));
  } finally {
    process.umask(oldMask);
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === "--help" || argv[0] === "-h") {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    return await run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(USAGE);
      return 1;
    }
    if (e instanceof UserdbError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code && err.path) {
      process.stderr.write(`userdb: ${err.path}: ${err.code}\n`);
      return 1;
    }
    throw e;
  }
}
