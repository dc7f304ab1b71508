#!/usr/bin/env node
// The measurement behind the compiled userdb's store (lmdb, not better-sqlite3@12): bulk write
// of N userdb records into a single-file DB, then random point lookups in a read-only handle.
// better-sqlite3 is not a dependency; install it anywhere and point at it:
//   (cd /tmp/s && npm i better-sqlite3@12) && node bench/userdb-store.mjs --sqlite=/tmp/s/node_modules/better-sqlite3
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const require = createRequire(new URL("../packages/userdb/package.json", import.meta.url));
const { open } = require("lmdb");
const { values: o } = parseArgs({
  options: { sqlite: { type: "string" }, accounts: { type: "string", default: "100000" } },
});
const N = Number(o.accounts);
const dir = mkdtempSync(join(tmpdir(), "userdb-store-"));
const recs = [];
for (let i = 0; i < N; i++) {
  const d = `example${i % 500}.com`;
  recs.push([
    `user${i}@${d}`,
    `uid=5000|gid=5000|home=/var/vmail/${d}/user${i}|mail=Maildir|quota=1000000000S|_=`,
  ]);
}
const keys = Array.from({ length: 200000 }, () => recs[Math.floor(Math.random() * N)][0]);

function lookups(get) {
  const t = [];
  for (const k of keys) {
    const s = process.hrtime.bigint();
    if (get(k) === undefined) throw new Error(`${k} missing`);
    t.push(Number(process.hrtime.bigint() - s) / 1000);
  }
  t.sort((a, b) => a - b);
  return `lookup p50 ${t[t.length >> 1].toFixed(2)} us, p99 ${t[Math.floor(t.length * 0.99)].toFixed(2)} us`;
}

async function lmdb() {
  const f = join(dir, "l.dat");
  const s = performance.now();
  const db = open({ path: f, noSubdir: true, encoding: "string", noSync: true });
  let last;
  for (const [k, v] of recs) last = db.put(k, v);
  await last;
  await db.close();
  const ms = performance.now() - s;
  const r = open({ path: f, noSubdir: true, encoding: "string", readOnly: true });
  const l = lookups((k) => r.get(k));
  r.close();
  return `lmdb            write ${ms.toFixed(0)} ms, ${(statSync(f).size / 1e6).toFixed(1)} MB, ${l}`;
}

function sqlite(Database) {
  const f = join(dir, "s.dat");
  const s = performance.now();
  const d = new Database(f);
  d.pragma("journal_mode = OFF");
  d.pragma("synchronous = OFF");
  d.exec("create table u (k text primary key, v text not null) without rowid");
  const ins = d.prepare("insert into u values (?, ?)");
  d.transaction(() => {
    for (const [k, v] of recs) ins.run(k, v);
  })();
  d.close();
  const ms = performance.now() - s;
  const rd = new Database(f, { readonly: true });
  const g = rd.prepare("select v from u where k = ?").pluck();
  const l = lookups((k) => g.get(k));
  rd.close();
  return `better-sqlite3  write ${ms.toFixed(0)} ms, ${(statSync(f).size / 1e6).toFixed(1)} MB, ${l}`;
}

console.log(`${N} records, node ${process.version}`);
const Database = o.sqlite ? createRequire(import.meta.url)(o.sqlite) : undefined;
for (let round = 1; round <= 3; round++) {
  console.log(`round ${round}: ${await lmdb()}`);
  if (Database) console.log(`round ${round}: ${sqlite(Database)}`);
  rmSync(join(dir, "l.dat"), { force: true });
  rmSync(join(dir, "l.dat-lock"), { force: true });
  rmSync(join(dir, "s.dat"), { force: true });
}
rmSync(dir, { recursive: true, force: true });
