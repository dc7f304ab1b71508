// Read access to the compiled userdb. Each database is reopened when makeuserdb has
// replaced its file (new inode or mtime), so new accounts work without restarting authdaemond.

import { type Stats, statSync } from "node:fs";
import { type Database, open } from "lmdb";
import { type Fields, parseFields } from "./textformat.js";

class ReopeningDb {
  private db: Database<string, string> | undefined;
  private opened: Stats | undefined;

  constructor(readonly file: string) {}

  /** The current database, or undefined when the file does not exist. */
  private current(): Database<string, string> | undefined {
    let st: Stats;
    try {
      st = statSync(this.file);
    } catch {
      this.close();
      return undefined;
    }
    const o = this.opened;
    if (
      this.db &&
      o &&
      o.ino === st.ino &&
      o.dev === st.dev &&
      o.mtimeMs === st.mtimeMs &&
      o.size === st.size
    )
      return this.db;
    this.close();
    this.db = open<string, string>({ path: this.file, noSubdir: true, encoding: "string", readOnly: true });
    this.opened = st;
    return this.db;
  }

  get(key: string): string | undefined {
    return this.current()?.get(key);
  }

  *entries(): Generator<[string, string]> {
    const db = this.current();
    if (!db) return;
    for (const { key, value } of db.getRange()) yield [String(key), value];
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
    this.opened = undefined;
  }
}

export interface UserdbAccount {
  uid: number;
  gid: number;
  home: string;
  fields: Fields;
}

/** Courier's atol: leading digits, anything else gives 0. */
function atol(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Number.parseInt(m[1], 10) : 0;
}

/** A record is an account only with uid, gid and home (spec/userdb.md §2.3). */
export function asAccount(fields: Fields): UserdbAccount | undefined {
  const uid = fields.get("uid");
  const gid = fields.get("gid");
  const home = fields.get("home");
  if (uid === undefined || gid === undefined || home === undefined) return undefined;
  return { uid: atol(uid), gid: atol(gid), home, fields };
}

export class UserdbReader {
  private main: ReopeningDb;
  private shadow: ReopeningDb;

  /** `path` is the userdb source path; the reader opens `<path>.dat` and `<path>shadow.dat`. */
  constructor(readonly path: string) {
    this.main = new ReopeningDb(`${path}.dat`);
    this.shadow = new ReopeningDb(`${path}shadow.dat`);
  }

  /** The non-password fields of `name` (including `_`), or undefined. */
  lookup(name: string): Fields | undefined {
    const v = this.main.get(name);
    return v === undefined ? undefined : parseFields(v);
  }

  /** The password fields of `name`, or undefined when it has none. */
  lookupShadow(name: string): Fields | undefined {
    const v = this.shadow.get(name);
    return v === undefined ? undefined : parseFields(v);
  }

  /** Every record that parses as an account, in key order. */
  *enumerate(): Generator<[string, UserdbAccount]> {
    for (const [name, value] of this.main.entries()) {
      const acct = asAccount(parseFields(value));
      if (acct) yield [name, acct];
    }
  }

  close(): void {
    this.main.close();
    this.shadow.close();
  }
}
