// Two processes appending, flagging and expunging the same folder at once (IMAP_USELOCKS on):
// courierimapuiddb stays valid, a message never changes UID, two messages never share one,
// and nothing that was appended and not expunged goes missing.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { baseName, Maildir, parseUidDb } from "../src/index.js";
import { makeMaildir } from "./helpers.js";

const WORKER = join(import.meta.dirname, "fixtures", "worker.js");

function run(root: string, id: string, n: number, out: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WORKER, root, id, String(n), out], { stdio: "inherit" });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

interface Report {
  seen: [string, number][];
  appended: string[];
  expunged: string[];
}

test("two processes appending, flagging and expunging one folder never corrupt the uiddb or lose a message", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const outs = [join(root, "..", "a.json"), join(root, "..", "b.json")];
  const codes = await Promise.all([run(root, "a", 60, outs[0]), run(root, "b", 60, outs[1])]);
  assert.deepEqual(codes, [0, 0]);
  const reports = outs.map((o) => JSON.parse(readFileSync(o, "utf8")) as Report);
  const uidOf = new Map<string, number>();
  const baseOf = new Map<number, string>();
  for (const r of reports) {
    for (const [base, uid] of r.seen) {
      assert.equal(uidOf.get(base) ?? uid, uid, `${base} changed UID`);
      assert.equal(baseOf.get(uid) ?? base, base, `UID ${uid} given to two messages`);
      uidOf.set(base, uid);
      baseOf.set(uid, base);
    }
  }
  const db = parseUidDb(readFileSync(join(root, "courierimapuiddb"), "latin1"));
  assert.ok(db, "courierimapuiddb is unreadable");
  for (const [base, uid] of db.uids) assert.equal(uidOf.get(base) ?? uid, uid);
  const folder = await (await Maildir.open(root)).openFolder("INBOX");
  const present = new Set(folder.messages.map((m) => baseName(m.filename)));
  const expunged = new Set(reports.flatMap((r) => r.expunged));
  for (const base of reports.flatMap((r) => r.appended))
    if (!expunged.has(base)) assert.ok(present.has(base), `lost ${base}`);
  for (const m of folder.messages) assert.equal(uidOf.get(baseName(m.filename)) ?? m.uid, m.uid);
  assert.equal(folder.messages.length, 120 - expunged.size);
});
