// A site switching between Courier's pop3d and ours must not make POP3 clients download
// everything again: the same maildir gives the same UIDL list and sizes from both, whichever
// server saw it first (and so wrote courierpop3dsizelist), and stays so as mail arrives.

import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  addAccount,
  createInstance,
  deliver,
  type InstanceInfo,
  makeMaildir,
  type Running,
  run,
  startInstance,
} from "./lib/instance.js";
import { freePort } from "./lib/net.js";
import { pop3Session } from "./pop3/client.js";
import { courierPop3, courierPop3dMissing, multiline } from "./pop3/courier-pop3d.js";

const skip = courierPop3dMissing();
const VMAIL = 5000;
const owner = process.getuid!() === 0 ? { uid: VMAIL, gid: VMAIL } : {};
let dir: string;
let info: InstanceInfo;
let server: Running;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), "courier-uidl-"));
  info = createInstance({
    dir,
    imapPort: await freePort(),
    imapsPort: await freePort(),
    pop3Port: await freePort(),
    certBits: 2048,
    ...owner,
  });
  if (process.getuid!() === 0) run("chmod", ["711", dir, join(dir, "mail")]);
  server = await startInstance(info);
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function account(name: string): string {
  const home = join(dir, "mail", name);
  makeMaildir(join(home, "Maildir"));
  addAccount(info, `${name}@example.com`, `${name}-pw`, home, owner.uid, owner.gid);
  return join(home, "Maildir");
}

function chown(path: string): void {
  if (owner.uid !== undefined) run("chown", ["-R", `${owner.uid}:${owner.gid}`, path]);
}

const COMMANDS = ["UIDL", "LIST", "QUIT"];

async function ours(name: string): Promise<{ uidl: string[]; list: string[] }> {
  const out = await pop3Session(info.pop3!, [`USER ${name}@example.com`, `PASS ${name}-pw`, ...COMMANDS]);
  const body = out.split("+OK logged in.\r\n")[1] ?? "";
  return {
    uidl: multiline(body, "+OK"),
    list: multiline(body, "+OK POP3 clients that break here, they violate STD53."),
  };
}

function courier(maildir: string): { uidl: string[]; list: string[] } {
  const out = courierPop3(maildir, COMMANDS, owner);
  return {
    uidl: multiline(out, "+OK"),
    list: multiline(out, "+OK POP3 clients that break here, they violate STD53."),
  };
}

function fill(md: string, from: number, n: number): void {
  for (let i = from; i < from + n; i++) deliver(md, "x@example.com", `message ${i}`, `body ${i}\n.dot ${i}`);
  // a message without a final newline and one with 8-bit headers
  writeFileSync(join(md, "new", `${1_600_000_000 + from}.M1P1.nonl`), `Subject: no newline ${from}\n\nlast`);
  writeFileSync(join(md, "new", `${1_600_000_001 + from}.M1P1.utf8`), `Subject: caf\u00e9 ${from}\n\nbody\n`);
}

test("same UIDLs and sizes from Courier's pop3d and ours, in both orders of first use", {
  skip,
}, async () => {
  const a = account("first-courier");
  const b = account("first-ours");
  fill(a, 0, 5);
  for (const sub of ["new", "cur"])
    for (const f of readdirSync(join(a, sub))) cpSync(join(a, sub, f), join(b, sub, f));
  chown(join(a, ".."));
  chown(join(b, ".."));

  // A: Courier writes courierpop3dsizelist, ours reads it; B: the other way round
  const courierA = courier(a);
  const oursA = await ours("first-courier");
  const oursB = await ours("first-ours");
  const courierB = courier(b);
  assert.equal(courierA.uidl.length, 7);
  assert.deepEqual(oursA, courierA);
  assert.deepEqual(courierB, oursB);
  // Sizes each server computed itself agree, except for a file without a final newline:
  // ours adds the CRLF it sends (+2, as Courier 6.0.1), Debian's 5.0.13 does not.
  const sizes = (l: string[]) => l.map((x) => Number(x.split(" ")[1]));
  const [mine, theirs] = [sizes(oursB.list), sizes(courierA.list)];
  assert.deepEqual(mine.slice(1), theirs.slice(1));
  assert.ok(
    mine[0] === theirs[0] || mine[0] === theirs[0] + 2,
    `no-newline message: ${mine[0]} vs ${theirs[0]}`,
  );

  // new mail: the server that did not write the list last numbers the newcomers
  fill(a, 10, 3);
  for (const f of readdirSync(join(a, "new"))) cpSync(join(a, "new", f), join(b, "new", f));
  chown(join(a, ".."));
  chown(join(b, ".."));
  const oursA2 = await ours("first-courier");
  const courierA2 = courier(a);
  const courierB2 = courier(b);
  const oursB2 = await ours("first-ours");
  assert.equal(oursA2.uidl.length, 12);
  assert.deepEqual(courierA2, oursA2);
  assert.deepEqual(oursB2, courierB2);
});
