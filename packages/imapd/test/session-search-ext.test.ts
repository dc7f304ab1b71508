// Golden transcripts of the SEARCH extensions of issue 7: ESEARCH (RFC 4731) and WITHIN
// (RFC 5032), with the RFCs' own examples, advertised from IMAP_CAPABILITY.

import assert from "node:assert/strict";
import { test } from "node:test";
import { type Client, makeWorld, putMessage, spawnImapd, type World } from "./harness.js";

const CAPS = "IMAP4rev1 LITERAL+ UIDPLUS ESEARCH WITHIN";
const ENV = { IMAP_UIDV_DELAY_MS: "0", IMAP_CAPABILITY: CAPS };

async function loggedIn(world: World, env: Record<string, string>): Promise<Client> {
  const c = spawnImapd(world, env);
  assert.match(await c.line(), /^\* OK \[CAPABILITY /);
  assert.equal(await c.cmd("L", "LOGIN joe secret"), "L OK LOGIN Ok.\r\n");
  return c;
}

/**
 * Eleven messages for the RFC 4731 example `FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"`,
 * which must hit 2, 10 and 11: 5 is flagged but from Smith, 7 flagged but from 1992.
 */
async function rfc4731World(t: { after: (f: () => Promise<void>) => void }, env = ENV) {
  const w = await makeWorld();
  t.after(w.cleanup);
  const flagged = new Set([2, 5, 7, 10, 11]);
  for (let i = 1; i <= 11; i++) {
    const name = 1700000000 + i * 100;
    const when = i === 7 ? 700000000 : name;
    const from = i === 5 ? "John Smith <smith@example.com>" : `Person ${i} <p${i}@example.com>`;
    putMessage(
      w,
      "cur",
      `${name}.M${i}P1.host:2,${flagged.has(i) ? "F" : ""}${i % 3 === 0 ? "S" : ""}`,
      `From: ${from}\nSubject: m${i}\n\nbody ${i}\n`,
      when,
    );
  }
  const c = await loggedIn(w, env);
  await c.cmd("s", "SELECT INBOX");
  return { w, c };
}

test("ESEARCH: CAPABILITY lists it; RFC 4731 §3.1 examples (MIN COUNT, RETURN () = ALL)", async (t) => {
  const { c } = await rfc4731World(t);
  assert.equal(
    await c.cmd("c", "CAPABILITY"),
    `* CAPABILITY ${CAPS} ENABLE UTF8=ACCEPT\r\nc OK CAPABILITY completed\r\n`,
  );
  assert.equal(
    await c.cmd("A282", 'SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"'),
    '* ESEARCH (TAG "A282") MIN 2 COUNT 3\r\nA282 OK SEARCH done.\r\n',
  );
  assert.equal(
    await c.cmd("A283", 'SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"'),
    '* ESEARCH (TAG "A283") ALL 2,10:11\r\nA283 OK SEARCH done.\r\n',
  );
  // without RETURN: the RFC 3501 reply, unchanged
  assert.equal(
    await c.cmd("A284", 'SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"'),
    "* SEARCH 2 10 11\r\nA284 OK SEARCH done.\r\n",
  );
});

test("ESEARCH: UID SEARCH, MIN MAX ALL COUNT in one, no match, CHARSET after RETURN, errors", async (t) => {
  const { c } = await rfc4731World(t);
  assert.equal(
    await c.cmd("A285", "UID SEARCH RETURN (MIN MAX) 1:5000"),
    '* ESEARCH (TAG "A285") UID MIN 1 MAX 11\r\nA285 OK SEARCH done.\r\n',
  );
  assert.equal(
    await c.cmd("A286", "SEARCH RETURN (COUNT) FLAGGED"),
    '* ESEARCH (TAG "A286") COUNT 5\r\nA286 OK SEARCH done.\r\n',
  );
  assert.equal(
    await c.cmd("a1", "UID SEARCH RETURN (ALL COUNT MAX MIN) UNSEEN"),
    '* ESEARCH (TAG "a1") UID MIN 1 MAX 11 ALL 1:2,4:5,7:8,10:11 COUNT 8\r\na1 OK SEARCH done.\r\n',
  );
  assert.equal(
    await c.cmd("a2", "SEARCH RETURN (MIN MAX ALL COUNT) DELETED"),
    '* ESEARCH (TAG "a2") COUNT 0\r\na2 OK SEARCH done.\r\n',
  );
  assert.equal(
    await c.cmd("a3", "SEARCH RETURN (MIN) DELETED"),
    '* ESEARCH (TAG "a3")\r\na3 OK SEARCH done.\r\n',
  );
  assert.equal(
    await c.cmd("a4", 'SEARCH RETURN (ALL) CHARSET UTF-8 SUBJECT "m1"'),
    '* ESEARCH (TAG "a4") ALL 1,10:11\r\na4 OK SEARCH done.\r\n',
  );
  assert.match(await c.cmd("a5", "SEARCH RETURN (FIRST) ALL"), /^a5 BAD /);
  assert.match(await c.cmd("a6", "SEARCH RETURN MIN ALL"), /^a6 BAD /);
  assert.match(await c.cmd("a7", "SEARCH RETURN (MIN)"), /^a7 BAD /);
  assert.equal(await c.cmd("a8", "SEARCH 1:3"), "* SEARCH 1 2 3\r\na8 OK SEARCH done.\r\n");
});

test("ESEARCH not advertised: RETURN is not a search key, as before", async (t) => {
  const { c } = await rfc4731World(t, { ...ENV, IMAP_CAPABILITY: "IMAP4rev1" });
  assert.match(await c.cmd("a", "SEARCH RETURN (MIN) ALL"), /^a BAD /);
});

test("WITHIN (RFC 5032): YOUNGER/OLDER by internal date, the RFC example, with ESEARCH", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const now = Math.floor(Date.now() / 1000);
  putMessage(w, "cur", `${now - 10 * 86400}.M1P1.host:2,`, "Subject: ten days\n\nx\n", now - 10 * 86400);
  putMessage(w, "cur", `${now - 2 * 86400}.M2P1.host:2,S`, "Subject: two days\n\nx\n", now - 2 * 86400);
  putMessage(w, "cur", `${now - 3600}.M3P1.host:2,`, "Subject: an hour\n\nx\n", now - 3600);
  putMessage(w, "cur", `${now - 60}.M4P1.host:2,S`, "Subject: a minute\n\nx\n", now - 60);
  const c = await loggedIn(w, ENV);
  await c.cmd("s", "SELECT INBOX");
  // RFC 5032 §4: unseen messages of the last three days
  assert.equal(await c.cmd("a1", "SEARCH UNSEEN YOUNGER 259200"), "* SEARCH 3\r\na1 OK SEARCH done.\r\n");
  assert.equal(await c.cmd("a2", "SEARCH OLDER 86400"), "* SEARCH 1 2\r\na2 OK SEARCH done.\r\n");
  assert.equal(await c.cmd("a3", "SEARCH YOUNGER 86400"), "* SEARCH 3 4\r\na3 OK SEARCH done.\r\n");
  assert.equal(
    await c.cmd("a4", "UID SEARCH OR OLDER 604800 YOUNGER 600"),
    "* SEARCH 1 4\r\na4 OK SEARCH done.\r\n",
  );
  assert.equal(await c.cmd("a5", "SEARCH NOT YOUNGER 7200"), "* SEARCH 1 2\r\na5 OK SEARCH done.\r\n");
  assert.equal(
    await c.cmd("a6", "SEARCH RETURN (COUNT ALL) YOUNGER 259200"),
    '* ESEARCH (TAG "a6") ALL 2:4 COUNT 3\r\na6 OK SEARCH done.\r\n',
  );
  assert.match(await c.cmd("b1", "SEARCH OLDER 0"), /^b1 BAD /);
  assert.match(await c.cmd("b2", "SEARCH YOUNGER -5"), /^b2 BAD /);
  assert.match(await c.cmd("b3", "SEARCH OLDER"), /^b3 BAD /);
  assert.match(await c.cmd("b4", "SEARCH YOUNGER 1d"), /^b4 BAD /);
});
