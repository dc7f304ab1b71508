// Interoperability with Debian's courier-authdaemon, both ways. Debian's binaries have the
// socket /run/courier/authdaemon/socket and /etc/courier compiled in, so each runs in a
// private mount namespace where a temp dir is bind-mounted over /run (holding
// courier/authdaemon/) and, for Debian's daemon, another over /etc/courier.

import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { authRequest, exchange, missing, ROOT, skipUnless, tool, waitFor } from "./helpers.js";

const DEB_DAEMON = "/usr/lib/courier/courier-authlib/authdaemond";
const why = missing({
  root: true,
  unshare: true,
  files: [
    "/usr/sbin/authtest",
    "/usr/sbin/makeuserdb",
    DEB_DAEMON,
    "/usr/lib/courier-authlib/libauthuserdb.so",
  ],
});
const T = mkdtempSync(join(tmpdir(), "authinterop-test-"));
const USERDB =
  "john@example.com\tuid=1012|gid=1012|home=/home/vmail/john|mail=/home/vmail/john/Maildir|quota=10000000S|options=disablepop3=1|systempw=$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1\n";
const running: ChildProcess[] = [];

after(async () => {
  for (const p of running) if (p.exitCode === null) p.kill("SIGTERM");
});

/** Runs a shell script in a new mount namespace where `run` is mounted over /run. */
function inNamespace(run: string, script: string, extra = ""): string[] {
  return ["-m", "sh", "-c", `set -e\nmount --make-rprivate /\nmount --bind ${run} /run\n${extra}\n${script}`];
}

test("Debian's /usr/sbin/authtest against our authdaemond", async (t) => {
  if (skipUnless(t, why)) return;
  const run = join(T, "ours-run");
  const sockDir = join(run, "courier", "authdaemon");
  mkdirSync(sockDir, { recursive: true });
  const userdb = join(T, "ours-userdb");
  writeFileSync(userdb, USERDB);
  chmodSync(userdb, 0o600);
  assert.equal(tool("makeuserdb", ["-f", userdb]).status, 0);
  const rc = join(T, "ours.rc");
  writeFileSync(rc, `authmodulelist="authuserdb"\ndaemons=2\nauthdaemonvar=${sockDir}\nUSERDB=${userdb}\n`);
  const daemon = spawn(process.execPath, [join(ROOT, "bin", "authdaemond"), "--config", rc], {
    stdio: "ignore",
  });
  running.push(daemon);
  const socket = join(sockDir, "socket");
  await waitFor(
    "our socket",
    async () => (await exchange(socket, "PRE . imap john@example.com\n")).length > 0,
  );

  const debAuthtest = (...args: string[]) =>
    spawnSync("unshare", inNamespace(run, `exec /usr/sbin/authtest ${args.map((a) => `'${a}'`).join(" ")}`), {
      encoding: "utf8",
    });
  const ok = debAuthtest("-s", "imap", "john@example.com", "secret");
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /Authenticated: john@example\.com {2}\(uid 1012, gid 1012\)\n/);
  assert.match(ok.stdout, /Maildir: \/home\/vmail\/john\/Maildir\n/);
  assert.match(ok.stdout, /Cleartext Password: secret\n/);
  assert.match(ok.stdout, /Options: disablepop3=1\n/);
  const bad = debAuthtest("-s", "imap", "john@example.com", "wrong");
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /Authentication FAILED: Operation not permitted/);
  const pre = debAuthtest("john@example.com");
  assert.equal(pre.status, 0, pre.stderr);
  assert.match(pre.stdout, /Encrypted Password: \$1\$M6YnO2lA\$lRvzbaFWBROo4Adjqcg1E1\n/);
});

test("our bin/authtest and bin/authenumerate against Debian's authdaemond", async (t) => {
  if (skipUnless(t, why)) return;
  const run = join(T, "deb-run");
  const sockDir = join(run, "courier", "authdaemon");
  mkdirSync(sockDir, { recursive: true });
  const etc = join(T, "deb-etc");
  mkdirSync(etc);
  writeFileSync(join(etc, "userdb"), USERDB);
  chmodSync(join(etc, "userdb"), 0o600);
  writeFileSync(
    join(etc, "authdaemonrc"),
    'authmodulelist="authuserdb"\ndaemons=2\nDEBUG_LOGIN=0\nDEFAULTOPTIONS=""\n',
  );
  // Debian's daemon runs in the foreground when started directly (courierlogger is what
  // backgrounds it); the startup script's `set -a; . authdaemonrc` is done here by hand.
  const script = `/usr/sbin/makeuserdb\nset -a\n. /etc/courier/authdaemonrc\nset +a\nexec ${DEB_DAEMON}`;
  let log = "";
  const deb = spawn("unshare", inNamespace(run, script, `mount --bind ${etc} /etc/courier`), {
    stdio: ["ignore", "ignore", "pipe"],
  });
  deb.stderr?.on("data", (d) => {
    log += d;
  });
  running.push(deb);
  const socket = join(sockDir, "socket");
  await waitFor(
    "Debian's socket",
    async () => (await exchange(socket, "PRE . imap john@example.com\n")).length > 0,
    10000,
    () => log,
  );
  assert.match(log, /Installation complete: authuserdb/);

  const env = { AUTHDAEMONSOCKET: socket };
  const ok = tool("authtest", ["-s", "imap", "john@example.com", "secret"], env);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /Authenticated: john@example\.com {2}\(uid 1012, gid 1012\)\n/);
  assert.match(ok.stdout, /Cleartext Password: secret\n/);
  const bad = tool("authtest", ["-s", "imap", "john@example.com", "wrong"], env);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, "Authentication FAILED: Operation not permitted\n");
  // The same bytes from both daemons for spec §12.1's request.
  const raw = (
    await exchange(socket, `TCPREMOTEIP=192.0.2.7\n${authRequest("imap", "john@example.com", "secret")}`)
  ).toString();
  assert.equal(
    raw,
    "UID=1012\nGID=1012\nHOME=/home/vmail/john\nADDRESS=john@example.com\nMAILDIR=/home/vmail/john/Maildir\n" +
      "QUOTA=10000000S\nPASSWD=$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1\nPASSWD2=secret\nOPTIONS=disablepop3=1\n.\n",
  );
  const list = tool("authenumerate", ["-o"], env);
  assert.equal(list.status, 0, list.stderr);
  assert.equal(
    list.stdout,
    "john@example.com\t1012\t1012\t/home/vmail/john\t/home/vmail/john/Maildir\tdisablepop3=1\n",
  );
  const exited = new Promise((r) => deb.once("exit", r));
  deb.kill("SIGTERM");
  await exited;
});
