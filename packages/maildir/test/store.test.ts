import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { test } from "node:test";
import {
  checkQuota,
  DEFAULT_OPTIONS,
  diffSnapshots,
  formatUsageLine,
  Maildir,
  mailboxFromWire,
  mailboxToWire,
  mutf7ToUtf8,
  parseEmptyTrash,
  QuotaExceededError,
  readQuota,
  utf8ToMutf7,
  watchFolder,
} from "../src/index.js";
import { makeMaildir } from "./helpers.js";

const OPTS = { ...DEFAULT_OPTIONS, staleLockSleepMs: 10 };
const BIN = join(import.meta.dirname, "..", "..", "..", "..", "bin");

test("modified UTF-7 per component, and invalid input is refused", () => {
  assert.equal(utf8ToMutf7("Résumé"), "R&AOk-sum&AOk-");
  assert.equal(mutf7ToUtf8("R&AOk-sum&AOk-"), "Résumé");
  assert.equal(utf8ToMutf7("A&B"), "A&-B");
  assert.equal(mutf7ToUtf8("&ZeVnLIqe-"), "日本語");
  assert.equal(mailboxFromWire("INBOX.&ZeVnLIqe-.x", false), "INBOX.日本語.x");
  assert.equal(mailboxToWire("INBOX.日本語", false), "INBOX.&ZeVnLIqe-");
  assert.equal(mailboxToWire("INBOX.日本語", true), "INBOX.日本語");
  assert.equal(mutf7ToUtf8("&AGE-"), undefined); // encodes ASCII
  assert.equal(mutf7ToUtf8("&AOk"), undefined);
  assert.equal(mailboxFromWire("INBOX.&", false), undefined);
});

test("APPEND streams, strips CR, adds the final LF, sets mtime and ,S=", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const md = await Maildir.open(root, OPTS);
  const chunks = ["Subject: x\r", "\n\r\nline1\r\n", "line2"].map((s) => Buffer.from(s));
  const r = await md.append("INBOX", Readable.from(chunks), { flags: ["\\Seen"], date: new Date(1e12) });
  assert.equal(r.uid, 1);
  assert.match(r.filename, /,S=24:2,S$/);
  const p = join(root, "cur", r.filename);
  assert.equal(readFileSync(p, "utf8"), "Subject: x\n\nline1\nline2\n");
  assert.equal(statSync(p).mtimeMs, 1e12);
  // only the dot-lock's link source, which a process keeps until it exits, stays in tmp/
  assert.deepEqual(
    readdirSync(join(root, "tmp")).filter((n) => !n.includes("_courierlock")),
    [],
  );
});

test("folders: create with maildirfolder and uiddb, list with \\Noselect parents, delete, rename with new UIDVALIDITY", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const md = await Maildir.open(root, OPTS);
  await md.createFolder("INBOX.A");
  await md.createFolder("INBOX.X.Y");
  await md.createFolder("INBOX.Hier.");
  assert.ok(existsSync(join(root, ".A", "maildirfolder")));
  assert.ok(existsSync(join(root, ".A", "courierimapuiddb")));
  await assert.rejects(md.createFolder("INBOX.A"), /exists/);
  await assert.rejects(md.createFolder("inbox"), /INBOX already exists/);
  assert.deepEqual(
    (await md.listFolders()).map((e) => `${e.name}${e.selectable ? "" : "/"}${e.hasChildren ? "+" : ""}`),
    ["INBOX+", "INBOX.A", "INBOX.X/+", "INBOX.X.Y"],
  );
  await md.append("INBOX.A", "Subject: a\n\nx\n");
  await md.createFolder("INBOX.A.Sub");
  const before = (await md.openFolder("INBOX.A")).uidValidity;
  await md.renameFolder("INBOX.A", "INBOX.B", 1100);
  assert.ok(!existsSync(join(root, ".A")) && existsSync(join(root, ".B.Sub", "maildirfolder")));
  const renamed = await md.openFolder("INBOX.B");
  assert.notEqual(renamed.uidValidity, before);
  assert.equal(renamed.messages.length, 1);
  await assert.rejects(md.renameFolder("INBOX.B", "INBOX.X.Y", 0), /exists/);
  await assert.rejects(md.deleteFolder("INBOX.Trash", 0), /Reserved/);
  await md.deleteFolder("INBOX.B", 0);
  assert.deepEqual(
    (await md.listFolders()).map((e) => e.name),
    ["INBOX", "INBOX.B", "INBOX.B.Sub", "INBOX.X", "INBOX.X.Y"],
  );
  assert.equal((await md.listFolders())[1].selectable, false);
});

test("subscriptions: appended once, INBOX compared case-insensitively, trailing dot punted", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const md = await Maildir.open(root, OPTS);
  await md.subscribe("INBOX.Résumé");
  await md.subscribe("inbox.Résumé");
  await md.subscribe("INBOX.Work");
  await md.subscribe("INBOX.Work.");
  assert.equal(readFileSync(join(root, "courierimapsubscribed"), "utf8"), "INBOX.Résumé\nINBOX.Work\n");
  await md.unsubscribe("INBOX.Résumé");
  assert.deepEqual(await md.subscriptions(), ["INBOX.Work"]);
});

test("maildirsize: 26-byte lines, T flag and Trash excluded, 5120-byte and 15-minute rules", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const r = spawnSync(join(BIN, "maildirmake"), ["-q", "100S,3C", root]);
  assert.equal(r.status, 0, r.stderr.toString());
  assert.equal(readFileSync(join(root, "maildirsize"), "utf8"), `100S,3C\n${formatUsageLine(0, 0)}`);
  assert.equal(formatUsageLine(-12, 1).length, 26);
  const md = await Maildir.open(root, OPTS);
  const a = await md.append("INBOX", "x".repeat(39)); // 40 bytes with the LF
  await md.append("INBOX", "y".repeat(39));
  await assert.rejects(md.append("INBOX", "z".repeat(39)), QuotaExceededError);
  assert.deepEqual(readdirSync(join(root, "cur")).length, 2);
  const inbox = await md.openFolder("INBOX");
  await inbox.addFlags(inbox.messages[0], ["\\Deleted"]);
  assert.deepEqual((await readQuota(root))?.usage, { bytes: 40, count: 1 });
  await md.append("INBOX", "z".repeat(39));
  await assert.rejects(inbox.removeFlags(inbox.messages[0], ["\\Deleted"]), QuotaExceededError);
  await md.createFolder("INBOX.Trash");
  await md.append("INBOX.Trash", "t".repeat(99)); // Trash is not counted
  assert.deepEqual((await readQuota(root))?.usage, { bytes: 80, count: 2 });
  // a stale single-line over-quota file is recalculated, a fresh one trusted
  writeFileSync(join(root, "maildirsize"), `100S,3C\n${formatUsageLine(500, 9)}`);
  await assert.rejects(checkQuota(root, 1, 1), QuotaExceededError);
  utimesSync(
    join(root, "maildirsize"),
    new Date(Date.now() - 16 * 60_000),
    new Date(Date.now() - 16 * 60_000),
  );
  await checkQuota(root, 1, 1);
  assert.deepEqual((await readQuota(root))?.usage, { bytes: 80, count: 2 });
  writeFileSync(join(root, "maildirsize"), `100S,3C\n${formatUsageLine(1, 1).repeat(200)}`);
  assert.equal((await readQuota(root))?.recalcNeeded, true);
  void a;
});

test("deliverquota: delivers into new/, refuses over quota like Courier (75), --help", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  spawnSync(join(BIN, "maildirmake"), ["-q", "100S", root]);
  const ok = spawnSync(join(BIN, "deliverquota"), [root], { input: "Subject: hi\n\nhello\n" });
  assert.equal(ok.status, 0, ok.stderr.toString());
  assert.equal(readdirSync(join(root, "new")).length, 1);
  const over = spawnSync(join(BIN, "deliverquota"), [root], { input: "x".repeat(200) });
  assert.equal(over.status, 75);
  assert.equal(over.stdout.toString(), "Mail quota exceeded.\n");
  assert.equal(readdirSync(join(root, "new")).length, 1);
  assert.deepEqual(readdirSync(join(root, "tmp")), []);
  assert.equal(spawnSync(join(BIN, "deliverquota"), ["--help"]).status, 0);
  assert.equal(spawnSync(join(BIN, "maildirmake"), ["--help"]).status, 0);
});

test("EXPUNGE with IMAP_MOVE_EXPUNGE_TO_TRASH moves to Trash without T and D; IMAP_EMPTYTRASH spec", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const md = await Maildir.open(root, { ...OPTS, moveExpungeToTrash: true });
  await md.append("INBOX", "a\n", { flags: ["\\Draft", "\\Seen"] });
  await md.append("INBOX", "b\n");
  const inbox = await md.openFolder("INBOX");
  await inbox.addFlags(inbox.messages[0], ["\\Deleted"]);
  const changes = await inbox.expunge();
  assert.deepEqual(changes.expunged, [1]);
  const trash = readdirSync(join(root, ".Trash", "cur"));
  assert.equal(trash.length, 1);
  assert.match(trash[0], /:2,S$/);
  assert.ok(existsSync(join(root, ".Trash", "maildirfolder")));
  assert.deepEqual(parseEmptyTrash("Trash:7,Sent:30"), [
    ["Trash", 7],
    ["Sent", 30],
  ]);
  assert.deepEqual(parseEmptyTrash("0"), [["Trash", 1]]);
  assert.equal(await md.emptyTrash("Trash:1"), 0);
});

test("change detection: snapshots diff, watcher falls back to polling when inotify is unavailable", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const md = await Maildir.open(root, OPTS);
  await md.append("INBOX", "a\n");
  await md.append("INBOX", "b\n");
  const inbox = await md.openFolder("INBOX");
  const snap = inbox.snapshot();
  const other = await md.openFolder("INBOX");
  await other.addFlags(other.messages[0], ["\\Seen"]);
  await other.addKeywords(other.messages[1], ["todo"]);
  const events: string[] = [];
  const w = inbox.watch(() => events.push("inotify"));
  assert.equal(w.mode, "inotify");
  await md.append("INBOX", "c\n");
  const changes = await inbox.rescan(snap);
  assert.deepEqual(changes, { expunged: [], added: [3], flagsChanged: [1, 2], uidValidityChanged: false });
  assert.deepEqual(inbox.messages[1].keywords, ["todo"]);
  await new Promise((r) => setTimeout(r, 100));
  w.close();
  assert.ok(events.length >= 1);
  const failing = (() => {
    throw Object.assign(new Error("too many"), { code: "EMFILE" });
  }) as unknown as typeof import("node:fs").watch;
  const polled: string[] = [];
  const p = watchFolder(root, () => polled.push("poll"), { watchFn: failing, pollMs: 20 });
  assert.equal(p.mode, "poll");
  await md.append("INBOX", "d\n");
  await new Promise((r) => setTimeout(r, 150));
  p.close();
  assert.ok(polled.length >= 1);
  assert.deepEqual(diffSnapshots(snap, { ...snap, uidValidity: 1 }).uidValidityChanged, true);
});

test("deliverquota -w: one quota warning per 24 hours once usage passes the percentage", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  spawnSync(join(BIN, "maildirmake"), ["-q", "10000S", root]);
  const warnFile = join(root, "..", `warnmsg-${process.pid}`);
  writeFileSync(
    warnFile,
    "From: postmaster\nSubject: Your mailbox is almost full\n\nPlease delete some mail.\n",
  );
  t.after(() => spawnSync("rm", ["-f", warnFile]));
  const deliver = (size: number) =>
    spawnSync(join(BIN, "deliverquota"), ["-w", "80", "-W", warnFile, root], {
      input: `Subject: x\n\n${"y".repeat(size)}\n`,
    });
  assert.equal(deliver(1000).status, 0);
  assert.equal(readdirSync(join(root, "new")).length, 1, "below 80%: no warning");
  assert.ok(!existsSync(join(root, "quotawarn")));
  assert.equal(deliver(7000).status, 0);
  const texts = readdirSync(join(root, "new")).map((f) => readFileSync(join(root, "new", f), "utf8"));
  const warnings = texts.filter((x) => x.includes("Subject: Your mailbox is almost full"));
  assert.equal(warnings.length, 1, "above 80%: one warning delivered");
  assert.match(warnings[0], /^Date: .+\nMessage-Id: <\d+\.overquota@[^>]+>\nFrom: postmaster\n/);
  assert.equal(statSync(join(root, "quotawarn")).size > 0, true, "quotawarn timestamp written");
  assert.equal(deliver(10).status, 0);
  assert.equal(readdirSync(join(root, "new")).length, 4, "no second warning within 24 hours");
  const old = new Date(Date.now() - 25 * 3600 * 1000);
  utimesSync(join(root, "quotawarn"), old, old);
  assert.equal(deliver(10).status, 0);
  assert.equal(readdirSync(join(root, "new")).length, 6, "a day later it warns again");
});
