// When a scan needs the folder's dot-lock, and the order in which a COPY's messages get UIDs.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { DEFAULT_OPTIONS, LOCK_FILE, Maildir, mailHostname } from "../src/index.js";
import { makeMaildir, put } from "./helpers.js";

const OPTS = { ...DEFAULT_OPTIONS, useLocks: true, staleLockSleepMs: 10 };

/** tmp/courier.lock held by a live process of this host (not ours, so never taken as stale). */
function holdLock(root: string): () => void {
  const holder = spawn("sleep", ["60"], { stdio: "ignore" });
  writeFileSync(join(root, "tmp", LOCK_FILE), `${holder.pid}:${mailHostname()}`);
  return () => {
    rmSync(join(root, "tmp", LOCK_FILE), { force: true });
    holder.kill();
  };
}

const settled = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);

test("a rescan with nothing to write does not wait for the dot-lock; one with a new message does", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  put(root, "new", "1700000000.M1P1.host", "Subject: a\n\nx\n");
  const md = await Maildir.open(root, OPTS);
  const folder = await md.folder("INBOX");
  assert.equal((await folder.scan()).messages.length, 1); // moves it to cur/, writes the uiddb

  const release = holdLock(root);
  t.after(release);
  // unchanged folder: answered while another process holds the lock (IDLE fan-out)
  assert.equal(await settled(folder.scan(), 2000), true);
  // a delivery must be moved and numbered under the lock: the scan waits for it
  put(root, "new", "1700000001.M1P1.host", "Subject: b\n\ny\n");
  const waiting = folder.scan();
  assert.equal(await settled(waiting, 300), false);
  release();
  const r = await waiting;
  assert.deepEqual(
    r.messages.map((m) => m.uid),
    [1, 2],
  );
});

test("a keyword directory sends the rescan through the lock (its updates are merged there)", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  put(root, "new", "1700000000.M1P1.host", "Subject: a\n\nx\n");
  const md = await Maildir.open(root, { ...OPTS, keywords: 1 });
  const folder = await md.folder("INBOX");
  await folder.scan();
  mkdirSync(join(root, "courierimapkeywords"));
  const release = holdLock(root);
  t.after(release);
  const waiting = folder.scan();
  assert.equal(await settled(waiting, 300), false);
  release();
  await waiting;
});

test("messages copied in one batch get UIDs in the batch's order, even where their names sort the other way", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const md = await Maildir.open(root, OPTS);
  const folder = await md.folder("INBOX");
  // unpadded microseconds: M95000 sorts after M105000 byte-wise (Courier's order for new mail)
  const first = "1700000000.M95000P7_0.host:2,";
  const second = "1700000000.M105000P7_1.host:2,";
  put(root, "cur", first, "Subject: 1\n\n1\n");
  put(root, "cur", second, "Subject: 2\n\n2\n");
  const { uids } = await folder.assignUids([first, second]);
  assert.deepEqual(uids, [1, 2]);
});

test("new messages nobody asked about keep Courier's order: timestamp, then name bytes", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const md = await Maildir.open(root, OPTS);
  const folder = await md.folder("INBOX");
  put(root, "new", "1700000000.M95000P7_0.host", "Subject: 1\n\n1\n");
  put(root, "new", "1700000000.M105000P7_1.host", "Subject: 2\n\n2\n");
  const { messages } = await folder.scan();
  assert.deepEqual(
    messages.map((m) => [m.uid, m.filename.split(".")[1]]),
    [
      [1, "M105000P7_1"],
      [2, "M95000P7_0"],
    ],
  );
});
