// Golden transcripts of SELECT / EXAMINE / FETCH / UID FETCH against a real imapd child
// process and a real maildir.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loggedIn, makeWorld, putMessage, type World } from "./harness.js";

const ONE = "From: a@b\nSubject: one\n\nHello\nWorld\n"; // 36 bytes, 5 LF → 41
const TWO = "Subject: two\n\nsecond\n"; // 21 bytes, 3 LF → 24
const ONE_WIRE = ONE.replaceAll("\n", "\r\n");
const TWO_NAME = "1700000000.M2P1.host";
const ONE_NAME = "1700000100.M1P1.host";

async function world(): Promise<World> {
  const w = await makeWorld();
  putMessage(w, "new", ONE_NAME, ONE, 1700000000);
  putMessage(w, "cur", `${TWO_NAME}:2,S`, TWO, 1600000000);
  return w;
}

function uidValidity(w: World): number {
  return Number(readFileSync(join(w.maildir, "courierimapuiddb"), "latin1").split(" ")[1]);
}

test("SELECT: responses, uiddb written, new/ moved to cur/; EXAMINE is read-only, \\Recent only once", async (t) => {
  const w = await world();
  t.after(w.cleanup);
  const c = await loggedIn(w);
  const sel = await c.cmd("s1", "SELECT inbox");
  const v = uidValidity(w);
  assert.equal(
    sel,
    "* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n" +
      "* OK [PERMANENTFLAGS (\\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n" +
      "* 2 EXISTS\r\n" +
      "* 2 RECENT\r\n" +
      "* OK [UNSEEN 2] Message 2 is the first unseen\r\n" +
      `* OK [UIDVALIDITY ${v}] Ok\r\n` +
      "* OK [UIDNEXT 3] Ok\r\n" +
      "s1 OK [READ-WRITE] Ok\r\n",
  );
  assert.equal(
    readFileSync(join(w.maildir, "courierimapuiddb"), "latin1"),
    `1 ${v} 3\n1 ${TWO_NAME}\n2 ${ONE_NAME}\n`,
  );
  assert.deepEqual(readdirSync(join(w.maildir, "new")), []);
  assert.equal(
    await c.cmd("s2", "EXAMINE INBOX"),
    "* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n" +
      "* OK [PERMANENTFLAGS ()] No permanent flags permitted\r\n" +
      "* 2 EXISTS\r\n" +
      "* 0 RECENT\r\n" +
      "* OK [UNSEEN 2] Message 2 is the first unseen\r\n" +
      `* OK [UIDVALIDITY ${v}] Ok\r\n` +
      "* OK [UIDNEXT 3] Ok\r\n" +
      "s2 OK [READ-ONLY] Ok\r\n",
  );
  assert.equal(
    await c.cmd("s3", "SELECT INBOX.Nope"),
    "s3 NO Mailbox does not exist, or must be subscribed to.\r\n",
  );
  assert.equal(await c.cmd("s4", "FETCH 1 FLAGS"), "s4 BAD No mailbox selected.\r\n");
  assert.equal(await c.cmd("s5", "SELECT Elsewhere"), "s5 NO Invalid mailbox name.\r\n");
  c.send("s6 LOGOUT\r\n");
  await c.closed();
  // a second session sees the same UIDs, no longer \Recent
  const d = await loggedIn(w);
  assert.match(await d.cmd("s1", "SELECT INBOX"), /\* 0 RECENT\r\n[\s\S]*\* OK \[UIDNEXT 3\] Ok/);
  assert.equal(
    await d.cmd("f", "UID FETCH 1:* UID"),
    "* 1 FETCH (UID 1)\r\n* 2 FETCH (UID 2)\r\nf OK UID FETCH completed.\r\n",
  );
  d.send("x LOGOUT\r\n");
  await d.closed();
});

test("FETCH FLAGS UID RFC822.SIZE INTERNALDATE, FAST, sequence sets", async (t) => {
  const w = await world();
  t.after(w.cleanup);
  const c = await loggedIn(w);
  await c.cmd("s", "SELECT INBOX");
  assert.equal(
    await c.cmd("f1", "FETCH 1:* (FLAGS UID RFC822.SIZE INTERNALDATE)"),
    '* 1 FETCH (FLAGS (\\Seen \\Recent) UID 1 RFC822.SIZE 24 INTERNALDATE "13-Sep-2020 12:26:40 +0000")\r\n' +
      '* 2 FETCH (FLAGS (\\Recent) UID 2 RFC822.SIZE 41 INTERNALDATE "14-Nov-2023 22:13:20 +0000")\r\n' +
      "f1 OK FETCH completed.\r\n",
  );
  assert.equal(
    await c.cmd("f2", "fetch 2 fast"),
    '* 2 FETCH (FLAGS (\\Recent) INTERNALDATE "14-Nov-2023 22:13:20 +0000" RFC822.SIZE 41)\r\nf2 OK FETCH completed.\r\n',
  );
  assert.equal(
    await c.cmd("f3", "FETCH *:1 UID"),
    "* 1 FETCH (UID 1)\r\n* 2 FETCH (UID 2)\r\nf3 OK FETCH completed.\r\n",
  );
  assert.equal(
    await c.cmd("f4", "FETCH 2,1,2 UID"),
    "* 1 FETCH (UID 1)\r\n* 2 FETCH (UID 2)\r\nf4 OK FETCH completed.\r\n",
  );
  assert.equal(
    await c.cmd("f5", "FETCH * RFC822.SIZE"),
    "* 2 FETCH (RFC822.SIZE 41)\r\nf5 OK FETCH completed.\r\n",
  );
  assert.equal(
    await c.cmd("f6", "FETCH 3 UID"),
    "f6 BAD Error in IMAP command: invalid message sequence number.\r\n",
  );
  assert.equal(await c.cmd("f7", "FETCH 0:1 UID"), "f7 BAD Error in IMAP command: invalid sequence set.\r\n");
  assert.equal(
    await c.cmd("f8", "FETCH 1 (FLAGS BOGUS)"),
    'f8 BAD Error in IMAP command: invalid FETCH attribute "BOGUS".\r\n',
  );
  assert.equal(
    await c.cmd("f9", "FETCH 1 ENVELOPE"),
    '* 1 FETCH (ENVELOPE (NIL "two" NIL NIL NIL NIL NIL NIL NIL NIL))\r\nf9 OK FETCH completed.\r\n',
  );
  assert.equal(await c.cmd("f10", "NOOP"), "f10 OK NOOP completed\r\n");
  c.send("x LOGOUT\r\n");
  await c.closed();
});

test("UID FETCH: UID first, missing UIDs skipped, * is the highest UID", async (t) => {
  const w = await world();
  t.after(w.cleanup);
  const c = await loggedIn(w);
  await c.cmd("s", "SELECT INBOX");
  assert.equal(
    await c.cmd("u1", "UID FETCH 2:9 FLAGS"),
    "* 2 FETCH (UID 2 FLAGS (\\Recent))\r\nu1 OK UID FETCH completed.\r\n",
  );
  assert.equal(
    await c.cmd("u2", "UID FETCH 1:* (FLAGS UID)"),
    "* 1 FETCH (FLAGS (\\Seen \\Recent) UID 1)\r\n* 2 FETCH (FLAGS (\\Recent) UID 2)\r\nu2 OK UID FETCH completed.\r\n",
  );
  assert.equal(await c.cmd("u3", "UID FETCH 5:* UID"), "* 2 FETCH (UID 2)\r\nu3 OK UID FETCH completed.\r\n");
  assert.equal(await c.cmd("u4", "UID FETCH 7 UID"), "u4 OK UID FETCH completed.\r\n");
  c.send("x LOGOUT\r\n");
  await c.closed();
});

test("BODY[] bytes are CRLF; partial; HEADER/TEXT; \\Seen set by BODY[] but not by BODY.PEEK[]", async (t) => {
  const w = await world();
  t.after(w.cleanup);
  const c = await loggedIn(w);
  await c.cmd("s", "SELECT INBOX");
  assert.equal(
    await c.cmd("b1", "FETCH 2 BODY.PEEK[]"),
    `* 2 FETCH (BODY[] {41}\r\n${ONE_WIRE})\r\nb1 OK FETCH completed.\r\n`,
  );
  assert.deepEqual(readdirSync(join(w.maildir, "cur")).sort(), [`${TWO_NAME}:2,S`, `${ONE_NAME}:2,`]);
  assert.equal(
    await c.cmd("b2", "FETCH 2 (BODY.PEEK[]<3.10> BODY.PEEK[HEADER] BODY.PEEK[TEXT]<100.5>)"),
    `* 2 FETCH (BODY[]<3> {10}\r\n${ONE_WIRE.slice(3, 13)} ` +
      `BODY[HEADER] {27}\r\nFrom: a@b\r\nSubject: one\r\n\r\n BODY[TEXT]<100> {0}\r\n)\r\n` +
      "b2 OK FETCH completed.\r\n",
  );
  assert.equal(
    await c.cmd("b3", "UID FETCH 2 BODY[TEXT]"),
    "* 2 FETCH (UID 2 BODY[TEXT] {14}\r\nHello\r\nWorld\r\n FLAGS (\\Seen \\Recent))\r\nb3 OK UID FETCH completed.\r\n",
  );
  assert.deepEqual(readdirSync(join(w.maildir, "cur")).sort(), [`${TWO_NAME}:2,S`, `${ONE_NAME}:2,S`]);
  assert.equal(
    await c.cmd("b4", "FETCH 2 (FLAGS BODY[]<0.4>)"),
    "* 2 FETCH (FLAGS (\\Seen \\Recent) BODY[]<0> {4}\r\nFrom)\r\nb4 OK FETCH completed.\r\n",
  );
  assert.equal(
    await c.cmd("b5", "FETCH 1 RFC822"),
    `* 1 FETCH (RFC822 {24}\r\n${TWO.replaceAll("\n", "\r\n")})\r\nb5 OK FETCH completed.\r\n`,
  );
  assert.equal(
    await c.cmd("b6", "FETCH 1 RFC822.HEADER"),
    "* 1 FETCH (RFC822.HEADER {16}\r\nSubject: two\r\n\r\n)\r\nb6 OK FETCH completed.\r\n",
  );
  c.send("x LOGOUT\r\n");
  await c.closed();
  assert.match(
    c.stderr,
    /INFO: LOGOUT, user=joe, ip=\[192\.0\.2\.7\], port=\[40123\], headers=43, body=93, rcvd=\d+, sent=\d+, time=\d+\n$/,
  );
});

test("EXAMINE never sets \\Seen; a large message streams intact", async (t) => {
  const w = await world();
  t.after(w.cleanup);
  let big = "Subject: big\n\n";
  for (let i = 0; big.length < 300000; i++) big += `line ${i}\n`;
  putMessage(w, "new", "1700000200.M3P1.host", big, 1700000200);
  const c = await loggedIn(w);
  await c.cmd("e", "EXAMINE INBOX");
  const wire = big.replaceAll("\n", "\r\n");
  assert.equal(
    await c.cmd("b1", "FETCH 2 BODY[]"),
    `* 2 FETCH (BODY[] {41}\r\n${ONE_WIRE})\r\nb1 OK FETCH completed.\r\n`,
  );
  assert.equal(
    await c.cmd("b2", "FETCH 3 BODY[]"),
    `* 3 FETCH (BODY[] {${wire.length}}\r\n${wire})\r\nb2 OK FETCH completed.\r\n`,
  );
  assert.equal(
    await c.cmd("b3", "FETCH 3 BODY[]<200000.70000>"),
    `* 3 FETCH (BODY[]<200000> {70000}\r\n${wire.slice(200000, 270000)})\r\nb3 OK FETCH completed.\r\n`,
  );
  assert.equal(
    await c.cmd("f", "FETCH 2:3 FLAGS"),
    "* 2 FETCH (FLAGS (\\Recent))\r\n* 3 FETCH (FLAGS (\\Recent))\r\nf OK FETCH completed.\r\n",
  );
  c.send("x LOGOUT\r\n");
  await c.closed();
});

test("NOOP reports arrivals, flag changes and expunges made by others", async (t) => {
  const w = await world();
  t.after(w.cleanup);
  const c = await loggedIn(w);
  await c.cmd("s", "SELECT INBOX");
  const { renameSync, unlinkSync } = await import("node:fs");
  unlinkSync(join(w.maildir, "cur", `${TWO_NAME}:2,S`));
  renameSync(join(w.maildir, "cur", `${ONE_NAME}:2,`), join(w.maildir, "cur", `${ONE_NAME}:2,F`));
  putMessage(w, "new", "1700000300.M4P1.host", "Subject: three\n\n3\n", 1700000300);
  assert.equal(
    await c.cmd("n", "NOOP"),
    "* 1 EXPUNGE\r\n* 2 EXISTS\r\n* 2 RECENT\r\n* 1 FETCH (FLAGS (\\Flagged \\Recent))\r\nn OK NOOP completed\r\n",
  );
  assert.equal(
    await c.cmd("u", "FETCH 1:* UID"),
    "* 1 FETCH (UID 2)\r\n* 2 FETCH (UID 3)\r\nu OK FETCH completed.\r\n",
  );
  c.send("x LOGOUT\r\n");
  await c.closed();
});
