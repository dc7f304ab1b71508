import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Folder, formatUidDb, parseUidDb, scanFolder } from "../src/index.js";
import { makeMaildir, put } from "./helpers.js";

const COURIER_DB =
  "1 700000123 58\n" +
  "41 1699990000.M123P4567V0000000000000803I000000000012ABCD.mail.example.com,S=2048\n" +
  "57 1700000100.M99P4570V0000000000000803I000000000012ABD0_0.mail.example.com,S=913\n";

test("parse/format round-trips a Courier uiddb byte for byte", () => {
  const db = parseUidDb(COURIER_DB);
  assert.ok(db);
  assert.equal(db.uidValidity, 700000123);
  assert.equal(db.nextUid, 58);
  assert.equal(formatUidDb(db), COURIER_DB);
  assert.equal(parseUidDb("2 1 1\n"), undefined);
  assert.equal(parseUidDb("garbage"), undefined);
});

test("a hand-written Courier uiddb is read and left untouched when nothing changed", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  put(
    root,
    "cur",
    "1699990000.M123P4567V0000000000000803I000000000012ABCD.mail.example.com,S=2048:2,S",
    "a\n",
  );
  put(
    root,
    "cur",
    "1700000100.M99P4570V0000000000000803I000000000012ABD0_0.mail.example.com,S=913:2,",
    "b\n",
  );
  writeFileSync(join(root, "courierimapuiddb"), COURIER_DB);
  utimesSync(join(root, "courierimapuiddb"), 1000, 1000);
  const out = await scanFolder(root, true);
  assert.deepEqual(
    out.files.map((f) => [f.uid, f.isNew]),
    [
      [41, false],
      [57, false],
    ],
  );
  assert.equal(out.uidValidity, 700000123);
  assert.equal(readFileSync(join(root, "courierimapuiddb"), "latin1"), COURIER_DB);
  assert.equal(statSync(join(root, "courierimapuiddb")).mtimeMs, 1000000);
});

test("new message gets nextuid, deleted one drops out, UIDs stay stable across rescans", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  put(
    root,
    "cur",
    "1699990000.M123P4567V0000000000000803I000000000012ABCD.mail.example.com,S=2048:2,S",
    "a\n",
  );
  writeFileSync(join(root, "courierimapuiddb"), COURIER_DB);
  put(root, "new", "1700000300.M5P9.host", "new two\n");
  put(root, "new", "1700000200.M7P9.host", "new one\n");
  const f = new Folder("INBOX", root, "read-write");
  const r1 = await f.scan();
  assert.deepEqual(
    r1.messages.map((m) => [m.uid, m.filename, m.recent]),
    [
      [41, "1699990000.M123P4567V0000000000000803I000000000012ABCD.mail.example.com,S=2048:2,S", false],
      [58, "1700000200.M7P9.host:2,", true],
      [59, "1700000300.M5P9.host:2,", true],
    ],
  );
  assert.deepEqual(readdirSync(join(root, "new")), []);
  assert.equal(
    readFileSync(join(root, "courierimapuiddb"), "latin1"),
    "1 700000123 60\n" +
      "41 1699990000.M123P4567V0000000000000803I000000000012ABCD.mail.example.com,S=2048\n" +
      "58 1700000200.M7P9.host\n" +
      "59 1700000300.M5P9.host\n",
  );
  const r2 = await f.scan();
  assert.deepEqual(
    r2.messages.map((m) => [m.uid, m.recent]),
    [
      [41, false],
      [58, true],
      [59, true],
    ],
  );
  const other = new Folder("INBOX", root, "read-write");
  assert.deepEqual(
    (await other.scan()).messages.map((m) => [m.uid, m.recent]),
    [
      [41, false],
      [58, false],
      [59, false],
    ],
  );
  await f.setFlags(r2.messages[1], ["\\Seen"]);
  const r3 = await other.scan();
  assert.deepEqual(r3.messages[1].flags, ["\\Seen"]);
  assert.equal(r3.messages[1].uid, 58);
});

test("a new db gets UIDVALIDITY from its temp file's mtime minus 10^9; read-only never creates it", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  put(root, "new", "1700000200.M7P9.host", "x\n");
  const ro = await scanFolder(root, false);
  assert.equal(existsSync(join(root, "courierimapuiddb")), false);
  assert.deepEqual(readdirSync(join(root, "new")), ["1700000200.M7P9.host"]);
  assert.equal(ro.files.length, 0);
  const before = Math.floor(Date.now() / 1000) - 1000000000;
  const rw = await scanFolder(root, true);
  const after = Math.floor(Date.now() / 1000) - 1000000000;
  assert.ok(rw.uidValidity >= before && rw.uidValidity <= after);
  const text = readFileSync(join(root, "courierimapuiddb"), "latin1");
  assert.equal(text, `1 ${rw.uidValidity} 2\n1 1700000200.M7P9.host\n`);
  assert.deepEqual(readdirSync(join(root, "tmp")), []);
});
