// Round trips with Debian's courier-authlib-userdb and courier-authdaemon (issue 4's
// must-show). Debian's tools have /etc/courier/userdb and /run/courier/authdaemon compiled
// in, so they run in a private mount namespace with temp dirs bind-mounted over /etc/courier
// and /run; the bind sources stay reachable from this process.

import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { authGeneric } from "@courier-imap/authlib";
import { UserdbReader } from "../src/index.js";
import { exchange, interopMissing, ROOT, run, skipOrFail, tmp, waitForSocket } from "./tools.js";

const DEB_DAEMON = "/usr/lib/courier/courier-authlib/authdaemond";
const why = interopMissing([
  "/usr/sbin/userdb",
  "/usr/sbin/userdbpw",
  "/usr/sbin/makeuserdb",
  "/usr/sbin/authtest",
  DEB_DAEMON,
  "/usr/lib/courier-authlib/libauthuserdb.so",
]);
const daemons: ChildProcess[] = [];

after(() => {
  for (const d of daemons) if (d.exitCode === null && d.signalCode === null) d.kill("SIGTERM");
});

/** `unshare -m sh -c SCRIPT` with `etc` over /etc/courier and, if given, `runDir` over /run. */
function namespaceArgs(script: string, etc: string, runDir?: string): string[] {
  const mounts = [`mount --make-rprivate /`, `mount --bind ${etc} /etc/courier`];
  if (runDir) mounts.push(`mount --bind ${runDir} /run`);
  return ["-m", "sh", "-c", `set -e\n${mounts.join("\n")}\n${script}`];
}

function inNamespace(script: string, etc: string, runDir?: string) {
  return spawnSync("unshare", namespaceArgs(script, etc, runDir), { encoding: "utf8" });
}

const ALGS = { md5: "md5", sha1: "sha1", sha256: "sha256" } as const;

/** A CRAM AUTH through any authdaemon socket, as an IMAP server would send it. */
async function cram(socket: string, alg: keyof typeof ALGS, user: string, password: string) {
  const challenge = "<1896.697170952@postoffice.example.net>";
  const digest = createHmac(ALGS[alg], password).update(challenge).digest("hex");
  const data = `${Buffer.from(challenge).toString("base64")}\n${Buffer.from(`${user} ${digest}`).toString("base64")}\n`;
  return authGeneric({ socket }, "imap", `cram-${alg}`, data);
}

function authtest(socket: string, ...args: string[]) {
  return run("authtest", args, "", { AUTHDAEMONSOCKET: socket });
}

test("a userdb made by Debian's userdb/userdbpw, compiled by our makeuserdb, authenticates through our authdaemond", async (t) => {
  if (skipOrFail(t, why)) return;
  const T = tmp("userdb-interop-");
  const etc = join(T, "etc");
  mkdirSync(join(etc, "userdb"), { recursive: true, mode: 0o700 });
  chmodSync(join(etc, "userdb"), 0o700);
  const john = "example-com/john@example.com";
  const made = inNamespace(
    [
      `/usr/sbin/userdb ${john} set uid=1012 gid=1012 home=/home/vmail/john mail=/home/vmail/john/Maildir quota=10000000S`,
      `echo secret | /usr/sbin/userdbpw -md5 | /usr/sbin/userdb ${john} set systempw`,
      ...Object.keys(ALGS).map(
        (a) => `echo secret | /usr/sbin/userdbpw -hmac-${a} | /usr/sbin/userdb ${john} set hmac-${a}pw`,
      ),
      "/usr/sbin/userdb other/amy set uid=1013 gid=1013 home=/home/vmail/amy",
      "echo amypass | /usr/sbin/userdbpw | /usr/sbin/userdb other/amy set systempw",
      "echo imaponly | /usr/sbin/userdbpw -md5 | /usr/sbin/userdb other/amy set imappw",
    ].join("\n"),
    etc,
  );
  assert.equal(made.status, 0, made.stderr);

  const userdb = join(etc, "userdb");
  const compiled = run("makeuserdb", [], "", { USERDB: userdb });
  assert.equal(compiled.status, 0, compiled.stderr);
  const reader = new UserdbReader(userdb);
  assert.equal(reader.lookup("john@example.com")?.get("_"), "example-com/");
  assert.match(
    reader.lookupShadow("amy")?.get("systempw") ?? "",
    /^[./0-9A-Za-z]{13}$/,
    "Debian's DES default",
  );
  reader.close();

  const rc = join(T, "authdaemonrc");
  writeFileSync(rc, `authmodulelist="authuserdb"\ndaemons=1\nauthdaemonvar=${T}/var\nUSERDB=${userdb}\n`);
  let log = "";
  const daemon = spawn(process.execPath, [join(ROOT, "bin", "authdaemond"), "--config", rc], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, DEBUG_LOGIN: "0", DEFAULTOPTIONS: "" },
  });
  daemon.stderr?.on("data", (d) => {
    log += d;
  });
  daemons.push(daemon);
  const socket = join(T, "var", "socket");
  await waitForSocket(socket, () => log);

  const ok = authtest(socket, "-s", "imap", "john@example.com", "secret");
  assert.equal(ok.status, 0, ok.stderr + log);
  assert.match(ok.stdout, /Authenticated: john@example\.com {2}\(uid 1012, gid 1012\)\n/);
  assert.match(ok.stdout, /Maildir: \/home\/vmail\/john\/Maildir\n/);
  assert.match(ok.stdout, /Quota: 10000000S\n/);
  assert.equal(authtest(socket, "-s", "imap", "john@example.com", "wrong").status, 1);
  assert.equal(authtest(socket, "-s", "pop3", "amy", "amypass").status, 0, "DES systempw");
  assert.equal(authtest(socket, "-s", "imap", "amy", "imaponly").status, 0, "imappw wins for imap");
  assert.equal(authtest(socket, "-s", "imap", "amy", "amypass").status, 1);
  for (const alg of Object.keys(ALGS) as (keyof typeof ALGS)[]) {
    const r = await cram(socket, alg, "john@example.com", "secret");
    assert.equal(r.kind, "ok", `CRAM-${alg}`);
    assert.equal((await cram(socket, alg, "john@example.com", "wrong")).kind, "fail");
  }
  assert.deepEqual(await exchange(socket, "PRE . imap nobody\n"), Buffer.from("FAIL\n"));
});

test("hashes made by our userdbpw verify in Debian's authdaemond (userdb compiled by Debian's makeuserdb)", async (t) => {
  if (skipOrFail(t, why)) return;
  const T = tmp("userdb-interop-");
  const etc = join(T, "etc");
  const runDir = join(T, "run");
  mkdirSync(etc);
  mkdirSync(join(runDir, "courier", "authdaemon"), { recursive: true });
  const src = join(etc, "userdb");
  const hash = (...args: string[]) => {
    const r = run("userdbpw", args, "secret\n");
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  const user = (name: string, fields: string[]) =>
    assert.equal(run("userdb", ["-f", src, name, "set", ...fields]).status, 0);
  user("sha512", ["uid=2001", "gid=2001", "home=/home/sha512", `systempw=${hash()}`]);
  user("md5", ["uid=2002", "gid=2002", "home=/home/md5", `systempw=${hash("-md5")}`]);
  user("cram", [
    "uid=2003",
    "gid=2003",
    "home=/home/cram",
    ...Object.keys(ALGS).map((a) => `hmac-${a}pw=${hash(`-hmac-${a}`)}`),
  ]);
  writeFileSync(
    join(etc, "authdaemonrc"),
    'authmodulelist="authuserdb"\ndaemons=1\nDEBUG_LOGIN=0\nDEFAULTOPTIONS=""\n',
  );
  // Debian's daemon stays in the foreground when started directly (courierlogger is what
  // backgrounds it); the startup script's `set -a; . authdaemonrc` is done here by hand.
  const script = `/usr/sbin/makeuserdb\nset -a\n. /etc/courier/authdaemonrc\nset +a\nexec ${DEB_DAEMON}`;
  let log = "";
  const deb = spawn("unshare", namespaceArgs(script, etc, runDir), { stdio: ["ignore", "ignore", "pipe"] });
  deb.stderr?.on("data", (d) => {
    log += d;
  });
  daemons.push(deb);
  const socket = join(runDir, "courier", "authdaemon", "socket");
  await waitForSocket(socket, () => log);

  const debAuthtest = (...args: string[]) =>
    inNamespace(`exec /usr/sbin/authtest ${args.map((a) => `'${a}'`).join(" ")}`, etc, runDir);
  for (const name of ["sha512", "md5"]) {
    const ok = debAuthtest("-s", "imap", name, "secret");
    assert.equal(ok.status, 0, `${name}: ${ok.stderr}\n${log}`);
    assert.match(ok.stdout, new RegExp(`Authenticated: ${name} {2}\\(uid 200\\d, gid 200\\d\\)`));
    const bad = debAuthtest("-s", "imap", name, "wrong");
    assert.equal(bad.status, 1);
  }
  for (const alg of Object.keys(ALGS) as (keyof typeof ALGS)[]) {
    assert.equal((await cram(socket, alg, "cram", "secret")).kind, "ok", `CRAM-${alg} in Debian's daemon`);
    assert.equal((await cram(socket, alg, "cram", "wrong")).kind, "fail");
  }
  const exited = new Promise((r) => deb.once("exit", r));
  deb.kill("SIGTERM");
  await exited;
});
