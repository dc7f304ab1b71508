// authshadow, authpwd and authpam against real system accounts. The accounts are created in
// a private mount namespace over a copy of /etc (bind-mounted on /etc), so the host's
// passwd/shadow/group never change; the daemons are started inside it with
// `authdaemond start` and stay there, while the tests talk to their sockets in a temp dir.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { authRequest, exchange, missing, ROOT, skipUnless, tool } from "./helpers.js";

const why = missing({ root: true, unshare: true, commands: ["chpasswd", "openssl"] });
const T = mkdtempSync(join(tmpdir(), "authsys-test-"));
const MODULES = ["authshadow", "authpwd", "authpam"] as const;
const sock = (m: string) => join(T, m, "socket");
const rc = (m: string) => join(T, `${m}.rc`);
let shadowBefore = "";

function passwdLines(davehash: string): { passwd: string; shadow: string; group: string } {
  const home = join(T, "home");
  return {
    passwd:
      `alice:x:1201:1201:Alice Example,Room 1,,:${home}/alice:/bin/sh\n` +
      `bob:x:1202:1202:Bob:${home}/bob:/bin/sh\n` +
      `carol:x:1203:1203:Carol:${home}/carol:/bin/sh\n` +
      `dave:${davehash}:1204:1204:Dave:${home}/dave:/bin/sh\n`,
    shadow: "alice:!:19000:0:99999:7:::\nbob:!:19000:0:99999:7:::\ncarol:!:19000:0:99999:7::1:\n",
    group: "alice:x:1201:\nbob:x:1202:\ncarol:x:1203:\ndave:x:1204:\n",
  };
}

before(() => {
  if (why) return;
  cpSync("/etc", join(T, "etc"), { recursive: true, verbatimSymlinks: true });
  const dave = spawnSync("openssl", ["passwd", "-5", "Dave-pw1"], { encoding: "utf8" }).stdout.trim();
  const add = passwdLines(dave);
  for (const f of ["passwd", "shadow", "group"] as const)
    writeFileSync(join(T, "etc", f), add[f], { flag: "a" });
  for (const m of MODULES)
    writeFileSync(rc(m), `authmodulelist="${m}"\ndaemons=1\nauthdaemonvar=${join(T, m)}\nDEBUG_LOGIN=0\n`);
  const script = [
    "set -e",
    "mount --make-rprivate /",
    `mount --bind ${T}/etc /etc`,
    "echo 'alice:Alice-pw1' | chpasswd -c YESCRYPT",
    "echo 'bob:Bob-pw1' | chpasswd -c SHA512",
    "echo 'carol:Carol-pw1' | chpasswd -c SHA512",
    ...MODULES.map((m) => `${process.execPath} ${ROOT}/bin/authdaemond --config ${rc(m)} start`),
  ].join("\n");
  const r = spawnSync("unshare", ["-m", "sh", "-c", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  shadowBefore = readFileSync(join(T, "etc", "shadow"), "utf8");
});

after(() => {
  if (why) return;
  for (const m of MODULES) tool("authdaemond", ["--config", rc(m), "stop"]);
});

const auth = async (m: string, user: string, pass: string, service = "imap") =>
  (await exchange(sock(m), authRequest(service, user, pass))).toString();

test("the host's /etc/passwd and /etc/shadow were not touched", (t) => {
  if (skipUnless(t, why)) return;
  assert.doesNotMatch(readFileSync("/etc/passwd", "utf8"), /^alice:x:1201:/m);
  assert.match(shadowBefore, /^alice:\$y\$/m, "chpasswd -c YESCRYPT made a system yescrypt hash");
  assert.match(shadowBefore, /^bob:\$6\$/m);
});

test("authshadow: $y$ and $6$ from the system verify; wrong password, expired account fail", async (t) => {
  if (skipUnless(t, why)) return;
  const ok = await auth("authshadow", "alice", "Alice-pw1");
  assert.match(
    ok,
    /^USERNAME=alice\nGID=1201\nHOME=.*\/home\/alice\nADDRESS=alice\nNAME=Alice Example\nPASSWD=\$y\$[^\n]+\nPASSWD2=Alice-pw1\n\.\n$/,
  );
  assert.equal(await auth("authshadow", "alice", "alice-pw1"), "FAIL\n");
  assert.match(await auth("authshadow", "bob", "Bob-pw1"), /^USERNAME=bob\n.*PASSWD=\$6\$/s);
  assert.equal(await auth("authshadow", "carol", "Carol-pw1"), "FAIL\n");
  assert.equal(await auth("authshadow", "nosuchuser", "x"), "FAIL\n");
  const pre = (await exchange(sock("authshadow"), "PRE . imap alice\n")).toString();
  assert.match(pre, /^USERNAME=alice\n.*PASSWD=\$y\$/s);
  assert.doesNotMatch(pre, /PASSWD2/);
});

test("authpwd: the hash in passwd itself ($5$ from openssl); shadowed accounts (x) never match", async (t) => {
  if (skipUnless(t, why)) return;
  assert.match(await auth("authpwd", "dave", "Dave-pw1"), /^USERNAME=dave\nGID=1204\n.*PASSWD=\$5\$/s);
  assert.equal(await auth("authpwd", "dave", "dave-pw1"), "FAIL\n");
  assert.equal(await auth("authpwd", "alice", "Alice-pw1"), "FAIL\n");
  assert.match((await exchange(sock("authpwd"), "PRE . imap alice\n")).toString(), /PASSWD=x\n/);
  const cram = "imap\ncram-md5\nPDE+\nYWxpY2UgMDA=\n";
  assert.equal((await exchange(sock("authpwd"), `AUTH ${cram.length}\n${cram}`)).toString(), "FAIL\n");
});

test("ENUMERATE lists getpwent accounts with uid >= 100", async (t) => {
  if (skipUnless(t, why)) return;
  const list = (await exchange(sock("authshadow"), "ENUMERATE\n")).toString();
  assert.match(list, /^# authshadow\n\n/);
  assert.match(list, /^alice\t1201\t1201\t[^\t]+\/home\/alice\t\t\n/m);
  assert.doesNotMatch(list, /^root\t/m);
  assert.match(list, /\n\.\n$/);
});

test("authpam: PAM service = request service; a slow failing PAM stack does not block the child", async (t) => {
  if (skipUnless(t, why)) return;
  assert.match(
    await auth("authpam", "alice", "Alice-pw1"),
    /^USERNAME=alice\n.*PASSWD=\$y\$.*PASSWD2=Alice-pw1\n/s,
  );
  assert.equal(await auth("authpam", "nosuchuser", "x"), "FAIL\n");
  // pam_unix delays a failure by ~2 s; the only child must still answer other requests.
  const started = Date.now();
  const wrong = auth("authpam", "alice", "wrong").then((r) => ({ r, ms: Date.now() - started }));
  await new Promise((r) => setTimeout(r, 100));
  const pre = (await exchange(sock("authpam"), "PRE . imap bob\n")).toString();
  const preMs = Date.now() - started;
  assert.match(pre, /^USERNAME=bob\n/);
  const w = await wrong;
  assert.equal(w.r, "FAIL\n");
  assert.ok(preMs < w.ms, `PRE answered after ${preMs} ms, the failing PAM login after ${w.ms} ms`);
});

test("PASSWD through authshadow and authpam: pam_chauthtok writes a new system hash", async (t) => {
  if (skipUnless(t, why)) return;
  const env = (m: string) => ({ AUTHDAEMONSOCKET: sock(m) });
  assert.equal(tool("authtest", ["alice", "wrong-old", "Zq7-new-Secret"], env("authshadow")).status, 1);
  const r = tool("authtest", ["-s", "imap", "alice", "Alice-pw1", "Zq7-new-Secret"], env("authshadow"));
  assert.equal(r.status, 0, r.stderr);
  assert.match(await auth("authshadow", "alice", "Zq7-new-Secret"), /^USERNAME=alice\n.*PASSWD=\$y\$/s);
  assert.equal(await auth("authshadow", "alice", "Alice-pw1"), "FAIL\n");
  const p = tool("authtest", ["-s", "imap", "bob", "Bob-pw1", "Kx9-other-Secret"], env("authpam"));
  assert.equal(p.status, 0, p.stderr);
  assert.match(await auth("authpam", "bob", "Kx9-other-Secret"), /^USERNAME=bob\n/);
  assert.doesNotMatch(readFileSync("/etc/shadow", "utf8"), /^alice:/m);
});
