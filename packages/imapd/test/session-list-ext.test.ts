// Golden transcripts of LIST-EXTENDED (RFC 5258) and LIST-STATUS (RFC 5819), with the RFCs'
// examples translated to Courier's namespace (INBOX., separator "."), advertised from
// IMAP_CAPABILITY; basic LIST stays as it was.

import assert from "node:assert/strict";
import { test } from "node:test";
import { type Client, makeWorld, putMessage, spawnImapd, type World } from "./harness.js";

const CAPS = "IMAP4rev1 CHILDREN SPECIAL-USE LIST-EXTENDED LIST-STATUS STATUS=SIZE";
const ENV = { IMAP_UIDV_DELAY_MS: "0", IMAP_CAPABILITY: CAPS };

async function loggedIn(world: World, env: Record<string, string>): Promise<Client> {
  const c = spawnImapd(world, env);
  assert.match(await c.line(), /^\* OK \[CAPABILITY /);
  assert.equal(await c.cmd("L", "LOGIN joe secret"), "L OK LOGIN Ok.\r\n");
  return c;
}

/** INBOX (2 messages, 1 unseen), Sent, Drafts, Fruit.banana, Fruit.apple, Vegetable; subscriptions. */
async function setup(t: { after: (f: () => Promise<void>) => void }, env: Record<string, string> = {}) {
  const w = await makeWorld();
  t.after(w.cleanup);
  putMessage(w, "cur", "1700000000.M1P1.host:2,S", "Subject: a\n\nx\n", 1700000000);
  putMessage(w, "cur", "1700000100.M2P1.host:2,", "Subject: b\n\nx\n", 1700000100);
  const c = await loggedIn(w, { ...ENV, ...env });
  for (const f of ["Sent", "Drafts", "Fruit.banana", "Fruit.apple", "Vegetable"])
    assert.match(await c.cmd("c", `CREATE INBOX.${f}`), /^c OK /);
  for (const f of ["INBOX", "INBOX.Fruit.banana", "INBOX.Fruit.peach", "INBOX.Vegetable"])
    assert.match(await c.cmd("s", `SUBSCRIBE ${f}`), /^s OK /);
  return { w, c };
}

const sortLines = (r: string) => {
  const lines = r.split(/(?<=\r\n)/);
  const tagged = lines.pop()!;
  return `${lines.sort().join("")}${tagged}`;
};

test("LIST-EXTENDED: RFC 5258 §5 (SUBSCRIBED) example, \\NonExistent, basic LIST unchanged", async (t) => {
  const { c } = await setup(t);
  assert.equal(
    sortLines(await c.cmd("A02", 'LIST (SUBSCRIBED) "" "*"')),
    '* LIST (\\HasChildren \\Subscribed) "." "INBOX"\r\n' +
      '* LIST (\\HasNoChildren \\Subscribed) "." "INBOX.Fruit.banana"\r\n' +
      '* LIST (\\HasNoChildren \\Subscribed) "." "INBOX.Vegetable"\r\n' +
      '* LIST (\\NonExistent \\Subscribed) "." "INBOX.Fruit.peach"\r\n' +
      "A02 OK LIST completed\r\n",
  );
  assert.equal(
    await c.cmd("A03", 'LIST "" "INBOX.Fruit.%"'),
    '* LIST (\\HasNoChildren) "." "INBOX.Fruit.apple"\r\n* LIST (\\HasNoChildren) "." "INBOX.Fruit.banana"\r\nA03 OK LIST completed\r\n'
      .split("\r\n")
      .filter(Boolean)
      .sort()
      .map((l) => `${l}\r\n`)
      .join("")
      .replace(/^(A03 .*\r\n)(.*)$/s, "$2$1"),
  );
});

test("LIST-EXTENDED: RETURN (SUBSCRIBED CHILDREN), several patterns, RECURSIVEMATCH CHILDINFO", async (t) => {
  const { c } = await setup(t);
  assert.equal(
    sortLines(await c.cmd("A04", 'LIST "" ("INBOX" "INBOX.Fruit.%") RETURN (SUBSCRIBED CHILDREN)')),
    '* LIST (\\HasChildren \\Subscribed) "." "INBOX"\r\n' +
      '* LIST (\\HasNoChildren \\Subscribed) "." "INBOX.Fruit.banana"\r\n' +
      '* LIST (\\HasNoChildren) "." "INBOX.Fruit.apple"\r\n' +
      "A04 OK LIST completed\r\n",
  );
  // RFC 5258 §5 example 6: a parent not subscribed but with a subscribed child
  assert.equal(
    sortLines(await c.cmd("C04", 'LIST (SUBSCRIBED RECURSIVEMATCH) "INBOX." "%" RETURN (CHILDREN)')),
    '* LIST (\\HasNoChildren \\Subscribed) "." "INBOX.Vegetable"\r\n' +
      '* LIST (\\Noselect \\HasChildren) "." "INBOX.Fruit" ("CHILDINFO" ("SUBSCRIBED"))\r\n' +
      "C04 OK LIST completed\r\n",
  );
  assert.match(await c.cmd("b1", 'LIST (RECURSIVEMATCH) "" "*"'), /^b1 BAD /);
  assert.match(await c.cmd("b2", 'LIST (BOGUS) "" "*"'), /^b2 BAD /);
  assert.match(await c.cmd("b3", 'LIST "" "*" RETURN (BOGUS)'), /^b3 BAD /);
  assert.match(await c.cmd("b4", 'LIST "" "*" RETURNS ()'), /^b4 BAD /);
  assert.equal(
    await c.cmd("b5", 'LIST (REMOTE) "" "INBOX.Sent"'),
    '* LIST (\\HasNoChildren \\Sent) "." "INBOX.Sent"\r\nb5 OK LIST completed\r\n',
  );
});

test("LIST-EXTENDED SPECIAL-USE selection and return option (RFC 6154 §5.1 examples)", async (t) => {
  const { c } = await setup(t);
  assert.equal(
    sortLines(await c.cmd("t1", 'LIST (SPECIAL-USE) "" "*"')),
    '* LIST (\\HasNoChildren \\Drafts) "." "INBOX.Drafts"\r\n' +
      '* LIST (\\HasNoChildren \\Sent) "." "INBOX.Sent"\r\n' +
      "t1 OK LIST completed\r\n",
  );
  assert.equal(
    await c.cmd("t3", 'LIST "" "INBOX.Sent" RETURN (SPECIAL-USE)'),
    '* LIST (\\HasNoChildren \\Sent) "." "INBOX.Sent"\r\nt3 OK LIST completed\r\n',
  );
});

test("LIST-STATUS (RFC 5819 example): a STATUS after each selectable mailbox, none for \\Noselect", async (t) => {
  const { c } = await setup(t);
  assert.equal(
    await c.cmd(
      "A01",
      'LIST "" ("INBOX" "INBOX.Fruit" "INBOX.Fruit.apple") RETURN (STATUS (MESSAGES UNSEEN SIZE))',
    ),
    '* LIST (\\HasChildren) "." "INBOX"\r\n' +
      '* STATUS "INBOX" (MESSAGES 2 UNSEEN 1 SIZE 34)\r\n' +
      '* LIST (\\Noselect \\HasChildren) "." "INBOX.Fruit"\r\n' +
      '* LIST (\\HasNoChildren) "." "INBOX.Fruit.apple"\r\n' +
      '* STATUS "INBOX.Fruit.apple" (MESSAGES 0 UNSEEN 0 SIZE 0)\r\n' +
      "A01 OK LIST completed\r\n",
  );
  assert.match(await c.cmd("b1", 'LIST "" "*" RETURN (STATUS (BOGUS))'), /^b1 BAD /);
  assert.match(await c.cmd("b2", 'LIST "" "*" RETURN (STATUS)'), /^b2 BAD /);
});

test("LIST-EXTENDED and LIST-STATUS not advertised: extended syntax refused", async (t) => {
  const { c } = await setup(t, { IMAP_CAPABILITY: "IMAP4rev1 LIST-EXTENDED" });
  assert.match(await c.cmd("a", 'LIST "" "INBOX" RETURN (STATUS (MESSAGES))'), /^a BAD /);
  const { c: d } = await setup(t, { IMAP_CAPABILITY: "IMAP4rev1" });
  assert.match(await d.cmd("b", 'LIST (SUBSCRIBED) "" "*"'), /^b BAD /);
  assert.equal(
    await d.cmd("c", 'LIST "" "INBOX"'),
    '* LIST (\\HasChildren) "." "INBOX"\r\nc OK LIST completed\r\n',
  );
});
