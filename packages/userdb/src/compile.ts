// makeuserdb: compiles the text source into `<path>.dat` (everything but passwords, plus
// `_=<location>`) and `<path>shadow.dat` (password fields, mode 0600), per spec/userdb.md §3.
// Both are written to `.tmp` files and renamed into place, so readers never see a partial DB
// and a failed build leaves the old ones untouched.

import { rmSync } from "node:fs";
import { open as fsOpen, lstat, rename, rm, stat } from "node:fs/promises";
import { type Database, open } from "lmdb";
import { withLockFile } from "./flock.js";
import { defaultUserdbPath } from "./paths.js";
import { isPasswordField, readSourceFile, sourceFiles, UserdbError } from "./textformat.js";

export interface CompileResult {
  accounts: number;
  withPassword: number;
  /** Skipped lines, `file:line: …`. */
  warnings: string[];
}

export interface CompileOptions {
  /** The userdb path the `_` locations are relative to (Courier: its compile-time path). */
  defaultPath?: string;
}

async function statOrUndefined(p: string, follow = true) {
  try {
    return await (follow ? stat(p) : lstat(p));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

const lstatOrUndefined = (p: string) => statOrUndefined(p, false);

/** A database being built as `tmp`, renamed over `final` on commit. */
class DbBuilder {
  private db: Database<string, string>;
  private last: Promise<boolean> | undefined;
  private queued = 0;

  constructor(
    private readonly tmp: string,
    private readonly final: string,
    secret: boolean,
  ) {
    rmSync(tmp, { force: true });
    rmSync(`${tmp}-lock`, { force: true });
    // The shadow DB must not be readable by others at any moment, not even as the .tmp file.
    const oldMask = process.umask(secret ? 0o077 : 0o022);
    try {
      // No fsync per batch; finish() syncs the whole file once before it can be renamed.
      this.db = open<string, string>({ path: tmp, noSubdir: true, encoding: "string", noSync: true });
    } finally {
      process.umask(oldMask);
    }
  }

  /** Queued; lmdb batches queued puts into few transactions, faster than a put per call. */
  put(key: string, value: string): void {
    this.last = this.db.put(key, value);
    this.queued++;
  }

  /** Waits for the queued puts once there are many, so the queue does not hold the whole userdb. */
  async drain(): Promise<void> {
    if (this.queued < 10000) return;
    this.queued = 0;
    await this.last;
  }

  /** Writes everything out; `rename()` then puts the file in place. */
  async finish(): Promise<void> {
    await this.last;
    await this.db.close();
    await rm(`${this.tmp}-lock`, { force: true });
    const fh = await fsOpen(this.tmp, "r+");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  rename(): Promise<void> {
    return rename(this.tmp, this.final);
  }

  async abort(): Promise<void> {
    await this.last?.catch(() => undefined);
    await this.db.close();
    await rm(this.tmp, { force: true });
    await rm(`${this.tmp}-lock`, { force: true });
  }
}

/**
 * Builds the two databases for the userdb source at `path` (a file or a directory), holding
 * an exclusive flock on `<path>.lock` as Courier's makeuserdb does.
 */
export async function makeUserdb(path: string, opts: CompileOptions = {}): Promise<CompileResult> {
  const src = path.length > 1 ? path.replace(/\/+$/, "") : path;
  // Courier's order: stat (following links), permissions, then the symlink refusals.
  const st = await statOrUndefined(src);
  if (!st) throw new UserdbError(`${src}: not found.`);
  if (st.mode & 0o077) throw new UserdbError(`${src}: MAY NOT HAVE GROUP OR WORLD PERMISSIONS!!`);
  for (const p of [src, `${src}.dat`, `${src}shadow.dat`]) {
    if ((await lstatOrUndefined(p))?.isSymbolicLink())
      throw new UserdbError(`ERROR: Wrong makeuserdb command.\n       (${p} is a symbolic link)`);
  }
  const oldMask = process.umask(0o022);
  try {
    return await withLockFile(`${src}.lock`, 0o644, () =>
      compile(src, opts.defaultPath ?? defaultUserdbPath()),
    );
  } finally {
    process.umask(oldMask);
  }
}

async function compile(src: string, defaultPath: string): Promise<CompileResult> {
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  let withPassword = 0;
  const main = new DbBuilder(`${src}.tmp`, `${src}.dat`, false);
  const shadow = new DbBuilder(`${src}shadow.tmp`, `${src}shadow.dat`, true);
  try {
    for (const name of await sourceFiles(src)) {
      const file = await readSourceFile(name, defaultPath);
      warnings.push(...file.warnings);
      for (const rec of file.records) {
        const where = `${rec.file}:${rec.line}`;
        const first = seen.get(rec.name);
        if (first) throw new UserdbError(`${where}: duplicate account name "${rec.name}" (also at ${first})`);
        seen.set(rec.name, where);
        const pw: string[] = [];
        const rest: string[] = [];
        if (rec.fields !== "")
          for (const f of rec.fields.split("|")) (isPasswordField(f) ? pw : rest).push(f);
        rest.push(`_=${file.location}`);
        main.put(rec.name, rest.join("|"));
        if (pw.length) {
          shadow.put(rec.name, pw.join("|"));
          withPassword++;
        }
        await main.drain();
        await shadow.drain();
      }
    }
    await main.finish();
    await shadow.finish();
  } catch (e) {
    await main.abort();
    await shadow.abort();
    throw e;
  }
  // Shadow first: a reader never finds a new account in userdb.dat without its password.
  await shadow.rename();
  await main.rename();
  return { accounts: seen.size, withPassword, warnings };
}
