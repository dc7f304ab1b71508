// Golden transcripts of APPEND with UTF8 (RFC 6855 §4): `UTF8 (~{n}…)` and `UTF8 (~{n+}…)`
// after ENABLE UTF8=ACCEPT, buffered and streamed (the `)` then follows the streamed
// literal); BAD before ENABLE or with a plain literal inside; Courier's ALERT for 8-bit
// headers in a plain literal (imapd-behaviour.md §7.5), the message stored all the same.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loggedIn, makeWorld } from "./harness.js";

const ALERT =
  "* OK [ALERT] Your IMAP client does not appear to correctly implement Unicode messages, see https://datatracker.ietf.org/doc/html/rfc6855\r\n";
const MSG = Buffer.from("Subject: Grüße aus Köln\r\nFrom: Jörg <jörg@bücher.example>\r\n\r\nHallo ☃\r\n");

async function setup(t: { after: (f: () => Promise<void>) => void }) {
  const w = await makeWorld();
  t.after(w.cleanup);
  const c = await loggedIn(w, { IMAP_UIDV_DELAY_MS: "0" });
  const v = /UIDVALIDITY (\d+)/.exec(await c.cmd("s", "SELECT INBOX"))![1];
  return { w, c, v };
}

const stored = (dir: string) =>
  readdirSync(join(dir, "cur"))
    .sort()
    .map((f) => readFileSync(join(dir, "cur", f)));

test("UTF8 APPEND is a BAD until ENABLE UTF8=ACCEPT; a large synchronising literal8 is then not asked for", async (t) => {
  const { w, c } = await setup(t);
  c.send(
    Buffer.concat([Buffer.from(`a1 APPEND INBOX UTF8 (~{${MSG.length}+}\r\n`), MSG, Buffer.from(")\r\n")]),
  );
  assert.equal(
    await c.until("a1"),
    "a1 BAD Error in IMAP command: UTF8 APPEND needs ENABLE UTF8=ACCEPT first.\r\n",
  );
  // a small literal is read (after `+ OK`) before the command is looked at; a large one is not
  c.send(`a2 APPEND INBOX UTF8 (~{${MSG.length}}\r\n`);
  assert.equal(await c.line(), "+ OK\r\n");
  c.send(Buffer.concat([MSG, Buffer.from(")\r\n")]));
  assert.equal(
    await c.until("a2"),
    "a2 BAD Error in IMAP command: UTF8 APPEND needs ENABLE UTF8=ACCEPT first.\r\n",
  );
  c.send(`a3 APPEND INBOX UTF8 (~{20000}\r\n`);
  assert.equal(
    await c.line(),
    "a3 BAD Error in IMAP command: UTF8 APPEND needs ENABLE UTF8=ACCEPT first.\r\n",
  );
  assert.equal(await c.cmd("n", "NOOP"), "n OK NOOP completed\r\n");
  assert.deepEqual(stored(w.maildir), []);
});

test("UTF8 APPEND after ENABLE: ~{n}, ~{n+}, streamed with `)` after the literal; no ALERT", async (t) => {
  const { w, c, v } = await setup(t);
  assert.equal(await c.cmd("e", "ENABLE UTF8=ACCEPT"), "* ENABLED UTF8=ACCEPT\r\ne OK Options enabled\r\n");
  c.send(`a1 APPEND INBOX (\\Seen) UTF8 (~{${MSG.length}}\r\n`);
  assert.equal(await c.line(), "+ OK\r\n");
  c.send(Buffer.concat([MSG, Buffer.from(")\r\n")]));
  assert.equal(await c.until("a1"), `* 1 EXISTS\r\n* 0 RECENT\r\na1 OK [APPENDUID ${v} 1] APPEND Ok.\r\n`);
  c.send(
    Buffer.concat([
      Buffer.from(`a2 APPEND INBOX " 5-Mar-2024 10:00:00 +0200" UTF8 (~{${MSG.length}+}\r\n`),
      MSG,
      Buffer.from(")\r\n"),
    ]),
  );
  assert.equal(await c.until("a2"), `* 2 EXISTS\r\n* 0 RECENT\r\na2 OK [APPENDUID ${v} 2] APPEND Ok.\r\n`);
  const body = `${"Grüße ".repeat(4000)}\r\n`;
  const big = Buffer.concat([MSG, Buffer.from(body)]);
  assert.ok(big.length > 8192, "streamed, past STREAM_THRESHOLD");
  c.send(`a3 APPEND INBOX UTF8 (~{${big.length}}\r\n`);
  assert.equal(await c.line(), "+ OK\r\n");
  c.send(Buffer.concat([big, Buffer.from(")\r\n")]));
  assert.equal(await c.until("a3"), `* 3 EXISTS\r\n* 0 RECENT\r\na3 OK [APPENDUID ${v} 3] APPEND Ok.\r\n`);
  c.send(
    Buffer.concat([Buffer.from(`a4 APPEND INBOX UTF8 (~{${big.length}+}\r\n`), big, Buffer.from(")\r\n")]),
  );
  assert.equal(await c.until("a4"), `* 4 EXISTS\r\n* 0 RECENT\r\na4 OK [APPENDUID ${v} 4] APPEND Ok.\r\n`);
  const lf = (b: Buffer) => b.toString("utf8").replaceAll("\r\n", "\n");
  assert.deepEqual(stored(w.maildir).map(lf), [MSG, MSG, big, big].map(lf));
  // the UTF-8 header comes back as it was sent (the harness reads responses as latin1)
  const subject = Buffer.from("Subject: Grüße aus Köln\r\n\r\n");
  assert.equal(
    await c.cmd("f", "FETCH 1:2 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])"),
    `* 1 FETCH (FLAGS (\\Seen) BODY[HEADER.FIELDS (SUBJECT)] {${subject.length}}\r\n${subject.toString("latin1")})\r\n` +
      `* 2 FETCH (FLAGS () BODY[HEADER.FIELDS (SUBJECT)] {${subject.length}}\r\n${subject.toString("latin1")})\r\n` +
      "f OK FETCH completed.\r\n",
  );
  assert.equal(
    await c.cmd("g", "FETCH 2 INTERNALDATE"),
    '* 2 FETCH (INTERNALDATE " 5-Mar-2024 08:00:00 +0000")\r\ng OK FETCH completed.\r\n',
  );
});

test("UTF8 APPEND syntax: plain literal inside, bare literal8, junk after a streamed literal8", async (t) => {
  const { c } = await setup(t);
  await c.cmd("e", "ENABLE UTF8=ACCEPT");
  c.send("b1 APPEND INBOX UTF8 ({5+}\r\nhello)\r\n");
  assert.equal(
    await c.until("b1"),
    "b1 BAD Error in IMAP command: UTF8 APPEND needs the message as a literal8 (~{n}).\r\n",
  );
  // a mailbox named UTF8 is not the UTF8 keyword
  c.send("b0 APPEND UTF8 (~{5+}\r\nhello)\r\n");
  assert.equal(
    await c.until("b0"),
    "b0 BAD Error in IMAP command: APPEND needs the message as a literal.\r\n",
  );
  c.send("b2 APPEND INBOX ~{5+}\r\nhello\r\n");
  assert.equal(await c.until("b2"), "b2 BAD Error in IMAP command: BINARY APPEND is not supported.\r\n");
  c.send("b3 APPEND INBOX UTF8 (~{5+} ~{5+}\r\nhello)\r\n");
  assert.match(await c.until("b3"), /^b3 BAD /);
  const big = `Subject: x\r\n\r\n${"y".repeat(9000)}\r\n`;
  // as for a plain streamed literal, the junk is seen only after the message was stored
  c.send(`b4 APPEND INBOX UTF8 (~{${big.length}+}\r\n${big} junk)\r\n`);
  assert.equal(
    await c.until("b4"),
    "b4 BAD Error in IMAP command: unexpected data after the APPEND literal.\r\n",
  );
  assert.equal(await c.cmd("n", "NOOP"), "* 1 EXISTS\r\n* 0 RECENT\r\nn OK NOOP completed\r\n");
});

test("8-bit headers in a plain literal: stored, with Courier's ALERT (buffered and streamed)", async (t) => {
  const { w, c, v } = await setup(t);
  c.send(Buffer.concat([Buffer.from(`a1 APPEND INBOX {${MSG.length}+}\r\n`), MSG, Buffer.from("\r\n")]));
  assert.equal(
    await c.until("a1"),
    `${ALERT}* 1 EXISTS\r\n* 0 RECENT\r\na1 OK [APPENDUID ${v} 1] APPEND Ok.\r\n`,
  );
  const big = Buffer.concat([MSG, Buffer.from("z".repeat(9000))]);
  c.send(Buffer.concat([Buffer.from(`a2 APPEND INBOX {${big.length}+}\r\n`), big, Buffer.from("\r\n")]));
  assert.equal(
    await c.until("a2"),
    `${ALERT}* 2 EXISTS\r\n* 0 RECENT\r\na2 OK [APPENDUID ${v} 2] APPEND Ok.\r\n`,
  );
  // 8-bit bytes only in the body: no ALERT
  const body8 = "Subject: plain\r\n\r\nGrüße\r\n";
  c.send(`a3 APPEND INBOX {${Buffer.byteLength(body8)}+}\r\n${body8}\r\n`);
  assert.equal(await c.until("a3"), `* 3 EXISTS\r\n* 0 RECENT\r\na3 OK [APPENDUID ${v} 3] APPEND Ok.\r\n`);
  assert.equal(stored(w.maildir).length, 3);
});
