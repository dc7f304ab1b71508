// Compatibility with the real Courier (Debian courier-imap 5.0.13 / courier-pop): a maildir
// used through Courier is read by ours with identical UIDVALIDITY, UIDs, flags, keywords,
// folders, subscriptions and POP3 UIDLs; and a maildir written by ours reads the same in Courier.

import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_OPTIONS, deliver, type Folder, Maildir, mailboxToWire } from "../src/index.js";
import {
  appendCmd,
  courierImap,
  courierMissing,
  courierPop3,
  type Fetched,
  parseList,
  parseSelect,
  parseUidl,
} from "./courier.js";
import { makeMaildir } from "./helpers.js";

const missing = courierMissing();
const OPTS = { ...DEFAULT_OPTIONS, staleLockSleepMs: 10 };

const msg = (n: number) => `From: a@example.com\nSubject: message ${n}\n\nbody ${n}\n`;

function ours(folder: Folder): Fetched[] {
  return folder.messages.map((m) => ({ uid: m.uid, flags: [...m.flags, ...m.keywords].sort() }));
}

async function ourList(md: Maildir): Promise<string[]> {
  return (await md.listFolders())
    .map((e) => `${mailboxToWire(e.name, false)}${e.selectable ? "" : " (noselect)"}`)
    .sort();
}

function courierView(root: string, folders: string[]) {
  const out: Record<string, ReturnType<typeof parseSelect>> = {};
  for (const f of folders)
    out[f] = parseSelect(courierImap(root, [`s SELECT ${f}`, "f FETCH 1:* (UID FLAGS)", "l LOGOUT"]));
  const lists = courierImap(root, ['a LIST "" "*"', 'b LSUB "" "*"', "c LOGOUT"]);
  // LSUB adds unsubscribed parents as \Noselect; the file holds only the subscribed names
  const lsub = parseList(lists, "LSUB").filter((n) => !n.endsWith("(noselect)"));
  return { out, list: parseList(lists, "LIST"), lsub };
}

test("a maildir used through Courier reads identically in ours", { skip: missing }, async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const out = courierImap(root, [
    "c1 CREATE INBOX.Work",
    "c2 CREATE INBOX.Work.2024",
    'c3 CREATE "INBOX.R&AOk-sum&AOk-"',
    "c4 CREATE INBOX.Deep.Down",
    "s1 SUBSCRIBE INBOX.Work",
    's2 SUBSCRIBE "INBOX.R&AOk-sum&AOk-"',
    appendCmd("a1", "INBOX", "\\Seen", msg(1)),
    appendCmd("a2", "INBOX", "", msg(2)),
    appendCmd("a3", "INBOX", "\\Answered", msg(3)),
    appendCmd("a4", "INBOX", "\\Draft \\Flagged", msg(4)),
    appendCmd("a5", "INBOX.Work", "\\Seen", msg(5)),
    appendCmd("a6", "INBOX.Work", "", msg(6)),
    "x1 SELECT INBOX",
    "x2 STORE 2 +FLAGS ($Label1 todo \\Flagged)",
    "x3 STORE 3 +FLAGS (\\Deleted)",
    "x4 EXPUNGE",
    "x5 STORE 1 +FLAGS (Junk)",
    "x6 SELECT INBOX.Work",
    "x7 STORE 2 +FLAGS (\\Seen work)",
    "z LOGOUT",
  ]);
  assert.match(out, /a6 OK \[APPENDUID/);
  await deliver(root, msg(7)); // arrives in new/, moved by Courier's pop3d
  const pop = courierPop3(root, ["UIDL", "RETR 1", "DELE 3", "QUIT"]);
  assert.match(pop, /\+OK Bye-bye/);
  const courier = courierView(root, ["INBOX", "INBOX.Work", "INBOX.Work.2024", '"INBOX.R&AOk-sum&AOk-"']);
  const courierUidl = parseUidl(courierPop3(root, ["UIDL", "QUIT"]));

  const md = await Maildir.open(root, OPTS);
  for (const [wire, name] of [
    ["INBOX", "INBOX"],
    ["INBOX.Work", "INBOX.Work"],
    ["INBOX.Work.2024", "INBOX.Work.2024"],
    ['"INBOX.R&AOk-sum&AOk-"', "INBOX.Résumé"],
  ]) {
    const f = await md.openFolder(name);
    assert.equal(f.uidValidity, courier.out[wire].uidValidity, `UIDVALIDITY of ${name}`);
    assert.deepEqual(ours(f), courier.out[wire].fetched, `UIDs/flags/keywords of ${name}`);
  }
  assert.ok(courier.out.INBOX.fetched.some((m) => m.flags.includes("$Label1")));
  assert.deepEqual(await ourList(md), courier.list);
  assert.deepEqual((await md.subscriptions()).map((n) => mailboxToWire(n, false)).sort(), courier.lsub);
  const pop3 = await md.openPop3();
  assert.deepEqual(
    pop3.messages.map((m, i) => `${i + 1} ${m.uidl}`),
    courierUidl,
  );
  assert.equal(courierUidl.length, 3);
});

test("a maildir written by ours reads identically in Courier", { skip: missing }, async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const md = await Maildir.open(root, OPTS);
  await md.createFolder("INBOX.Work");
  await md.createFolder("INBOX.Résumé");
  await md.createFolder("INBOX.Deep.Down");
  await md.subscribe("INBOX.Work");
  await md.subscribe("INBOX.Résumé");
  await md.append("INBOX", msg(1).replace(/\n/g, "\r\n"), { flags: ["\\Seen"], keywords: ["$Label1"] });
  await md.append("INBOX", msg(2), { flags: [] });
  await md.append("INBOX", msg(3), { flags: ["\\Answered"], keywords: ["todo", "Junk"] });
  await md.append("INBOX.Work", msg(4), { flags: ["\\Flagged"] });
  await deliver(root, msg(5));
  const inbox = await md.openFolder("INBOX");
  await inbox.addFlags(inbox.messages[1], ["\\Deleted"]);
  await inbox.expunge();
  await inbox.setKeywords(inbox.messages[0], ["$Label2"]);
  await inbox.addFlags(inbox.messages[2], ["\\Flagged"]);
  await inbox.addKeywords(inbox.messages[2], ["later"]);
  const pop = await md.openPop3();
  await pop.deleteMessages([pop.messages[0]]);
  await inbox.scan();
  const ourUidl = (await md.openPop3()).messages.map((m, i) => `${i + 1} ${m.uidl}`);

  const courier = courierView(root, ["INBOX", "INBOX.Work", '"INBOX.R&AOk-sum&AOk-"']);
  assert.equal(courier.out.INBOX.uidValidity, inbox.uidValidity);
  assert.deepEqual(courier.out.INBOX.fetched, ours(inbox));
  for (const [wire, name] of [
    ["INBOX.Work", "INBOX.Work"],
    ['"INBOX.R&AOk-sum&AOk-"', "INBOX.Résumé"],
  ]) {
    const f = await md.openFolder(name);
    assert.equal(courier.out[wire].uidValidity, f.uidValidity, name);
    assert.deepEqual(courier.out[wire].fetched, ours(f), name);
  }
  assert.deepEqual(courier.list, await ourList(md));
  assert.deepEqual(courier.lsub, (await md.subscriptions()).map((n) => mailboxToWire(n, false)).sort());
  assert.deepEqual(parseUidl(courierPop3(root, ["UIDL", "QUIT"])), ourUidl);
  assert.equal(ourUidl.length, 2);
});
