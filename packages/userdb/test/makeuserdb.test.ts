import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { makeUserdb, parseFields, UserdbReader } from "../src/index.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const JOHN =
  "john@example.com\tuid=1012|gid=1012|home=/home/vmail/john|mail=/home/vmail/john/Maildir|quota=10000000S|options=disablepop3=1|systempw=$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1\n";

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "userdb-test-"));
}

function writeSource(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

function run(tool: string, args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [join(ROOT, "bin", tool), ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

function runAsync(tool: string, args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(ROOT, "bin", tool), ...args], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    p.stderr.on("data", (d) => {
      stderr += d;
    });
    p.on("close", (status) => resolve({ status, stderr }));
  });
}

test("makeuserdb compiles a single file into .dat (with _=) and a 0600 shadow .dat", async () => {
  const dir = tmp();
  const src = join(dir, "userdb");
  writeSource(src, `# comment\n\n${JOHN}1012=\tjohn@example.com\n`);
  const r = run("makeuserdb", ["-f", src], undefined, { USERDB: src });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(statSync(`${src}shadow.dat`).mode & 0o777, 0o600);
  assert.equal(statSync(`${src}.dat`).mode & 0o077, 0o044);
  const db = new UserdbReader(src);
  const main = db.lookup("john@example.com");
  assert.equal(main?.get("home"), "/home/vmail/john");
  assert.equal(main?.get("_"), "");
  assert.equal(main?.has("systempw"), false);
  assert.equal(db.lookupShadow("john@example.com")?.get("systempw"), "$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1");
  assert.equal(db.lookupShadow("1012="), undefined);
  assert.deepEqual(
    [...db.enumerate()].map(([n]) => n),
    ["john@example.com"],
  );
  db.close();
});

test("a directory source is read recursively, skipping dot-entries, with _=<location>/", async () => {
  const dir = tmp();
  const src = join(dir, "userdb");
  mkdirSync(join(src, "example-com"), { recursive: true, mode: 0o700 });
  chmodSync(src, 0o700);
  writeSource(join(src, "example-com", "users"), JOHN);
  writeSource(join(src, "other"), "amy\tuid=5|gid=5|home=/h/amy|imappw={SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n");
  writeSource(join(src, ".tmp.other"), "junk\tuid=1|gid=1|home=/junk\n");
  await makeUserdb(src, { defaultPath: src });
  const db = new UserdbReader(src);
  assert.equal(db.lookup("john@example.com")?.get("_"), "example-com/users/");
  assert.equal(db.lookup("amy")?.get("_"), "other/");
  assert.equal(db.lookupShadow("amy")?.get("imappw"), "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=");
  assert.equal(db.lookup("junk"), undefined);
  db.close();
});

test("a duplicate key fails the whole build, naming file and line, and keeps the old DBs", () => {
  const dir = tmp();
  const src = join(dir, "userdb");
  writeSource(src, JOHN);
  assert.equal(run("makeuserdb", ["-f", src]).status, 0);
  const before = readFileSync(`${src}.dat`);
  writeSource(src, `${JOHN}new\tuid=1|gid=1|home=/n\n${JOHN}`);
  const r = run("makeuserdb", ["-f", src]);
  assert.equal(r.status, 1);
  assert.match(
    r.stderr,
    new RegExp(`${src}:3: duplicate account name "john@example.com" \\(also at ${src}:1\\)`),
  );
  assert.deepEqual(readFileSync(`${src}.dat`), before);
  const db = new UserdbReader(src);
  assert.equal(db.lookup("new"), undefined);
  db.close();
});

test("a line without a TAB is skipped with a warning naming file and line", () => {
  const dir = tmp();
  const src = join(dir, "userdb");
  writeSource(src, `${JOHN}oops no tab\n`);
  const r = run("makeuserdb", ["-f", src]);
  assert.equal(r.status, 0);
  assert.equal(
    r.stderr,
    `makeuserdb: ${src}:2: no TAB between the account name and its fields, line ignored\n`,
  );
  writeSource(src, `${JOHN}\tuid=1|gid=1|home=/x\n`);
  const bad = run("makeuserdb", ["-f", src]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /userdb:2: empty account name/);
});

test("_ is the file's place below the default userdb path, computed as Courier does", () => {
  const dir = tmp();
  const src = join(dir, "userdb");
  mkdirSync(join(src, "example-com"), { recursive: true, mode: 0o700 });
  chmodSync(src, 0o700);
  writeSource(join(src, "example-com", "users"), JOHN);
  writeSource(join(src, "top"), "amy\tuid=5|gid=5|home=/h/amy\n");
  // Default path (USERDB) = the source: relative locations, as userdb <_><name> needs them.
  assert.equal(run("makeuserdb", [], undefined, { USERDB: `${src}/` }).status, 0);
  let db = new UserdbReader(src);
  assert.equal(db.lookup("john@example.com")?.get("_"), "example-com/users/");
  assert.equal(db.lookup("amy")?.get("_"), "top/");
  db.close();
  // -f elsewhere: Courier cuts as many characters as the default path has, whatever they are.
  const other = "/etc/courier/userdb";
  assert.equal(run("makeuserdb", ["-f", src], undefined, { USERDB: other }).status, 0);
  db = new UserdbReader(src);
  assert.equal(db.lookup("amy")?.get("_"), `${`${src}/top`.slice(other.length).replace(/^\//, "")}/`);
  db.close();
});

test("makeuserdb waits for the flock on <path>.lock (mode 0644)", async () => {
  const dir = tmp();
  const src = join(dir, "userdb");
  writeSource(src, JOHN);
  const holder = spawn("flock", [`${src}.lock`, "sleep", "1"], { stdio: "ignore" });
  await sleep(200);
  const t0 = Date.now();
  const r = await runAsync("makeuserdb", ["-f", src]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Date.now() - t0 >= 600, `makeuserdb did not wait (${Date.now() - t0} ms)`);
  assert.equal(holder.exitCode, 0);
  assert.equal(statSync(`${src}.lock`).mode & 0o777, 0o644);
});

test("group/world permission bits and symlinks are refused", () => {
  const dir = tmp();
  const src = join(dir, "userdb");
  writeSource(src, JOHN);
  chmodSync(src, 0o640);
  let r = run("makeuserdb", ["-f", src]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /MAY NOT HAVE GROUP OR WORLD PERMISSIONS!!/);
  chmodSync(src, 0o600);
  const link = join(dir, "linked");
  symlinkSync(src, link);
  r = run("makeuserdb", ["-f", link]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /is a symbolic link/);
  symlinkSync(join(dir, "elsewhere.dat"), `${src}.dat`);
  r = run("makeuserdb", ["-f", src]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /userdb\.dat is a symbolic link/);
  r = run("makeuserdb", ["-f", join(dir, "missing")]);
  assert.match(r.stderr, /missing: not found\./);
});

test("the reader notices a replaced .dat and reopens it", async () => {
  const dir = tmp();
  const src = join(dir, "userdb");
  writeSource(src, JOHN);
  await makeUserdb(src);
  const db = new UserdbReader(src);
  assert.equal(db.lookup("late"), undefined);
  writeSource(src, `${JOHN}late\tuid=7|gid=7|home=/late|systempw=x\n`);
  await makeUserdb(src);
  assert.equal(db.lookup("late")?.get("home"), "/late");
  assert.equal(db.lookupShadow("late")?.get("systempw"), "x");
  db.close();
});

test("userdb set/unset/del/-show edit the text file; set reads a value from stdin; userdbpw pipes in", () => {
  const dir = tmp();
  const src = join(dir, "userdb");
  const env = { USERDB: src };
  let r = run("userdb", ["amy", "set", "uid=5", "gid=5", "home=/h/amy"], "", env);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(statSync(src).mode & 0o777, 0o600);
  assert.equal(readFileSync(src, "utf8"), "amy\tuid=5|gid=5|home=/h/amy\n");
  const hash = run("userdbpw", ["-md5"], "secret\n");
  assert.equal(hash.status, 0);
  assert.match(hash.stdout, /^\$1\$.{8}\$.{22}\n$/);
  r = run("userdb", ["-f", src, "amy", "set", "systempw"], hash.stdout, env);
  assert.equal(r.status, 0, r.stderr);
  r = run("userdb", ["amy", "set", "uid=6", "mail=/m"], "", env);
  assert.equal(r.status, 0, r.stderr);
  const fields = parseFields(readFileSync(src, "utf8").split("\t")[1].trim());
  assert.equal(fields.get("uid"), "6");
  assert.equal(fields.get("systempw"), hash.stdout.trim());
  chmodSync(src, 0o640);
  r = run("userdb", ["bob", "set", "uid=7", "gid=7", "home=/b"], "", env);
  assert.equal(statSync(src).mode & 0o777, 0o640, "permissions kept");
  r = run("userdb", ["amy", "unset", "mail"], "", env);
  assert.equal(run("userdb", ["-show"], "", env).stdout, "amy\nbob\n");
  assert.equal(run("userdb", ["-show", "amy"], "", env).stdout.includes("mail="), false);
  r = run("userdb", ["bob", "del"], "", env);
  assert.equal(run("userdb", ["-show", "-f", src], "", env).stdout, "amy\n");
  r = run("userdb", ["amy", "set", "gecos=a|b"], "", env);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Invalid field or value\./);
  r = run("userdb", ["amy", "set", "systempw"], "", env);
  assert.equal(r.status, 1, "EOF on stdin");
});
