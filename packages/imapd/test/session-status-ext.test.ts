// Golden transcripts of STATUS=SIZE (RFC 8438) and APPENDLIMIT (RFC 7889), with the RFCs'
// examples: advertised from IMAP_CAPABILITY and IMAP_APPENDLIMIT.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type Client, makeWorld, putMessage, spawnImapd, type World } from "./harness.js";

const CAPS = "IMAP4rev1 LITERAL+ UIDPLUS STATUS=SIZE";
const ENV = { IMAP_UIDV_DELAY_MS: "0", IMAP_CAPABILITY: CAPS };
// "Subject: mN\n\nbody N\n": 20 octets and 3 LFs, so RFC822.SIZE 23
const MSG = (n: number) => `Subject: m${n}\n\nbody ${n}\n`;

async function loggedIn(world: World, env: Record<string, string>): Promise<Client> {
  const c = spawnImapd(world, env);
  assert.match(await c.line(), /^\* OK \[CAPABILITY /);
  assert.equal(await c.cmd("L", "LOGIN joe secret"), "L OK LOGIN Ok.\r\n");
  return c;
}

async function setup(t: { after: (f: () => Promise<void>) => void }, env: Record<string, string> = {}) {
  const w = await makeWorld();
  t.after(w.cleanup);
  putMessage(w, "cur", "1700000000.M1P1.host:2,S", MSG(1), 1700000000);
  putMessage(w, "cur", "1700000100.M2P1.host:2,", MSG(2), 1700000100);
  putMessage(w, "cur", "1700000200.M3P1.host:2,F", MSG(3), 1700000200);
  const c = await loggedIn(w, { ...ENV, ...env });
  return { w, c };
}

test("STATUS=SIZE (RFC 8438 example): sum of RFC822.SIZE, new/ included, other items kept", async (t) => {
  const { w, c } = await setup(t);
  assert.equal(
    await c.cmd("c", "CAPABILITY"),
    `* CAPABILITY ${CAPS} ENABLE UTF8=ACCEPT\r\nc OK CAPABILITY completed\r\n`,
  );
  assert.equal(
    await c.cmd("t", "STATUS INBOX (MESSAGES SIZE)"),
    '* STATUS "INBOX" (MESSAGES 3 SIZE 69)\r\nt OK STATUS Completed.\r\n',
  );
  writeFileSync(join(w.maildir, "new", "1700000300.M4P1.host"), "Subject: new\n\nx\n");
  assert.equal(
    await c.cmd("t2", "STATUS INBOX (SIZE UNSEEN MESSAGES)"),
    '* STATUS "INBOX" (SIZE 88 UNSEEN 3 MESSAGES 4)\r\nt2 OK STATUS Completed.\r\n',
  );
  await c.cmd("cr", "CREATE INBOX.Empty");
  assert.equal(
    await c.cmd("t3", "STATUS INBOX.Empty (SIZE)"),
    '* STATUS "INBOX.Empty" (SIZE 0)\r\nt3 OK STATUS Completed.\r\n',
  );
  // the same folder selected: the size does not change by moving new/ to cur/
  await c.cmd("s", "SELECT INBOX");
  assert.equal(
    await c.cmd("t4", "STATUS INBOX SIZE"),
    '* STATUS "INBOX" (SIZE 88)\r\nt4 OK STATUS Completed.\r\n',
  );
  assert.equal(
    await c.cmd("t5", "STATUS INBOX.Nowhere (SIZE)"),
    "t5 NO Mailbox does not exist, or must be subscribed to.\r\n",
  );
  assert.match(await c.cmd("t6", "STATUS INBOX (APPENDLIMIT)"), /^t6 BAD /);
});

test("STATUS SIZE is refused when STATUS=SIZE is not advertised", async (t) => {
  const { c } = await setup(t, { IMAP_CAPABILITY: "IMAP4rev1" });
  assert.match(await c.cmd("t", "STATUS INBOX (SIZE)"), /^t BAD /);
});

test("APPENDLIMIT (RFC 7889 examples): APPENDLIMIT=<n>, STATUS APPENDLIMIT, NO [TOOBIG]", async (t) => {
  const { c } = await setup(t, { IMAP_CAPABILITY: `${CAPS} APPENDLIMIT`, IMAP_APPENDLIMIT: "257890" });
  assert.equal(
    await c.cmd("t1", "CAPABILITY"),
    `* CAPABILITY ${CAPS} APPENDLIMIT=257890 ENABLE UTF8=ACCEPT\r\nt1 OK CAPABILITY completed\r\n`,
  );
  assert.equal(
    await c.cmd("t2", "STATUS INBOX (APPENDLIMIT)"),
    '* STATUS "INBOX" (APPENDLIMIT 257890)\r\nt2 OK STATUS Completed.\r\n',
  );
  // a synchronizing literal over the limit is refused before the continuation
  c.send("a1 APPEND INBOX {300000}\r\n");
  assert.equal(await c.line(), "a1 NO [TOOBIG] Message too large, the limit is 257890 octets.\r\n");
  // a LITERAL+ one is refused and its octets skipped
  c.send(`a2 APPEND INBOX {300000+}\r\n${"x".repeat(299998)}\r\n\r\n`);
  assert.equal(await c.line(), "a2 NO [TOOBIG] Message too large, the limit is 257890 octets.\r\n");
  // at the limit: accepted
  const body = `Subject: big\r\n\r\n${"y".repeat(257890 - 18)}\r\n`;
  assert.equal(body.length, 257890);
  c.send(`a3 APPEND INBOX {${body.length}+}\r\n${body}\r\n`);
  assert.match(await c.until("a3"), /^a3 OK \[APPENDUID \d+ 4\] APPEND Ok\.\r\n$/);
  assert.equal(
    await c.cmd("t3", "STATUS INBOX (MESSAGES APPENDLIMIT SIZE)"),
    `* STATUS "INBOX" (MESSAGES 4 APPENDLIMIT 257890 SIZE ${69 + 257890})\r\nt3 OK STATUS Completed.\r\n`,
  );
});

test("APPENDLIMIT without IMAP_APPENDLIMIT: bare, STATUS gives NIL; unset otherwise", async (t) => {
  const { w, c } = await setup(t, { IMAP_CAPABILITY: "IMAP4rev1 APPENDLIMIT" });
  assert.equal(
    await c.cmd("t1", "CAPABILITY"),
    "* CAPABILITY IMAP4rev1 APPENDLIMIT ENABLE UTF8=ACCEPT\r\nt1 OK CAPABILITY completed\r\n",
  );
  assert.equal(
    await c.cmd("t2", "STATUS INBOX (APPENDLIMIT)"),
    '* STATUS "INBOX" (APPENDLIMIT NIL)\r\nt2 OK STATUS Completed.\r\n',
  );
  const d = await loggedIn(w, { ...ENV, IMAP_CAPABILITY: "IMAP4rev1", IMAP_APPENDLIMIT: "0" });
  assert.equal(
    await d.cmd("t3", "CAPABILITY"),
    "* CAPABILITY IMAP4rev1 ENABLE UTF8=ACCEPT\r\nt3 OK CAPABILITY completed\r\n",
  );
  // the limit applies even when the admin forgot to list APPENDLIMIT
  const e = await loggedIn(w, { ...ENV, IMAP_CAPABILITY: "IMAP4rev1", IMAP_APPENDLIMIT: "10" });
  assert.equal(
    await e.cmd("t4", "CAPABILITY"),
    "* CAPABILITY IMAP4rev1 APPENDLIMIT=10 ENABLE UTF8=ACCEPT\r\nt4 OK CAPABILITY completed\r\n",
  );
  assert.equal(
    await e.cmd("a", "APPEND INBOX {11+}\r\nSubject: x\r"),
    "a NO [TOOBIG] Message too large, the limit is 10 octets.\r\n",
  );
});
