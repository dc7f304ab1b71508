import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { CACHE_FILE, Folder, MessageCache } from "../src/index.js";
import { makeMaildir, put } from "./helpers.js";

const FORMAT = "test-1";

function records(root: string): string[] {
  return readFileSync(join(root, CACHE_FILE), "utf8").split("\n").slice(1).filter(Boolean);
}

test("a record saved by one cache (session) is found by the next, only for the same file version", (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const a = new MessageCache(root, FORMAT);
  assert.equal(
    a.get("m1", () => "1.2.3"),
    undefined,
  );
  a.set("m1", "1.2.3", { v: "one\u00e9" });
  a.set("m2", "4.5.6", { v: "two" });
  a.save(["m1", "m2"]);
  assert.deepEqual(readdirSync(join(root, "tmp")), [], "the temporary file was renamed");
  const b = new MessageCache(root, FORMAT);
  assert.deepEqual(
    b.get("m1", () => "1.2.3"),
    { v: "one\u00e9" },
  );
  assert.equal(
    b.get("m1", () => "1.2.4"),
    undefined,
    "another stamp: another file",
  );
  assert.equal(
    b.get("m3", () => "1.2.3"),
    undefined,
  );
  assert.equal(
    new MessageCache(root, "other-format").get("m1", () => "1.2.3"),
    undefined,
    "a file of another format is ignored",
  );
  // nothing new: the file is not rewritten
  const before = readFileSync(join(root, CACHE_FILE), "utf8");
  b.save(["m1"]);
  assert.equal(readFileSync(join(root, CACHE_FILE), "utf8"), before);
});

test("corrupt lines, a torn last line and a corrupt header are ignored", (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const a = new MessageCache(root, FORMAT);
  a.set("good", "1.1.1", [1, 2]);
  a.set("bad", "2.2.2", [3]);
  a.save(["good", "bad"]);
  const text = readFileSync(join(root, CACHE_FILE), "utf8")
    .replace("bad\t2.2.2\t[3]", "bad\t2.2.2\t[3")
    .concat("garbage without tab\n\t\n", 'torn\t3.3.3\t{"x":');
  writeFileSync(join(root, CACHE_FILE), text);
  const b = new MessageCache(root, FORMAT);
  assert.deepEqual(
    b.get("good", () => "1.1.1"),
    [1, 2],
  );
  assert.equal(
    b.get("bad", () => "2.2.2"),
    undefined,
  );
  assert.equal(
    b.get("torn", () => "3.3.3"),
    undefined,
  );
  writeFileSync(join(root, CACHE_FILE), `x${text}`);
  assert.equal(
    new MessageCache(root, FORMAT).get("good", () => "1.1.1"),
    undefined,
  );
  writeFileSync(join(root, CACHE_FILE), Buffer.from([0xff, 0xfe, 0, 10, 0x80, 9, 9, 10]));
  assert.equal(
    new MessageCache(root, FORMAT).get("good", () => "1.1.1"),
    undefined,
  );
});

test("the cache is bounded: records of gone messages are dropped, memory and file stop at the limit", (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const a = new MessageCache(root, FORMAT, { maxChars: 2000 });
  const live: string[] = [];
  for (let i = 0; i < 200; i++) {
    a.set(`m${i}`, "1.1.1", "x".repeat(50));
    live.push(`m${i}`);
  }
  a.save(live);
  const kept = records(root);
  assert.ok(kept.length > 0 && kept.length < 40, `${kept.length} records`);
  assert.ok(readFileSync(join(root, CACHE_FILE)).length <= 2100);
  // the most recently stored are kept
  assert.deepEqual(
    new MessageCache(root, FORMAT).get("m199", () => "1.1.1"),
    "x".repeat(50),
  );
  const b = new MessageCache(root, FORMAT);
  b.set("m199", "1.1.2", "new");
  b.save(["m199"]);
  assert.deepEqual(records(root), ['m199\t1.1.2\t"new"']);
  // a value too long to keep is not kept
  const c = new MessageCache(root, FORMAT);
  c.set("big", "1.1.1", "y".repeat(70 * 1024));
  c.save(["big", "m199"]);
  assert.equal(
    new MessageCache(root, FORMAT).get("big", () => "1.1.1"),
    undefined,
  );
});

test("an unsafe or unreadable cache file is an empty cache; a read-only folder is no error", (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const a = new MessageCache(root, FORMAT);
  a.set("m", "1.1.1", 1);
  a.save(["m"]);
  const file = join(root, CACHE_FILE);
  const got = () => new MessageCache(root, FORMAT).get("m", () => "1.1.1");
  assert.equal(got(), 1);
  chmodSync(file, 0o666);
  assert.equal(got(), undefined, "writable by others");
  chmodSync(file, 0o644);
  if (process.getuid?.() === 0) {
    chownSync(file, 65534, 65534);
    assert.equal(got(), undefined, "another account's file");
    chownSync(file, 0, 0);
  }
  const real = join(root, "elsewhere");
  writeFileSync(real, readFileSync(file));
  execFileSync("rm", [file]);
  symlinkSync(real, file);
  assert.equal(got(), undefined, "a symlink");
  execFileSync("rm", [file]);
  mkdirSync(file);
  assert.equal(got(), undefined, "a directory");
  // saving over a directory fails quietly; the temporary file is removed
  const b = new MessageCache(root, FORMAT);
  b.set("m", "1.1.1", 2);
  b.save(["m"]);
  assert.deepEqual(readdirSync(join(root, "tmp")), []);
  assert.equal(
    b.get("m", () => "1.1.1"),
    2,
    "still held in memory",
  );
});

test("Folder: stamps change when a file is replaced, not when it is renamed for its flags", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  put(root, "cur", "1700000000.M1P1.host:2,", "Subject: a\n\nbody\n", 1700000000);
  const f = new Folder("INBOX", root, "read-write");
  await f.scan();
  const msg = f.messages[0];
  const stamp = f.stampSync(msg);
  assert.equal(f.readMessageSync(msg).toString(), "Subject: a\n\nbody\n");
  assert.equal(f.stampSync(msg), stamp);
  await f.addFlags(msg, ["\\Seen"]);
  const g = new Folder("INBOX", root, "read-write");
  await g.scan();
  assert.equal(g.stampSync(g.messages[0]), stamp, "a flag change keeps the stamp");
  put(root, "cur", g.messages[0].filename, "Subject: b\n\nother body\n", 1700000500);
  const h = new Folder("INBOX", root, "read-write");
  await h.scan();
  assert.notEqual(h.stampSync(h.messages[0]), stamp);
  const chunks: Buffer[] = [];
  h.readChunksSync(h.messages[0], (c) => void chunks.push(Buffer.from(c)));
  assert.equal(Buffer.concat(chunks).toString(), "Subject: b\n\nother body\n");
  assert.equal(h.crlfInfoOf(h.messages[0], Buffer.concat(chunks)).size, 26);
});

test("Folder: a name with ,S= is its own stamp (no stat per message); without one, the file's stat", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  put(root, "cur", "1700000000.M1P1.host,S=17:2,", "Subject: a\n\nbody\n", 1700000000);
  put(root, "cur", "1700000001.M1P1.host:2,", "Subject: b\n\nbody\n", 1700000001);
  const f = new Folder("INBOX", root, "read-write");
  await f.scan();
  const [sized, plain] = f.messages;
  assert.equal(f.stampSync(sized), "S17");
  assert.match(f.stampSync(plain), /^17\.1700000001000\.\d+$/);
  // the stamp from an open agrees with the one from the name, so records keep matching
  assert.equal(f.readMessageSync(sized).toString(), "Subject: a\n\nbody\n");
  assert.equal(f.stampSync(sized), "S17");
  assert.equal(f.internalDateSync(sized).getTime(), 1700000000000, "INTERNALDATE still comes from the file");
  // the file replaced by a tool that keeps its name: a record then needs the same size
  put(root, "cur", sized.filename, "Subject: a\n\nlonger body\n");
  const g = new Folder("INBOX", root, "read-write");
  await g.scan();
  assert.equal(g.stampSync(g.messages[0]), "S17", "the name is trusted, as Dovecot trusts it");
});
