// Golden transcripts of APPEND (small and streamed literals), STORE, COPY, EXPUNGE, CLOSE,
// SEARCH and FETCH of MIME structure against a real imapd child process and maildir.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type Client, loggedIn, makeWorld, putMessage, type World } from "./harness.js";

const MIME =
  'From: =?utf-8?q?J=C3=B6rg?= <jorg@example.org>\nTo: a@b.c, "Bee" <bee@x.y>\n' +
  "Subject: =?iso-8859-1?q?caf=E9?= report\nDate: Tue, 14 Nov 2023 22:13:20 +0000\nMessage-ID: <m1@x>\n" +
  "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\npreamble\n--XX\n" +
  "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n" +
  "na=EFve body text\n--XX\nContent-Type: message/rfc822\n\nSubject: inner\nFrom: in@x.y\n\ninner body\n--XX--\n";
const TWO = "Subject: two\nDate: Wed, 15 Nov 2023 10:00:00 +0100\n\nsecond\n";

async function setup(t: {
  after: (f: () => Promise<void>) => void;
}): Promise<{ w: World; c: Client; v: string }> {
  const w = await makeWorld();
  t.after(w.cleanup);
  putMessage(w, "cur", "1700000000.M1P1.host:2,S", MIME, 1700000000);
  putMessage(w, "cur", "1700000100.M2P1.host:2,", TWO, 1700100000);
  const c = await loggedIn(w, { IMAP_UIDV_DELAY_MS: "0" });
  const sel = await c.cmd("s", "SELECT INBOX");
  const v = /UIDVALIDITY (\d+)/.exec(sel)![1];
  return { w, c, v };
}

test("FETCH ENVELOPE, BODYSTRUCTURE, BODY, sections with part numbers, MIME, HEADER.FIELDS(.NOT), ALL/FULL", async (t) => {
  const { c } = await setup(t);
  assert.equal(
    await c.cmd("f1", "FETCH 1 ENVELOPE"),
    '* 1 FETCH (ENVELOPE ("Tue, 14 Nov 2023 22:13:20 +0000" "=?iso-8859-1?q?caf=E9?= report" ' +
      '(("=?utf-8?q?J=C3=B6rg?=" NIL "jorg" "example.org")) (("=?utf-8?q?J=C3=B6rg?=" NIL "jorg" "example.org")) ' +
      '(("=?utf-8?q?J=C3=B6rg?=" NIL "jorg" "example.org")) ((NIL NIL "a" "b.c")("Bee" NIL "bee" "x.y")) NIL NIL NIL "<m1@x>"))\r\n' +
      "f1 OK FETCH completed.\r\n",
  );
  assert.equal(
    await c.cmd("f2", "FETCH 1:2 BODYSTRUCTURE"),
    '* 1 FETCH (BODYSTRUCTURE (("text" "plain" ("charset" "iso-8859-1") NIL NIL "quoted-printable" 17 0 NIL NIL NIL NIL)' +
      '("message" "rfc822" NIL NIL NIL "7bit" 42 (NIL "inner" ((NIL NIL "in" "x.y")) ((NIL NIL "in" "x.y")) ((NIL NIL "in" "x.y")) NIL NIL NIL NIL NIL) ' +
      '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 10 0 NIL NIL NIL NIL) 3 NIL NIL NIL NIL) "mixed" ("boundary" "XX") NIL NIL NIL))\r\n' +
      '* 2 FETCH (BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 8 1 NIL NIL NIL NIL))\r\n' +
      "f2 OK FETCH completed.\r\n",
  );
  assert.equal(
    await c.cmd("f3", "FETCH 2 BODY"),
    '* 2 FETCH (BODY ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 8 1))\r\nf3 OK FETCH completed.\r\n',
  );
  assert.equal(
    await c.cmd(
      "f4",
      "FETCH 1 (BODY.PEEK[1] BODY.PEEK[1.MIME] BODY.PEEK[2.HEADER] BODY.PEEK[2.TEXT] " +
        "BODY.PEEK[HEADER.FIELDS (Subject to)]<0.20> BODY.PEEK[header.fields.not (from to subject date message-id mime-version)])",
    ),
    "* 1 FETCH (BODY[1] {17}\r\nna=EFve body text BODY[1.MIME] {93}\r\n" +
      "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
      " BODY[2.HEADER] {32}\r\nSubject: inner\r\nFrom: in@x.y\r\n\r\n BODY[2.TEXT] {10}\r\ninner body" +
      ' BODY[HEADER.FIELDS (Subject to)]<0> {20}\r\nTo: a@b.c, "Bee" <be' +
      " BODY[HEADER.FIELDS.NOT (from to subject date message-id mime-version)] {46}\r\n" +
      "Content-Type: multipart/mixed; boundary=XX\r\n\r\n)\r\nf4 OK FETCH completed.\r\n",
  );
  assert.equal(
    await c.cmd("f5", "FETCH 2 FULL"),
    '* 2 FETCH (FLAGS (\\Recent) INTERNALDATE "16-Nov-2023 02:00:00 +0000" RFC822.SIZE 63 ' +
      'ENVELOPE ("Wed, 15 Nov 2023 10:00:00 +0100" "two" NIL NIL NIL NIL NIL NIL NIL NIL) ' +
      'BODY ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 8 1))\r\nf5 OK FETCH completed.\r\n',
  );
  assert.equal(
    await c.cmd("f6", "FETCH 1 BODY.PEEK[9]"),
    "* 1 FETCH (BODY[9] {0}\r\n)\r\nf6 OK FETCH completed.\r\n",
  );
  assert.equal(
    await c.cmd("f7", "FETCH 1 BODY[1.2.3.X]"),
    "f7 BAD Error in IMAP command: invalid section [1.2.3.X].\r\n",
  );
  // BODY[1] (not PEEK) on an unseen message sets \Seen and reports it
  assert.equal(
    await c.cmd("f8", "FETCH 2 BODY[1]"),
    "* 2 FETCH (BODY[1] {8}\r\nsecond\r\n FLAGS (\\Seen \\Recent))\r\nf8 OK FETCH completed.\r\n",
  );
});

test("APPEND: flags, keywords, date-time, APPENDUID, TRYCREATE; a 3 MB literal is streamed", async (t) => {
  const { w, c, v } = await setup(t);
  c.send(
    'a1 APPEND INBOX (\\Seen $Work) " 5-Mar-2024 10:00:00 +0200" {22+}\r\nSubject: x\r\n\r\nbody x\r\n\r\n',
  );
  assert.equal(
    await c.until("a1"),
    "* FLAGS ($Work \\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n" +
      "* OK [PERMANENTFLAGS ($Work \\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n" +
      "* 3 EXISTS\r\n* 2 RECENT\r\n" +
      `a1 OK [APPENDUID ${v} 3] APPEND Ok.\r\n`,
  );
  assert.equal(
    await c.cmd("a2", "FETCH 3 (FLAGS INTERNALDATE RFC822.SIZE)"),
    '* 3 FETCH (FLAGS (\\Seen $Work) INTERNALDATE " 5-Mar-2024 08:00:00 +0000" RFC822.SIZE 22)\r\na2 OK FETCH completed.\r\n',
  );
  c.send("a3 APPEND INBOX.None {3+}\r\nabc\r\n");
  assert.equal(await c.until("a3"), "a3 NO [TRYCREATE] Must create mailbox before append\r\n");
  c.send("a4 APPEND INBOX (\\Bogus) {3+}\r\nabc\r\n");
  assert.equal(await c.until("a4"), "a4 BAD Error in IMAP command: Invalid system flag \\Bogus.\r\n");
  await c.cmd("c", "CREATE INBOX.Big");
  const line = `${"x".repeat(998)}\r\n`;
  const big = `Subject: big\r\n\r\n${line.repeat(3000)}`;
  c.send(`a5 APPEND INBOX.Big {${big.length}}\r\n`);
  assert.equal(await c.line(), "+ OK\r\n");
  c.send(big);
  c.send("\r\n");
  assert.match(await c.until("a5"), /^a5 OK \[APPENDUID \d+ 1\] APPEND Ok\.\r\n$/);
  const stored = readdirSync(join(w.maildir, ".Big", "cur"));
  assert.equal(
    readFileSync(join(w.maildir, ".Big", "cur", stored[0]), "latin1"),
    big.replaceAll("\r\n", "\n"),
  );
  // a refused streamed non-synchronising literal is skipped; the session goes on
  c.send(`a6 APPEND INBOX.None {${big.length}+}\r\n${big}\r\n`);
  assert.equal(await c.until("a6"), "a6 NO [TRYCREATE] Must create mailbox before append\r\n");
  assert.equal(await c.cmd("a7", "NOOP"), "a7 OK NOOP completed\r\n");
});

test("STORE, SEARCH, COPY, EXPUNGE, read-only EXAMINE, CLOSE", async (t) => {
  const { c, v } = await setup(t);
  assert.equal(
    await c.cmd("s1", "STORE 1:2 +FLAGS (\\Flagged)"),
    "* 1 FETCH (FLAGS (\\Flagged \\Seen \\Recent))\r\n* 2 FETCH (FLAGS (\\Flagged \\Recent))\r\ns1 OK STORE completed.\r\n",
  );
  assert.equal(await c.cmd("s2", "STORE 2 FLAGS.SILENT (\\Deleted)"), "s2 OK STORE completed.\r\n");
  assert.equal(
    await c.cmd("s3", "UID STORE 1 +FLAGS Junk"),
    "* FLAGS (Junk \\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n" +
      "* OK [PERMANENTFLAGS (Junk \\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n" +
      "* 1 FETCH (UID 1 FLAGS (\\Flagged \\Seen Junk \\Recent))\r\ns3 OK UID STORE completed.\r\n",
  );
  assert.equal(
    await c.cmd("s4", "STORE 1 +FLAGS \\Bogus"),
    "s4 BAD Error in IMAP command: Invalid system flag \\Bogus.\r\n",
  );
  assert.equal(
    await c.cmd("s5", "STORE 9 +FLAGS \\Seen"),
    "s5 BAD Error in IMAP command: invalid message sequence number.\r\n",
  );
  const search = async (q: string) => (await c.cmd("q", `SEARCH ${q}`)).split("\r\n")[0];
  assert.equal(await search("ALL"), "* SEARCH 1 2");
  assert.equal(await search("FLAGGED NOT DELETED"), "* SEARCH 1");
  assert.equal(await search("OR 1 DELETED"), "* SEARCH 1 2");
  assert.equal(await search("KEYWORD junk"), "* SEARCH 1");
  assert.equal(await search("SUBJECT café"), "* SEARCH 1");
  assert.equal(await search("CHARSET ISO-8859-1 SUBJECT caf"), "* SEARCH 1");
  assert.equal(await search("BODY naïve"), "* SEARCH 1");
  assert.equal(await search('TEXT "inner body"'), "* SEARCH 1");
  assert.equal(await search("FROM jörg"), "* SEARCH 1");
  assert.equal(await search("SENTON 15-Nov-2023"), "* SEARCH 2");
  assert.equal(await search("SENTBEFORE 15-Nov-2023 SINCE 1-Jan-2020"), "* SEARCH 1");
  assert.equal(await search("ON 16-Nov-2023"), "* SEARCH 2");
  assert.equal(await search("LARGER 100"), "* SEARCH 1");
  assert.equal(await search("SMALLER 100 UID 1:*"), "* SEARCH 2");
  assert.equal(await search("HEADER Message-ID m1"), "* SEARCH 1");
  assert.equal(await search("(NEW) 2:*"), "* SEARCH 2");
  assert.equal(await search("UNSEEN"), "* SEARCH 2");
  assert.equal(await c.cmd("u", "UID SEARCH 2"), "* SEARCH 2\r\nu OK SEARCH done.\r\n");
  assert.equal(
    await c.cmd("q1", "SEARCH CHARSET X-NOPE ALL"),
    "q1 NO [BADCHARSET (UTF-8 US-ASCII)] Unknown search charset.\r\n",
  );
  assert.equal(await c.cmd("q2", "SEARCH FOO"), "q2 BAD Error in IMAP command: Unknown search key FOO.\r\n");
  assert.equal(await c.cmd("c1", "COPY 1:2 INBOX.Nope"), "c1 NO [TRYCREATE] Mailbox does not exist.\r\n");
  await c.cmd("c", "CREATE INBOX.Arch");
  assert.match(
    await c.cmd("c2", "COPY 1:2 INBOX.Arch"),
    /^c2 OK \[COPYUID \d+ 1:2 1:2\] COPY completed\.\r\n$/,
  );
  assert.equal(
    await c.cmd("c3", "UID COPY 1 INBOX"),
    `* 3 EXISTS\r\n* 2 RECENT\r\nc3 OK [COPYUID ${v} 1 3] UID COPY completed.\r\n`,
  );
  assert.equal(
    await c.cmd("e1", "EXPUNGE"),
    "* 2 EXPUNGE\r\n* 2 EXISTS\r\n* 1 RECENT\r\ne1 OK EXPUNGE completed\r\n",
  );
  assert.match(await c.cmd("e2", "STATUS INBOX.Arch (MESSAGES UIDNEXT)"), /\(MESSAGES 2 UIDNEXT 3\)/);
  assert.match(
    await c.cmd("x", "EXAMINE INBOX.Arch"),
    /\[PERMANENTFLAGS \(\)\][\s\S]*x OK \[READ-ONLY\] Ok\r\n$/,
  );
  assert.equal(await c.cmd("x1", "STORE 1 +FLAGS \\Seen"), "x1 NO Current box is selected READ-ONLY.\r\n");
  assert.equal(await c.cmd("x2", "EXPUNGE"), "x2 NO Cannot expunge read-only mailbox.\r\n");
  // CLOSE on read-only: no expunge
  assert.equal(await c.cmd("x3", "CLOSE"), "x3 OK mailbox closed.\r\n");
  assert.equal(await c.cmd("x4", "FETCH 1 FLAGS"), "x4 BAD No mailbox selected.\r\n");
  await c.cmd("s", "SELECT INBOX.Arch");
  await c.cmd("d", "STORE 1:* +FLAGS.SILENT \\Deleted");
  assert.equal(await c.cmd("x5", "CLOSE"), "x5 OK mailbox closed.\r\n");
  assert.match(await c.cmd("x6", "STATUS INBOX.Arch (MESSAGES)"), /\(MESSAGES 0\)/);
});

test("two sessions on one mailbox: NOOP reports the other's STORE, APPEND and EXPUNGE; FETCH never EXPUNGEs", async (t) => {
  const { w, c } = await setup(t);
  const d = await loggedIn(w, { IMAP_UIDV_DELAY_MS: "0" });
  await d.cmd("s", "SELECT INBOX");
  await d.cmd("d1", "STORE 1 +FLAGS.SILENT (\\Deleted)");
  await d.cmd("d2", "EXPUNGE");
  await d.cmd("d3", "STORE 1 +FLAGS.SILENT (\\Answered)");
  d.send("d4 APPEND INBOX {14+}\r\nSubject: n\r\n\r\n\r\n");
  await d.until("d4");
  // message 1 vanished for c, but FETCH must not say EXPUNGE (it still answers from what it knew)
  assert.equal(
    await c.cmd("f", "FETCH 1:2 UID"),
    "* 1 FETCH (UID 1)\r\n* 2 FETCH (UID 2)\r\nf OK FETCH completed.\r\n",
  );
  assert.equal(
    await c.cmd("n", "NOOP"),
    "* 1 EXPUNGE\r\n* 2 EXISTS\r\n* 1 RECENT\r\n* 1 FETCH (FLAGS (\\Answered \\Recent))\r\nn OK NOOP completed\r\n",
  );
  assert.equal(
    await c.cmd("u", "UID FETCH 1:* UID"),
    "* 1 FETCH (UID 2)\r\n* 2 FETCH (UID 3)\r\nu OK UID FETCH completed.\r\n",
  );
});
