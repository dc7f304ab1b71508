import assert from "node:assert/strict";
import { readdirSync, readFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { deliver, Maildir, moveNewToCur, purgeStaleTmp } from "../src/index.js";
import { makeMaildir, put } from "./helpers.js";

test("new/ moves to cur/ with :2, appended only when the name has no colon", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  put(root, "new", "1.M1P1.h", "a\n");
  put(root, "new", "2.M1P1.h:2,S", "b\n");
  put(root, "new", ".hidden", "c\n");
  await moveNewToCur(root);
  assert.deepEqual(readdirSync(join(root, "cur")).sort(), ["1.M1P1.h:2,", "2.M1P1.h:2,S"]);
  assert.deepEqual(readdirSync(join(root, "new")), [".hidden"]);
});

test("stale tmp/ entries (ctime > 36 h) are purged", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  put(root, "tmp", "old", "x");
  put(root, "tmp", ".dot", "x");
  assert.equal(await purgeStaleTmp(root, Date.now() + 37 * 3600 * 1000), 1);
  assert.deepEqual(readdirSync(join(root, "tmp")), [".dot"]);
});

test("flags round-trip through rename; size and date are cached facts", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const name = await deliver(root, "Subject: hi\n\nbody\n", { date: new Date(1700000000000) });
  assert.match(name, /^\d+\.M\d+P\d+V[0-9A-F]{16}I[0-9A-F]{16}_\d+\..+,S=18$/);
  const md = await Maildir.open(root);
  const f = await md.openFolder("inbox");
  assert.equal(f.name, "INBOX");
  const [m] = f.messages;
  assert.deepEqual(m.flags, []);
  assert.equal(await f.rfc822Size(m), 21);
  assert.equal((await f.internalDate(m)).getTime(), 1700000000000);
  assert.equal(await f.addFlags(m, ["\\Seen", "\\Flagged"]), true);
  assert.equal(await f.addFlags(m, ["\\Seen"]), false);
  assert.deepEqual(readdirSync(join(root, "cur")), [`${name}:2,FS`]);
  await f.setFlags(m, ["\\Deleted"]);
  const again = await md.openFolder("INBOX");
  assert.deepEqual(again.messages[0].flags, ["\\Deleted"]);
  assert.equal(again.messages[0].uid, m.uid);
  await assert.rejects(md.openFolder("INBOX.Nope"), /does not exist/);
  await assert.rejects(md.openFolder("Other"), /Invalid mailbox name/);
  assert.equal(readFileSync(join(root, "cur", `${name}:2,T`), "utf8"), "Subject: hi\n\nbody\n");
});

test("a flag change made by another process is found by base name", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  put(root, "cur", "5.M1P1.h:2,", "x\n");
  utimesSync(join(root, "cur", "5.M1P1.h:2,"), 5, 5);
  const md = await Maildir.open(root);
  const f = await md.openFolder("INBOX");
  const { renameSync } = await import("node:fs");
  renameSync(join(root, "cur", "5.M1P1.h:2,"), join(root, "cur", "5.M1P1.h:2,F"));
  await f.addFlags(f.messages[0], ["\\Seen"]);
  assert.deepEqual(readdirSync(join(root, "cur")), ["5.M1P1.h:2,S"]);
});
