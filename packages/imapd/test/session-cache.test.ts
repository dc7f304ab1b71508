// courierimapcache (maildir message-cache.ts, fetch/summary.ts) seen from the client: a
// record written by one session serves the next, survives a flag change, is never used
// for a replaced file, and a corrupt or unreadable cache changes no answer.

import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { loggedIn, makeWorld, putMessage, type World } from "./harness.js";

const CACHE = "courierimapcache";
const ONE = "From: Ann <a@b>\nSubject: one\nMessage-ID: <1@x>\n\nHello\nWorld\n";
const TWO = "From: b@c\nSubject: Re: one\nIn-Reply-To: <1@x>\nReferences: <1@x>\n\nsecond\n";
const ONE_NAME = "1700000100.M1P1.host";
const TWO_NAME = "1700000000.M2P1.host";
const FIXTURES = resolve(fileURLToPath(import.meta.url), "../../../../mime/test/fixtures");

async function world(): Promise<World> {
  const w = await makeWorld();
  putMessage(w, "cur", `${TWO_NAME}:2,S`, TWO, 1600000000);
  putMessage(w, "cur", `${ONE_NAME}:2,`, ONE, 1700000000);
  return w;
}

/** One session: SELECT INBOX, the commands, LOGOUT; the tagged exchanges. */
async function session(w: World, ...commands: string[]): Promise<string[]> {
  const c = await loggedIn(w);
  await c.cmd("s", "SELECT INBOX");
  const out: string[] = [];
  for (const [i, command] of commands.entries()) out.push(await c.cmd(`c${i}`, command));
  await c.cmd("z", "LOGOUT");
  await c.closed();
  return out;
}

const cacheText = (w: World) => readFileSync(join(w.maildir, CACHE), "utf8");

test("the cache written by one session serves the next, across a flag change, never for a replaced file", async (t) => {
  const w = await world();
  t.after(w.cleanup);
  const fetch = "FETCH 2 (ENVELOPE)";
  const [first] = await session(w, fetch);
  assert.match(first, /^\* 2 FETCH \(ENVELOPE \(NIL "one" \(\("Ann" NIL "a" "b"\)\)/);
  assert.equal(cacheText(w).split("\n").length, 3, "header line and one record");
  // Tampering with the record shows that the next session answers from it.
  writeFileSync(join(w.maildir, CACHE), cacheText(w).replace('\\"one\\"', '\\"cached\\"'));
  const [second] = await session(w, fetch, "STORE 2 +FLAGS (\\Flagged)");
  assert.equal(second, first.replace('"one"', '"cached"'));
  assert.ok(readdirSync(join(w.maildir, "cur")).includes(`${ONE_NAME}:2,F`));
  const [third] = await session(w, fetch);
  assert.equal(third, second, "the record is kept after the rename");
  // The same name with other content: the record is not used, and is replaced.
  putMessage(w, "cur", `${ONE_NAME}:2,F`, ONE.replace("one", "uno"), 1700000001);
  const [fourth] = await session(w, fetch);
  assert.equal(fourth, first.replace('"one"', '"uno"'));
  assert.ok(cacheText(w).includes('\\"uno\\"'));
});

test("a corrupt or unreadable cache changes no answer", async (t) => {
  const w = await world();
  t.after(w.cleanup);
  const commands = [
    "FETCH 1:* (RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (Subject)])",
    'SEARCH SUBJECT "one"',
    "SORT (SUBJECT) UTF-8 ALL",
    "THREAD REFERENCES UTF-8 ALL",
  ];
  const clean = await session(w, ...commands);
  writeFileSync(join(w.maildir, CACHE), "courier-imap-ts cache 1 imapd-summary-1\nx\ty\tz\n\x00\xff{\n");
  assert.deepEqual(await session(w, ...commands), clean);
  assert.match(cacheText(w), /^courier-imap-ts cache 1 imapd-summary-1\n.+\t.+\t\{/);
  rmSync(join(w.maildir, CACHE));
  mkdirSync(join(w.maildir, CACHE));
  assert.deepEqual(await session(w, ...commands), clean);
  assert.deepEqual(readdirSync(join(w.maildir, "tmp")), []);
});

test("cold and warm sessions answer byte for byte the same (MIME fixtures)", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const names = readdirSync(FIXTURES).filter((n) => n.endsWith(".eml"));
  names.forEach((n, i) => {
    putMessage(
      w,
      "cur",
      `${1700000000 + i}.M${i}P1.host:2,S`,
      readFileSync(join(FIXTURES, n), "latin1"),
      1700000000 + i,
    );
  });
  const commands = [
    "FETCH 1:* (UID RFC822.SIZE INTERNALDATE ENVELOPE BODY BODYSTRUCTURE)",
    "FETCH 1:* (BODY.PEEK[HEADER.FIELDS (From Subject)] BODY.PEEK[HEADER.FIELDS.NOT (Subject)] BODY.PEEK[1] BODY.PEEK[TEXT]<0.100>)",
    "FETCH 1:* (BODY.PEEK[] BODY.PEEK[HEADER] RFC822.SIZE)",
    'SEARCH OR OR SUBJECT "a" FROM "e" TO "o"',
    'SEARCH HEADER Message-ID "@"',
    "SEARCH SENTSINCE 1-Jan-2000 LARGER 100",
    'SEARCH TEXT "the"',
    "SORT (SUBJECT FROM DATE SIZE) UTF-8 ALL",
    "THREAD REFERENCES UTF-8 ALL",
    "THREAD ORDEREDSUBJECT UTF-8 ALL",
  ];
  const cold = await session(w, ...commands);
  assert.ok(readFileSync(join(w.maildir, CACHE), "utf8").split("\n").length > names.length);
  const warm = await session(w, ...commands);
  for (let i = 0; i < commands.length; i++) assert.equal(warm[i], cold[i], commands[i]);
});
