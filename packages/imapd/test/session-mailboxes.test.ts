// Golden transcripts of CREATE / DELETE / RENAME / SUBSCRIBE / UNSUBSCRIBE / LIST / LSUB /
// STATUS against a real imapd child process and a real maildir.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loggedIn, makeWorld, putMessage } from "./harness.js";

const FAST = { IMAP_UIDV_DELAY_MS: "0" };

test("CREATE, LIST with * and %, hierarchy-only nodes, modified UTF-7 names", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const c = await loggedIn(w, FAST);
  assert.equal(await c.cmd("c1", "CREATE INBOX.Sent"), 'c1 OK "INBOX.Sent" created.\r\n');
  assert.ok(existsSync(join(w.maildir, ".Sent", "maildirfolder")));
  assert.equal(await c.cmd("c2", "CREATE INBOX.Sent"), "c2 NO Cannot create this folder.\r\n");
  assert.equal(await c.cmd("c3", "CREATE inbox"), "c3 NO INBOX already exists!\r\n");
  assert.equal(await c.cmd("c4", "CREATE INBOX.A.B"), 'c4 OK "INBOX.A.B" created.\r\n');
  assert.equal(await c.cmd("c5", "CREATE Bogus"), "c5 NO Invalid mailbox name.\r\n");
  assert.equal(await c.cmd("c6", "CREATE"), "c6 BAD Error in IMAP command: wrong number of arguments.\r\n");
  assert.equal(
    await c.cmd("l1", 'LIST "" *'),
    '* LIST (\\HasChildren) "." "INBOX"\r\n' +
      '* LIST (\\Noselect \\HasChildren) "." "INBOX.A"\r\n' +
      '* LIST (\\HasNoChildren) "." "INBOX.A.B"\r\n' +
      '* LIST (\\HasNoChildren) "." "INBOX.Sent"\r\n' +
      "l1 OK LIST completed\r\n",
  );
  assert.equal(
    await c.cmd("l2", 'LIST "" %'),
    '* LIST (\\HasChildren) "." "INBOX"\r\nl2 OK LIST completed\r\n',
  );
  assert.equal(
    await c.cmd("l3", "LIST inbox. %"),
    '* LIST (\\Noselect \\HasChildren) "." "INBOX.A"\r\n* LIST (\\HasNoChildren) "." "INBOX.Sent"\r\nl3 OK LIST completed\r\n',
  );
  assert.equal(await c.cmd("l4", 'LIST "" ""'), '* LIST (\\Noselect) "." ""\r\nl4 OK LIST completed\r\n');
  assert.equal(
    await c.cmd("l5", 'LIST "" INBOX.%.%'),
    '* LIST (\\HasNoChildren) "." "INBOX.A.B"\r\nl5 OK LIST completed\r\n',
  );
  assert.equal(await c.cmd("l6", 'LIST "" "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"'), "l6 OK LIST completed\r\n");
  assert.equal(await c.cmd("u1", 'CREATE "INBOX.&AOk-t&AOk-"'), 'u1 OK "INBOX.&AOk-t&AOk-" created.\r\n');
  assert.ok(existsSync(join(w.maildir, ".été")));
  assert.equal(
    await c.cmd("u2", 'LIST "" "INBOX.&AOk-*"'),
    '* LIST (\\HasNoChildren) "." "INBOX.&AOk-t&AOk-"\r\nu2 OK LIST completed\r\n',
  );
  assert.equal(await c.cmd("u3", 'CREATE "INBOX.&Jjo"'), "u3 NO Invalid mailbox name.\r\n");
});

test("SUBSCRIBE / UNSUBSCRIBE / LSUB, STATUS", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  putMessage(w, "new", "1700000000.M1P1.host", "Subject: a\n\nx\n", 1700000000);
  putMessage(w, "cur", "1700000001.M2P1.host:2,S", "Subject: b\n\ny\n", 1700000001);
  const c = await loggedIn(w, FAST);
  await c.cmd("c", "CREATE INBOX.A.B");
  await c.cmd("c", "CREATE INBOX.Sent");
  assert.equal(await c.cmd("s1", "SUBSCRIBE INBOX.Sent"), "s1 OK Subscribed.\r\n");
  assert.equal(await c.cmd("s2", "SUBSCRIBE INBOX.A.B"), "s2 OK Subscribed.\r\n");
  assert.equal(
    await c.cmd("s3", 'LSUB "" *'),
    '* LSUB () "." "INBOX.Sent"\r\n* LSUB () "." "INBOX.A.B"\r\ns3 OK LSUB completed\r\n',
  );
  assert.equal(
    await c.cmd("s4", 'LSUB "" INBOX.%'),
    '* LSUB () "." "INBOX.Sent"\r\n* LSUB (\\Noselect) "." "INBOX.A"\r\ns4 OK LSUB completed\r\n',
  );
  assert.equal(await c.cmd("s5", "UNSUBSCRIBE INBOX.Sent"), "s5 OK Unsubscribed.\r\n");
  assert.equal(await c.cmd("s6", 'LSUB "" *'), '* LSUB () "." "INBOX.A.B"\r\ns6 OK LSUB completed\r\n');
  const st = await c.cmd("t1", "STATUS INBOX (MESSAGES RECENT UNSEEN UIDNEXT)");
  assert.equal(
    st,
    '* STATUS "INBOX" (MESSAGES 2 RECENT 2 UNSEEN 1 UIDNEXT 3)\r\nt1 OK STATUS Completed.\r\n',
  );
  assert.match(
    await c.cmd("t2", "STATUS INBOX.Sent UIDVALIDITY"),
    /^\* STATUS "INBOX.Sent" \(UIDVALIDITY \d+\)\r\n/,
  );
  assert.equal(
    await c.cmd("t3", "STATUS INBOX.Nope (MESSAGES)"),
    "t3 NO Mailbox does not exist, or must be subscribed to.\r\n",
  );
  assert.equal(
    await c.cmd("t4", "STATUS INBOX (FOO)"),
    "t4 BAD Error in IMAP command: Invalid STATUS item.\r\n",
  );
});

test("RENAME with subfolders, RENAME INBOX moves its messages, DELETE", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  putMessage(w, "cur", "1700000001.M2P1.host:2,S", "Subject: b\n\ny\n", 1700000001);
  const c = await loggedIn(w, FAST);
  await c.cmd("c", "CREATE INBOX.A.B");
  await c.cmd("c", "CREATE INBOX.Sent");
  assert.equal(await c.cmd("r1", "RENAME INBOX.A INBOX.Z"), "r1 OK Folder renamed.\r\n");
  assert.equal(
    await c.cmd("l1", 'LIST "" INBOX.Z*'),
    '* LIST (\\Noselect \\HasChildren) "." "INBOX.Z"\r\n* LIST (\\HasNoChildren) "." "INBOX.Z.B"\r\nl1 OK LIST completed\r\n',
  );
  assert.equal(await c.cmd("r2", "RENAME INBOX.Nope INBOX.Q"), "r2 NO Mailbox does not exist.\r\n");
  assert.equal(await c.cmd("r3", "RENAME INBOX.Sent INBOX.Z.B"), "r3 NO Mailbox already exists.\r\n");
  assert.equal(await c.cmd("r4", "RENAME INBOX INBOX.Old"), "r4 OK Folder renamed.\r\n");
  assert.match(await c.cmd("r5", "STATUS INBOX.Old (MESSAGES)"), /\(MESSAGES 1\)/);
  assert.match(await c.cmd("r6", "STATUS INBOX (MESSAGES)"), /\(MESSAGES 0\)/);
  assert.equal(await c.cmd("d1", "DELETE INBOX.Z"), "d1 NO Mailbox does not exist.\r\n");
  assert.equal(await c.cmd("d2", "DELETE INBOX"), "d2 NO INBOX cannot be deleted.\r\n");
  assert.equal(await c.cmd("d3", "DELETE INBOX.Z."), "d3 OK Folder directory delete punted.\r\n");
  await c.cmd("s", "SELECT INBOX.Sent");
  assert.equal(await c.cmd("d4", "DELETE INBOX.Sent"), "d4 NO Cannot delete currently-open folder.\r\n");
  await c.cmd("s", "SELECT INBOX");
  assert.equal(await c.cmd("d5", "DELETE INBOX.Sent"), "d5 OK Folder deleted.\r\n");
  assert.ok(!existsSync(join(w.maildir, ".Sent")));
});
