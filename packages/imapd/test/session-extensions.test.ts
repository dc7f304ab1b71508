// Golden transcripts of the issue-7 extensions: IDLE (RFC 2177), NAMESPACE (RFC 2342),
// MOVE (RFC 6851), ID (RFC 2971), QUOTA (RFC 9208), SPECIAL-USE (RFC 6154), UNSELECT
// (RFC 3691) and the CAPABILITY line built from IMAP_CAPABILITY as config/imapd.dist ships it.

import assert from "node:assert/strict";
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type Client, makeWorld, putMessage, spawnImapd, type World } from "./harness.js";

const SHIPPED = "IMAP4rev1 LITERAL+ UIDPLUS CHILDREN NAMESPACE QUOTA IDLE UNSELECT MOVE SASL-IR SPECIAL-USE";
const ENV = { IMAP_UIDV_DELAY_MS: "0", IMAP_CAPABILITY: SHIPPED };
/** Spawns imapd with `env`, skips the greeting (its CAPABILITY follows env), logs in as joe. */
async function loggedIn(world: World, env: Record<string, string>): Promise<Client> {
  const c = spawnImapd(world, env);
  assert.match(await c.line(), /^\* OK \[CAPABILITY /);
  assert.equal(await c.cmd("L", "LOGIN joe secret"), "L OK LOGIN Ok.\r\n");
  return c;
}

const MSG = (n: number) => `Subject: m${n}\n\nbody ${n}\n`;

async function setup(t: { after: (f: () => Promise<void>) => void }, env: Record<string, string> = {}) {
  const w = await makeWorld();
  t.after(w.cleanup);
  putMessage(w, "cur", "1700000000.M1P1.host:2,S", MSG(1), 1700000000);
  putMessage(w, "cur", "1700000100.M2P1.host:2,", MSG(2), 1700000100);
  putMessage(w, "cur", "1700000200.M3P1.host:2,F", MSG(3), 1700000200);
  const c = await loggedIn(w, { ...ENV, ...env });
  return { w, c };
}

/** Resolves with the next line, or rejects after `ms` (the harness waits 5 s itself). */
async function lineWithin(c: Client, ms: number): Promise<string> {
  const t0 = Date.now();
  const l = await c.line();
  assert.ok(Date.now() - t0 < ms, `line took ${Date.now() - t0} ms: ${l}`);
  return l;
}

function drop(w: World, name: string, text: string): void {
  const tmp = join(w.maildir, "tmp", name);
  writeFileSync(tmp, text);
  renameSync(tmp, join(w.maildir, "new", name));
}

test("CAPABILITY from the shipped IMAP_CAPABILITY; ID only with IMAP_ID_FIELDS (RFC 2971 example)", async (t) => {
  const { w, c } = await setup(t);
  assert.equal(
    await c.cmd("c", "CAPABILITY"),
    `* CAPABILITY ${SHIPPED} ENABLE UTF8=ACCEPT\r\nc OK CAPABILITY completed\r\n`,
  );
  assert.match(await c.cmd("i", "ID NIL"), /^i BAD /);
  const d = await loggedIn(w, { ...ENV, IMAP_ID_FIELDS: "0" });
  assert.equal(
    await d.cmd("c", "CAPABILITY"),
    `* CAPABILITY ${SHIPPED} ID ENABLE UTF8=ACCEPT\r\nc OK CAPABILITY completed\r\n`,
  );
  assert.equal(
    await d.cmd("a023", 'ID ("name" "sodr" "version" "19.34" "vendor" "Pink Floyd Music Limited")'),
    '* ID ("name" "Courier-IMAP" "vendor" "S. Varshavchik.")\r\na023 OK ID completed.\r\n',
  );
  assert.equal(
    await d.cmd("a024", "ID NIL"),
    '* ID ("name" "Courier-IMAP" "vendor" "S. Varshavchik.")\r\na024 OK ID completed.\r\n',
  );
  const e = await loggedIn(w, { ...ENV, IMAP_ID_FIELDS: "1" });
  assert.match(
    await e.cmd("a", "ID NIL"),
    /^\* ID \("name" "Courier-IMAP" "version" "[^"]+" "vendor" "S\. Varshavchik\."\)\r\n/,
  );
  await d.cmd("l", "LOGOUT");
  await d.closed();
  assert.match(
    d.stderr,
    /INFO: ID, user=joe, ip=\[192\.0\.2\.7\], port=\[40123\], name=sodr, version=19\.34, vendor=Pink Floyd Music Limited\n/,
  );
});

test("NAMESPACE: Courier's fixed reply", async (t) => {
  const { c } = await setup(t);
  assert.equal(
    await c.cmd("A001", "NAMESPACE"),
    '* NAMESPACE (("INBOX." ".")) NIL (("#shared." ".")("shared." "."))\r\nA001 OK NAMESPACE completed.\r\n',
  );
});

test("IDLE: APPEND, STORE and EXPUNGE by another session and an MTA delivery arrive within 1 s; DONE", async (t) => {
  const { w, c } = await setup(t);
  await c.cmd("s", "SELECT INBOX");
  const d = await loggedIn(w, ENV);
  await d.cmd("s", "SELECT INBOX");
  c.send("i1 IDLE\r\n");
  assert.equal(await c.line(), "+ entering idle mode\r\n");
  d.send("a APPEND INBOX {14+}\r\nSubject: n\r\n\r\n\r\n");
  await d.until("a");
  assert.equal(await lineWithin(c, 1000), "* 4 EXISTS\r\n");
  assert.match(await lineWithin(c, 1000), /^\* \d RECENT\r\n$/);
  await d.cmd("st", "STORE 2 +FLAGS.SILENT (\\Flagged)");
  assert.equal(await lineWithin(c, 1000), "* 2 FETCH (FLAGS (\\Flagged \\Recent))\r\n");
  await d.cmd("st2", "STORE 1 +FLAGS.SILENT (\\Deleted)");
  assert.match(await lineWithin(c, 1000), /^\* 1 FETCH \(FLAGS \(.*\\Deleted.*\)\)\r\n$/);
  await d.cmd("x", "EXPUNGE");
  assert.equal(await lineWithin(c, 1000), "* 1 EXPUNGE\r\n");
  assert.equal(await lineWithin(c, 1000), "* 3 EXISTS\r\n");
  assert.match(await lineWithin(c, 1000), /^\* \d RECENT\r\n$/);
  drop(w, "1700000900.M9P9.mta", MSG(9));
  assert.equal(await lineWithin(c, 1000), "* 4 EXISTS\r\n");
  assert.match(await lineWithin(c, 1000), /^\* \d RECENT\r\n$/);
  c.send("DONE\r\n");
  assert.equal(await c.until("i1"), "i1 OK IDLE completed\r\n");
  assert.equal(await c.cmd("n", "NOOP"), "n OK NOOP completed\r\n");
});

test("IDLE: RFC 2177 example; polling fallback at IMAP_IDLE_TIMEOUT; without a mailbox; bad DONE", async (t) => {
  const { w, c } = await setup(t, { IMAP_IDLE_INOTIFY: "0", IMAP_IDLE_TIMEOUT: "0.3" });
  await c.cmd("s", "SELECT INBOX");
  c.send("A002 IDLE\r\n");
  assert.equal(await c.line(), "+ entering idle mode\r\n");
  drop(w, "1700000900.M9P9.mta", MSG(9));
  assert.equal(await lineWithin(c, 1500), "* 4 EXISTS\r\n");
  assert.equal(await lineWithin(c, 1000), "* 4 RECENT\r\n");
  c.send("DONE\r\n");
  assert.equal(await c.until("A002"), "A002 OK IDLE completed\r\n");
  await c.cmd("u", "UNSELECT");
  c.send("A003 IDLE\r\n");
  assert.equal(await c.line(), "+ entering idle mode\r\n");
  c.send("done\r\n");
  assert.equal(await c.until("A003"), "A003 OK IDLE completed\r\n");
  c.send("A004 IDLE\r\n");
  assert.equal(await c.line(), "+ entering idle mode\r\n");
  c.send("A005 NOOP\r\n");
  assert.equal(await c.until("A004"), "A004 BAD Error in IMAP command: expected DONE.\r\n");
  assert.equal(
    await c.cmd("A006", "IDLE extra"),
    "A006 BAD Error in IMAP command: wrong number of arguments.\r\n",
  );
});

test("IDLE honours the autologout timer", async (t) => {
  const { c } = await setup(t, { IMAP_AUTOLOGOUT: "1" });
  await c.cmd("s", "SELECT INBOX");
  c.send("A IDLE\r\n");
  assert.equal(await c.line(), "+ entering idle mode\r\n");
  assert.equal(await c.closed(), "* BYE Disconnected for inactivity.\r\n");
  assert.match(c.stderr, /INFO: TIMEOUT, user=joe/);
});

test("MOVE and UID MOVE (RFC 6851 examples): COPYUID in an untagged OK, then EXPUNGEs", async (t) => {
  const { c } = await setup(t);
  await c.cmd("c", "CREATE INBOX.Archive");
  const sel = await c.cmd("s", "SELECT INBOX");
  const v = /UIDVALIDITY (\d+)/.exec(sel)![1];
  const st = await c.cmd("st", "STATUS INBOX.Archive (UIDVALIDITY)");
  const dv = /UIDVALIDITY (\d+)/.exec(st)![1];
  assert.ok(v);
  assert.equal(
    await c.cmd("a", "MOVE 1:2 INBOX.Archive"),
    `* OK [COPYUID ${dv} 1:2 1:2] Moved\r\n* 1 EXPUNGE\r\n* 1 EXPUNGE\r\n* 1 EXISTS\r\n* 1 RECENT\r\na OK MOVE completed.\r\n`,
  );
  assert.equal(
    await c.cmd("b", "UID MOVE 3 INBOX.Archive"),
    `* OK [COPYUID ${dv} 3 3] Moved\r\n* 1 EXPUNGE\r\n* 0 EXISTS\r\n* 0 RECENT\r\nb OK UID MOVE completed.\r\n`,
  );
  assert.equal(await c.cmd("c2", "UID MOVE 99 INBOX.Archive"), "c2 OK UID MOVE completed.\r\n");
  assert.equal(
    await c.cmd("d", "MOVE 1 INBOX.Nowhere"),
    "d BAD Error in IMAP command: invalid message sequence number.\r\n",
  );
  await c.cmd("s2", "SELECT INBOX.Archive");
  assert.equal(await c.cmd("e", "UID MOVE 1 INBOX.Nowhere"), "e NO [TRYCREATE] Mailbox does not exist.\r\n");
  assert.equal(
    await c.cmd("f", "FETCH 1:* (UID FLAGS)"),
    "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n* 2 FETCH (UID 2 FLAGS ())\r\n* 3 FETCH (UID 3 FLAGS (\\Flagged))\r\nf OK FETCH completed.\r\n",
  );
  await c.cmd("x", "EXAMINE INBOX.Archive");
  assert.equal(await c.cmd("g", "MOVE 1 INBOX"), "g NO Current box is selected READ-ONLY.\r\n");
});

test("QUOTA (RFC 9208): GETQUOTAROOT, GETQUOTA from maildirsize, SETQUOTA refused", async (t) => {
  const { w, c } = await setup(t);
  assert.equal(
    await c.cmd("q0", "GETQUOTAROOT INBOX"),
    '* QUOTAROOT "INBOX" "ROOT"\r\n* QUOTA "ROOT"\r\nq0 OK GETQUOTAROOT Ok.\r\n',
  );
  writeFileSync(join(w.maildir, "maildirsize"), "10000000S,1000C\n        2600            3\n");
  assert.equal(
    await c.cmd("q1", "GETQUOTAROOT inbox"),
    '* QUOTAROOT "INBOX" "ROOT"\r\n* QUOTA "ROOT" (STORAGE 3 9766 MESSAGE 3 1000)\r\nq1 OK GETQUOTAROOT Ok.\r\n',
  );
  assert.equal(await c.cmd("q2", 'GETQUOTA ""'), "q2 NO Invalid quota root.\r\n");
  assert.equal(
    await c.cmd("q3", "GETQUOTA ROOT"),
    '* QUOTA "ROOT" (STORAGE 3 9766 MESSAGE 3 1000)\r\nq3 OK GETQUOTA Ok.\r\n',
  );
  assert.equal(
    await c.cmd("q4", "GETQUOTAROOT shared.x"),
    '* QUOTAROOT "shared.x" "SHARED"\r\n* QUOTA "SHARED"\r\nq4 OK GETQUOTAROOT Ok.\r\n',
  );
  assert.equal(await c.cmd("q5", 'SETQUOTA "" (STORAGE 512)'), "q5 NO SETQUOTA No permission.\r\n");
});

test("SPECIAL-USE (RFC 6154): attributes only when advertised; IMAP_SPECIAL_USE remaps", async (t) => {
  const { w, c } = await setup(t);
  for (const f of ["Sent", "Drafts", "Trash", "Junk", "Archive", "Work"])
    await c.cmd("c", `CREATE INBOX.${f}`);
  assert.equal(
    await c.cmd("l", 'LIST "" INBOX.%'),
    '* LIST (\\HasNoChildren \\Archive) "." "INBOX.Archive"\r\n' +
      '* LIST (\\HasNoChildren \\Drafts) "." "INBOX.Drafts"\r\n' +
      '* LIST (\\HasNoChildren \\Junk) "." "INBOX.Junk"\r\n' +
      '* LIST (\\HasNoChildren \\Sent) "." "INBOX.Sent"\r\n' +
      '* LIST (\\HasNoChildren \\Trash) "." "INBOX.Trash"\r\n' +
      '* LIST (\\HasNoChildren) "." "INBOX.Work"\r\n' +
      "l OK LIST completed\r\n",
  );
  const d = await loggedIn(w, { ...ENV, IMAP_SPECIAL_USE: "Work=\\Sent,Trash=\\Trash" });
  assert.equal(
    await d.cmd("l", 'LIST "" INBOX.%'),
    '* LIST (\\HasNoChildren) "." "INBOX.Archive"\r\n' +
      '* LIST (\\HasNoChildren) "." "INBOX.Drafts"\r\n' +
      '* LIST (\\HasNoChildren) "." "INBOX.Junk"\r\n' +
      '* LIST (\\HasNoChildren) "." "INBOX.Sent"\r\n' +
      '* LIST (\\HasNoChildren \\Trash) "." "INBOX.Trash"\r\n' +
      '* LIST (\\HasNoChildren \\Sent) "." "INBOX.Work"\r\n' +
      "l OK LIST completed\r\n",
  );
  const e = await loggedIn(w, { IMAP_UIDV_DELAY_MS: "0", IMAP_CAPABILITY: "IMAP4rev1" });
  assert.equal(
    await e.cmd("l", 'LIST "" INBOX.S%'),
    '* LIST (\\HasNoChildren) "." "INBOX.Sent"\r\nl OK LIST completed\r\n',
  );
});
