import assert from "node:assert/strict";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { DEFAULT_OPTIONS, Folder, type MessageInfo } from "../src/index.js";
import { forgetRememberedScans } from "../src/scan.js";
import { currentState, loadScanIndex, SCAN_INDEX_FILE, SCAN_INDEX_MIN_MESSAGES } from "../src/scan-index.js";
import { makeMaildir, put } from "./helpers.js";

const N = SCAN_INDEX_MIN_MESSAGES + 20;
const OPTS = { ...DEFAULT_OPTIONS, staleLockSleepMs: 10 };

function fill(root: string): void {
  for (let i = 0; i < N; i++)
    put(root, "cur", `${1700000000 + i}.M${i}P1.h,S=2:2,${i % 3 ? "S" : ""}`, "x\n");
}

/** Backdates cur/ and new/ so that a scan may trust (and write) the index. */
function settle(root: string): void {
  const t = Date.now() / 1000 - 60;
  for (const d of ["cur", "new"]) utimesSync(join(root, d), t, t);
}

/** A new session's view of the folder, read without anything this process remembers. */
async function open(root: string): Promise<Folder> {
  forgetRememberedScans();
  const f = new Folder("INBOX", root, "read-write", OPTS);
  await f.scan();
  return f;
}

function view(msgs: readonly MessageInfo[]): string[] {
  return msgs.map((m) => `${m.uid} ${m.filename} ${m.recent ? "R" : ""}`);
}

/** What a full scan says: the same folder after the index is removed. */
async function truth(root: string): Promise<string[]> {
  try {
    unlinkSync(join(root, SCAN_INDEX_FILE));
  } catch {}
  const f = new Folder("INBOX", root, "read-only", OPTS);
  forgetRememberedScans();
  await f.scan();
  return view(f.messages).map((l) => l.replace(/ R?$/, " "));
}

test("scan index: written for a settled large folder, used, and never hides a change", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  fill(root);
  settle(root);
  const first = await open(root);
  assert.equal(first.messages.length, N);
  assert.ok(first.messages.every((m) => m.recent));
  const index = readFileSync(join(root, SCAN_INDEX_FILE), "utf8");
  assert.match(index.split("\n")[0], /^\{"v":1,/);
  assert.equal(loadScanIndex(root, currentState(root)!, false)?.names.length, N);

  // unchanged: served from the index, nothing recent any more, same UIDs and names
  const again = await open(root);
  assert.deepEqual(
    view(again.messages),
    view(first.messages).map((l) => l.replace(/ R$/, " ")),
  );

  // an external delivery into new/
  put(root, "new", "1800000000.M1P9.h,S=2", "y\n");
  const delivered = await open(root);
  assert.equal(delivered.messages.length, N + 1);
  assert.deepEqual(view(delivered.messages).slice(-1), [`${N + 1} 1800000000.M1P9.h,S=2:2, R`]);

  // another session's flag change and expunge
  settle(root);
  await open(root); // rewrites the index for the new state
  const other = new Folder("INBOX", root, "read-write", OPTS);
  await other.scan();
  await other.setFlags(other.messages[0], ["\\Flagged"]);
  await other.setFlags(other.messages[5], ["\\Deleted"]);
  await other.expunge();
  const afterOther = await open(root);
  assert.equal(afterOther.messages.length, N);
  assert.deepEqual(afterOther.messages[0].flags, ["\\Flagged"]);
  assert.ok(!afterOther.byUid(6));
  assert.deepEqual(
    view(afterOther.messages).map((l) => l.replace(/ R?$/, " ")),
    await truth(root),
  );

  // a Courier-style rename inside cur/ (a flag change by another server)
  settle(root);
  await open(root);
  const name = readdirSync(join(root, "cur")).find((n) => n.startsWith("1700000010."))!;
  renameSync(join(root, "cur", name), join(root, "cur", name.replace(/:2,.*$/, ":2,RS")));
  const renamed = await open(root);
  assert.deepEqual(renamed.byUid(11)?.flags, ["\\Answered", "\\Seen"]);

  // the uiddb replaced (another UIDVALIDITY) under an otherwise unchanged folder
  settle(root);
  await open(root);
  const db = readFileSync(join(root, "courierimapuiddb"), "latin1").replace(/^1 \d+ /, "1 12345 ");
  writeFileSync(join(root, "courierimapuiddb.new"), db, "latin1");
  renameSync(join(root, "courierimapuiddb.new"), join(root, "courierimapuiddb"));
  assert.equal((await open(root)).uidValidity, 12345);
});

test("scan index: a corrupt or unreadable index is ignored and the disk truth wins", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  fill(root);
  settle(root);
  const expected = view((await open(root)).messages).map((l) => l.replace(/ R$/, " "));
  const good = readFileSync(join(root, SCAN_INDEX_FILE), "utf8");
  const [head, uids, names] = good.split("\n");
  const variants = [
    "garbage",
    good.slice(0, good.length / 2),
    `${head}\n${uids}\n${names.replace(/"[^"]+"\]$/, '"../../etc/passwd"]')}\n`,
    `${head}\n${uids.replace("[1,2,", "[2,1,")}\n${names}\n`,
    `${head}\n${uids}\n${JSON.stringify(JSON.parse(names).slice(1))}\n`,
    `${head.replace('"v":1', '"v":2')}\n${uids}\n${names}\n`,
  ];
  for (const bad of variants) {
    // cur/, new/ and the uiddb are untouched: only the validation can reject these
    writeFileSync(join(root, SCAN_INDEX_FILE), bad);
    assert.equal(loadScanIndex(root, currentState(root)!, false), undefined, bad.slice(0, 40));
    assert.deepEqual(view((await open(root)).messages), expected, bad.slice(0, 40));
  }
  // unreadable: a directory in its place (chmod 000 would not stop root)
  unlinkSync(join(root, SCAN_INDEX_FILE));
  mkdirSync(join(root, SCAN_INDEX_FILE));
  settle(root);
  assert.deepEqual(view((await open(root)).messages), expected);
  assert.deepEqual(view((await open(root)).messages), expected);
});
