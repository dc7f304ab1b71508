// Golden transcripts of CREATE-SPECIAL-USE (RFC 6154 §3, with §5.3's example in Courier's
// namespace): CREATE … (USE (…)) only when advertised, NO [USEATTR] for what cannot be given
// (nothing created), the attributes shown by LIST over IMAP_SPECIAL_USE's, kept through
// RENAME (also of a parent), gone with DELETE.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type Client, makeWorld, spawnImapd, type World } from "./harness.js";

const CAPS = "IMAP4rev1 CHILDREN SPECIAL-USE CREATE-SPECIAL-USE LIST-EXTENDED";
const ENV = { IMAP_UIDV_DELAY_MS: "0", IMAP_CAPABILITY: CAPS };

async function loggedIn(world: World, env: Record<string, string>): Promise<Client> {
  const c = spawnImapd(world, env);
  assert.match(await c.line(), /^\* OK \[CAPABILITY /);
  assert.equal(await c.cmd("L", "LOGIN joe secret"), "L OK LOGIN Ok.\r\n");
  return c;
}

async function setup(t: { after: (f: () => Promise<void>) => void }, env: Record<string, string> = {}) {
  const w = await makeWorld();
  t.after(w.cleanup);
  return { w, c: await loggedIn(w, { ...ENV, ...env }) };
}

const list = async (c: Client, args: string) => {
  const lines = (await c.cmd("l", `LIST ${args}`)).split(/(?<=\r\n)/);
  assert.equal(lines.pop(), "l OK LIST completed\r\n");
  return lines.sort().join("");
};

test("CREATE-SPECIAL-USE: RFC 6154 §5.3 example; LIST shows the folder's own attributes", async (t) => {
  const { w, c } = await setup(t);
  assert.equal(
    await c.cmd("t1", "CREATE INBOX.MySpecial (USE (\\Drafts \\Sent))"),
    't1 OK "INBOX.MySpecial" created.\r\n',
  );
  assert.equal(
    await c.cmd("t2", "CREATE INBOX.Everything (USE (\\All))"),
    "t2 NO [USEATTR] \\All not supported\r\n",
  );
  assert.equal(existsSync(join(w.maildir, ".Everything")), false);
  assert.equal(
    readFileSync(join(w.maildir, ".MySpecial", "courierimapspecialuse"), "utf8"),
    "\\Drafts\n\\Sent\n",
  );
  // IMAP_SPECIAL_USE's names still apply; a folder's own attributes take their place
  assert.match(await c.cmd("c1", "CREATE INBOX.Sent"), /^c1 OK /);
  assert.match(await c.cmd("c2", "CREATE INBOX.Junk (use (\\archive))"), /^c2 OK /);
  assert.match(await c.cmd("c3", "CREATE INBOX.Plain (USE ())"), /^c3 OK /);
  assert.equal(existsSync(join(w.maildir, ".Plain", "courierimapspecialuse")), false);
  assert.equal(
    await list(c, '"" "*"'),
    '* LIST (\\HasChildren) "." "INBOX"\r\n' +
      '* LIST (\\HasNoChildren \\Archive) "." "INBOX.Junk"\r\n' +
      '* LIST (\\HasNoChildren \\Drafts \\Sent) "." "INBOX.MySpecial"\r\n' +
      '* LIST (\\HasNoChildren \\Sent) "." "INBOX.Sent"\r\n' +
      '* LIST (\\HasNoChildren) "." "INBOX.Plain"\r\n',
  );
  assert.equal(
    await list(c, '(SPECIAL-USE) "" "*"'),
    '* LIST (\\HasNoChildren \\Archive) "." "INBOX.Junk"\r\n' +
      '* LIST (\\HasNoChildren \\Drafts \\Sent) "." "INBOX.MySpecial"\r\n' +
      '* LIST (\\HasNoChildren \\Sent) "." "INBOX.Sent"\r\n',
  );
  // another session sees them too
  const d = await loggedIn(w, ENV);
  assert.equal(
    await list(d, '"" "INBOX.MySpecial" RETURN (SPECIAL-USE)'),
    '* LIST (\\HasNoChildren \\Drafts \\Sent) "." "INBOX.MySpecial"\r\n',
  );
});

test("CREATE-SPECIAL-USE: USEATTR and BAD cases; INBOX and hierarchy names take none", async (t) => {
  const { w, c } = await setup(t);
  assert.equal(
    await c.cmd("u1", "CREATE INBOX.X (USE (\\Important))"),
    "u1 NO [USEATTR] \\Important not supported\r\n",
  );
  assert.equal(
    await c.cmd("u2", "CREATE INBOX.X (USE (\\Sent \\Flagged))"),
    "u2 NO [USEATTR] \\Flagged not supported\r\n",
  );
  assert.equal(
    await c.cmd("u3", "CREATE INBOX.H. (USE (\\Sent))"),
    "u3 NO [USEATTR] A hierarchy name cannot have a special use\r\n",
  );
  assert.equal(await c.cmd("u4", "CREATE INBOX (USE (\\Sent))"), "u4 NO INBOX already exists!\r\n");
  assert.match(await c.cmd("b1", "CREATE INBOX.X (USE (Sent))"), /^b1 BAD /);
  assert.match(await c.cmd("b2", "CREATE INBOX.X (COLOR red)"), /^b2 BAD /);
  assert.match(await c.cmd("b3", "CREATE INBOX.X (USE (\\Sent) USE (\\Drafts))"), /^b3 BAD /);
  assert.match(await c.cmd("b4", "CREATE INBOX.X (USE \\Sent)"), /^b4 BAD /);
  assert.match(await c.cmd("b5", "CREATE INBOX.X USE"), /^b5 BAD /);
  assert.equal(existsSync(join(w.maildir, ".X")), false);
  assert.equal(await list(c, '"" "INBOX*"'), '* LIST (\\HasNoChildren) "." "INBOX"\r\n');
});

test("CREATE-SPECIAL-USE: kept through RENAME (of the folder and of a parent), removed by DELETE", async (t) => {
  const { c } = await setup(t);
  assert.match(await c.cmd("c1", "CREATE INBOX.Old (USE (\\Trash))"), /^c1 OK /);
  assert.match(await c.cmd("c2", "CREATE INBOX.P"), /^c2 OK /);
  assert.match(await c.cmd("c3", "CREATE INBOX.P.Kid (USE (\\Archive))"), /^c3 OK /);
  assert.match(await c.cmd("r1", "RENAME INBOX.Old INBOX.New"), /^r1 OK /);
  assert.match(await c.cmd("r2", "RENAME INBOX.P INBOX.Q"), /^r2 OK /);
  assert.equal(
    await list(c, '"" "INBOX.*"'),
    '* LIST (\\HasChildren) "." "INBOX.Q"\r\n' +
      '* LIST (\\HasNoChildren \\Archive) "." "INBOX.Q.Kid"\r\n' +
      '* LIST (\\HasNoChildren \\Trash) "." "INBOX.New"\r\n',
  );
  assert.match(await c.cmd("d1", "DELETE INBOX.New"), /^d1 OK /);
  assert.match(await c.cmd("c4", "CREATE INBOX.New"), /^c4 OK /);
  assert.equal(await list(c, '"" "INBOX.New"'), '* LIST (\\HasNoChildren) "." "INBOX.New"\r\n');
});

test("CREATE-SPECIAL-USE not advertised: CREATE with parameters is a BAD; the rest unchanged", async (t) => {
  const { w, c } = await setup(t, { IMAP_CAPABILITY: "IMAP4rev1 CHILDREN SPECIAL-USE" });
  assert.equal(
    await c.cmd("t1", "CREATE INBOX.MySpecial (USE (\\Drafts))"),
    "t1 BAD Error in IMAP command: wrong number of arguments.\r\n",
  );
  assert.equal(existsSync(join(w.maildir, ".MySpecial")), false);
  assert.equal(await c.cmd("t2", "CREATE INBOX.Drafts"), 't2 OK "INBOX.Drafts" created.\r\n');
  assert.equal(await list(c, '"" "INBOX.*"'), '* LIST (\\HasNoChildren \\Drafts) "." "INBOX.Drafts"\r\n');
});
