// Over-quota APPEND and COPY (Maildir++ `maildirsize`): `NO [OVERQUOTA]` (RFC 9208), and
// nothing lost or left behind — no partial copies, no files in tmp/, the session goes on.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loggedIn, makeWorld, putMessage, type World } from "./harness.js";

const ONE = "Subject: one\nDate: Tue, 14 Nov 2023 22:13:20 +0000\n\nfirst\n";
const TWO = "Subject: two\nDate: Wed, 15 Nov 2023 10:00:00 +0100\n\nsecond\n";

const files = (w: World, folder: string, sub: string) => readdirSync(join(w.maildir, folder, sub)).sort();
const usageLine = (bytes: number, count: number) =>
  `${String(bytes).padStart(12)} ${String(count).padStart(12)}\n`;

test("over-quota APPEND and COPY: NO [OVERQUOTA], nothing stored, nothing lost", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  putMessage(w, "cur", "1700000000.M1P1.host:2,S", ONE, 1700000000);
  putMessage(w, "cur", "1700000100.M2P1.host:2,", TWO, 1700100000);
  // a 3-message, 2000-byte quota; two messages are in it
  const used = Buffer.byteLength(ONE) + Buffer.byteLength(TWO);
  writeFileSync(join(w.maildir, "maildirsize"), `2000S,3C\n${usageLine(used, 2)}`);
  const c = await loggedIn(w, { IMAP_UIDV_DELAY_MS: "0" });
  assert.match(await c.cmd("c", "CREATE INBOX.Other"), /^c OK/m);
  await c.cmd("s", "SELECT INBOX");
  const inboxBefore = () => files(w, "", "cur").map((f) => readFileSync(join(w.maildir, "cur", f), "latin1"));

  // the third message fits
  c.send("a1 APPEND INBOX {20+}\r\nSubject: 3\r\n\r\nthree\r\n");
  assert.match(await c.until("a1"), /\* 3 EXISTS\r\n(.*\r\n)*a1 OK \[APPENDUID \d+ 3\] APPEND Ok\.\r\n$/);
  // a fourth is over the message count
  c.send("a2 APPEND INBOX {19+}\r\nSubject: 4\r\n\r\nfour\r\n");
  assert.equal(await c.until("a2"), "a2 NO [OVERQUOTA] You exceeded your mail quota.\r\n");
  // a streamed 3 MB literal over the byte quota, into another folder: refused, skipped
  const big = `Subject: big\r\n\r\n${`${"y".repeat(998)}\r\n`.repeat(3000)}`;
  c.send(`a3 APPEND INBOX.Other {${big.length}+}\r\n`);
  c.send(big);
  c.send("\r\n");
  assert.equal(await c.until("a3"), "a3 NO [OVERQUOTA] You exceeded your mail quota.\r\n");
  // the live session's dot-lock link source (kept until the worker exits) is not a partial file
  const partial = (dir: string) => files(w, dir, "tmp").filter((n) => !n.includes("_courierlock"));
  assert.deepEqual(partial(""), [], "no partial file in tmp/");
  assert.deepEqual(partial(".Other"), []);
  assert.deepEqual(files(w, ".Other", "cur"), []);
  assert.deepEqual(files(w, ".Other", "new"), []);
  const before = inboxBefore();
  assert.equal(before.length, 3);

  // COPY of the whole set goes over: refused as a whole, nothing copied, sources intact
  assert.equal(
    await c.cmd("c1", "COPY 1:3 INBOX.Other"),
    "c1 NO [OVERQUOTA] You exceeded your mail quota.\r\n",
  );
  assert.equal(
    await c.cmd("c2", "UID COPY 1 INBOX.Other"),
    "c2 NO [OVERQUOTA] You exceeded your mail quota.\r\n",
  );
  assert.deepEqual(files(w, ".Other", "cur"), [], "no partial copy");
  assert.deepEqual(partial(".Other"), []);
  assert.deepEqual(inboxBefore(), before, "the source messages are untouched");
  assert.equal(
    await c.cmd("f", "FETCH 1:* (UID FLAGS)"),
    "* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent))\r\n* 2 FETCH (UID 2 FLAGS (\\Recent))\r\n" +
      "* 3 FETCH (UID 3 FLAGS ())\r\nf OK FETCH completed.\r\n",
  );
  assert.equal(await c.cmd("n", "NOOP"), "n OK NOOP completed\r\n", "the session goes on");

  // after an EXPUNGE frees room, the same COPY of one message succeeds
  await c.cmd("d", "STORE 3 +FLAGS.SILENT (\\Deleted)");
  assert.match(await c.cmd("e", "EXPUNGE"), /^\* 3 EXPUNGE\r\n(.*\r\n)*e OK/);
  assert.match(
    await c.cmd("c3", "UID COPY 1 INBOX.Other"),
    /^c3 OK \[COPYUID \d+ 1 1\] UID COPY completed\.\r\n$/,
  );
  const copied = files(w, ".Other", "cur");
  assert.equal(copied.length, 1);
  assert.equal(readFileSync(join(w.maildir, ".Other", "cur", copied[0]), "latin1"), ONE);
  await c.cmd("z", "LOGOUT");
});
