import { stat } from "node:fs/promises";
import { join } from "node:path";
import { editRecord, listNames, resolveTarget, showRecord, validateArg } from "../edit.js";
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

DESCRIPTION
    Edits account NAME in the userdb source ($USERDB, else
    /etc/courier/userdb). When that is a directory, "dir/sub/name" means
    the record NAME in the file dir/sub below it. "-f file" names the file.

    set     adds or replaces fields. A field given without "=value" is read
            from standard input (prompted for on a terminal), so
            "userdbpw | userdb john set systempw" stores a new password.
    unset   removes the named fields.
    del     removes the whole account.
    -show   without NAME lists the account names in the file; with NAME
            prints its fields, one per line.

    The file is rewritten through a temporary file and renamed, keeping its
    permissions (a new file gets mode 0600). Run makeuserdb afterwards for
    the change to take effect.

    Fields and values may not contain "|" or a newline.

EXIT STATUS
    0 on success, 1 on any error.
`;

async function readValue(name: string, field: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) return readLine();
  const prompt = `${name}.${field}: `;
  if (field.endsWith("pw")) return readHidden(prompt);
  process.stderr.write(prompt);
  return readLine();
}

async function show(base: string, args: string[]): Promise<number> {
  let file = base;
  if (args[0] === "-f") {
    if (args[1] === undefined) throw new UserdbError("userdb: -f needs a file name");
    file = args[1];
    args = args.slice(2);
  } else if (args.length && (await stat(base).catch(() => undefined))?.isDirectory()) {
    file = join(base, args[0]);
    args = args.slice(1);
  }
  if (args.length === 0) {
    for (const n of await listNames(file)) process.stdout.write(`${n}\n`);
    return 0;
  }
  const fields = await showRecord(file, args[0]);
  if (!fields) throw new UserdbError(`${args[0]}: not found in ${file}`);
  for (const f of fields) process.stdout.write(`${f}\n`);
  return 0;
}

async function run(argv: string[]): Promise<number> {
  const base = defaultUserdbPath();
  if (argv[0] === "-show") return show(base, argv.slice(1));
  let file: string | undefined;
  let args = argv;
  if (args[0] === "-f") {
    file = args[1];
    args = args.slice(2);
  }
  const [spec, cmd, ...rest] = args;
  if (spec === undefined || cmd === undefined || !["set", "unset", "del"].includes(cmd)) {
    process.stderr.write("Usage: userdb [path/]name set|unset|del ... (see userdb --help)\n");
    return 1;
  }
  for (const a of args) validateArg(a);
  const target = await resolveTarget(base, spec, file);
  if (cmd === "del") {
    await editRecord(target.file, target.name, { kind: "del" });
    return 0;
  }
  if (cmd === "unset") {
    await editRecord(target.file, target.name, { kind: "unset", keys: rest });
    return 0;
  }
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
    validateArg(value);
    fields.push([a, value]);
  }
  if (fields.length) await editRecord(target.file, target.name, { kind: "set", fields });
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.length === 0) {
    process.stdout.write(HELP);
    return argv.length === 0 ? 1 : 0;
  }
  try {
    return await run(argv);
  } catch (e) {
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
