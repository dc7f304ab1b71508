// makeuserdb: compiles the text source into `<path>.dat` (everything but passwords, plus
// `_=<location>`) and `<path>shadow.dat` (password fields, mode 0600), per spec/userdb.md §3.
// Both are written to `.tmp` files and renamed into place, so readers never see a partial DB
// and a failed build leaves the old ones untouched.

import { lstat, rename, rm } from "node:fs/promises";
import { open } from "lmdb";
import { isPasswordField, readSource, UserdbError } from "./textformat.js";

export interface CompileResult {
  accounts: number;
  withPassword: number;
}

async function lstatOrUndefined(p: string) {
  try {
    return await lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

async function writeDb(tmp: string, final: string, records: Map<string, string>, mode: number) {
  await rm(tmp, { force: true });
  await rm(`${tmp}-lock`, { force: true });
  // The shadow DB must not be readable by others at any moment, not even as the .tmp file.
  const oldMask = process.umask(mode === 0o600 ? 0o077 : 0o022);
  try {
    const db = open<string, string>({ path: tmp, noSubdir: true, encoding: "string" });
    try {
      db.transactionSync(() => {
        for (const [k, v] of records) db.putSync(k, v);
      });
    } finally {
      await db.close();
    }
  } finally {
    process.umask(oldMask);
  }
  await rm(`${tmp}-lock`, { force: true });
  return async () => rename(tmp, final);
}

/** Builds the two databases for the userdb source at `path` (a file or a directory). */
export async function makeUserdb(path: string): Promise<CompileResult> {
  const src = path.length > 1 ? path.replace(/\/+$/, "") : path;
  const st = await lstatOrUndefined(src);
  if (!st) throw new UserdbError(`${src}: not found.`);
  const dat = `${src}.dat`;
  const shadowDat = `${src}shadow.dat`;
  for (const p of [src, dat, shadowDat]) {
    if ((await lstatOrUndefined(p))?.isSymbolicLink())
      throw new UserdbError(`ERROR: Wrong makeuserdb command. (${p} is a symbolic link)`);
  }
  if (st.mode & 0o077) throw new UserdbError(`${src}: MAY NOT HAVE GROUP OR WORLD PERMISSIONS!!`);

  const main = new Map<string, string>();
  const shadow = new Map<string, string>();
  const seen = new Map<string, string>();
  for (const file of await readSource(src)) {
    for (const rec of file.records) {
      const where = `${rec.file}:${rec.line}`;
      const first = seen.get(rec.name);
      if (first) throw new UserdbError(`${where}: duplicate account name "${rec.name}" (also at ${first})`);
      seen.set(rec.name, where);
      const fields = rec.fields === "" ? [] : rec.fields.split("|");
      const pw = fields.filter(isPasswordField);
      const rest = fields.filter((f) => !isPasswordField(f));
      main.set(rec.name, [...rest, `_=${file.location}`].join("|"));
      if (pw.length) shadow.set(rec.name, pw.join("|"));
    }
  }

  const commitMain = await writeDb(`${src}.tmp`, dat, main, 0o644);
  const commitShadow = await writeDb(`${src}shadow.tmp`, shadowDat, shadow, 0o600);
  await commitShadow();
  await commitMain();
  return { accounts: main.size, withPassword: shadow.size };
}
