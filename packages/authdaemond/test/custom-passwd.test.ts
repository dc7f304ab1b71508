// authcustom, temporary vs permanent failure, PASSWD through authuserdb, DEBUG_LOGIN=2,
// a child killed mid-request, SIGHUP with a request in flight, and the tools' --help.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { checkPassword, cramSecret } from "@courier-imap/authlib";
import { authRequest, children, exchange, ROOT, tool, waitFor } from "./helpers.js";

const HASH = "$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1"; // "secret"
const dir = mkdtempSync(join(tmpdir(), "authcustom-test-"));
const userdb = join(dir, "userdb");
const socket = join(dir, "var", "socket");
const rc = join(dir, "authdaemonrc");
const env = { USERDB: userdb, AUTHDAEMONSOCKET: socket };
let daemon: ChildProcess;
let log = "";

const CUSTOM = `
export async function lookup(userid, service) {
  if (userid === "temp@x") throw new Error("database down");
  if (userid === "slow@x") await new Promise((r) => setTimeout(r, 1500));
  if (userid === "slow@x" || userid === "clear@x")
    return { record: { uid: 3000, gid: 3000, home: "/home/c", options: "svc=" + service }, clearPassword: "pw" };
  return undefined;
}
`;

function writeRc(daemons: number): void {
  writeFileSync(
    rc,
    `authmodulelist="authcustom authuserdb"\ndaemons=${daemons}\nauthdaemonvar=${dir}/var\nUSERDB=${userdb}\nAUTHCUSTOM=${dir}/custom.mjs\nDEBUG_LOGIN=2\n`,
  );
}

before(async () => {
  writeFileSync(join(dir, "custom.mjs"), CUSTOM);
  writeFileSync(
    userdb,
    `john@example.com\tuid=1012|gid=1012|home=/home/john|options=disableshared=1|systempw=${HASH}|hmac-md5pw=${cramSecret("md5", "secret")}\n` +
      `temp@x\tuid=1013|gid=1013|home=/home/t|systempw=${HASH}\n` +
      `ann@example.com\tuid=1014|gid=1014|home=/home/ann|mail=Maildir|systempw=${HASH}\n`,
  );
  chmodSync(userdb, 0o600);
  assert.equal(tool("makeuserdb", [], env).status, 0);
  writeRc(2);
  const { DEBUG_LOGIN: _d, DEFAULTOPTIONS: _o, ...clean } = process.env;
  daemon = spawn(process.execPath, [join(ROOT, "bin", "authdaemond"), "--config", rc], {
    env: clean,
    stdio: ["ignore", "ignore", "pipe"],
  });
  daemon.stderr?.on("data", (d) => {
    log += d;
  });
  await waitFor(
    "the socket",
    async () => (await exchange(socket, "PRE . imap ann@example.com\n")).length > 0,
  );
});

after(() => {
  if (daemon.exitCode === null) daemon.kill("SIGKILL");
});

test("authcustom: the site's lookup() with a clear password, for login and CRAM-MD5", async () => {
  const ok = (await exchange(socket, authRequest("imap", "clear@x", "pw"))).toString();
  assert.equal(ok, "UID=3000\nGID=3000\nHOME=/home/c\nADDRESS=clear@x\nPASSWD2=pw\nOPTIONS=svc=imap\n.\n");
  assert.equal((await exchange(socket, authRequest("imap", "clear@x", "nope"))).toString(), "FAIL\n");
  const challenge = "<1896.697170952@postoffice.example.net>";
  const digest = createHmac("md5", "pw").update(challenge).digest("hex");
  const body = `imap\ncram-md5\n${Buffer.from(challenge).toString("base64")}\n${Buffer.from(`clear@x ${digest}`).toString("base64")}\n`;
  const cram = (await exchange(socket, `AUTH ${body.length}\n${body}`)).toString();
  assert.match(cram, /^UID=3000\n.*ADDRESS=clear@x\n/s);
});

test("TEMPFAIL closes without a reply and stops the chain; REJECT goes on to the next module", async () => {
  assert.equal((await exchange(socket, authRequest("imap", "temp@x", "secret"))).length, 0);
  assert.match(log, /DEBUG: authcustom: TEMPFAIL - no more modules will be tried/);
  const r = tool("authtest", ["temp@x", "secret"], env);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Authentication FAILED: Input\/output error/);
  const john = (await exchange(socket, authRequest("imap", "john@example.com", "secret"))).toString();
  assert.match(john, /^UID=1012\n/);
  assert.match(log, /DEBUG: authcustom: REJECT - try next module/);
  assert.equal((await exchange(socket, authRequest("imap", "nobody@x", "secret"))).toString(), "FAIL\n");
  assert.match(log, /DEBUG: FAIL, all modules rejected/);
});

test("DEBUG_LOGIN=2 logs the passwords; bytes outside printable ASCII become '.'", async () => {
  await exchange(socket, "PRE . imap evil\x1b[31mname\u00e9\n");
  assert.match(log, /DEBUG: received userid lookup request: evil\.\[31mname\.\.\n/);
  await exchange(socket, authRequest("imap", "ann@example.com", "secret"));
  assert.match(log, /DEBUG: Authenticated: clearpasswd=secret, passwd=\$1\$M6YnO2lA\$/);
});

test("PASSWD through authuserdb rewrites the userdb source, its CRAM secret, and recompiles", async () => {
  const r = tool("authtest", ["-s", "imap", "john@example.com", "secret", "n3w-Pass"], env);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "Password change succeeded.\n");
  const text = readFileSync(userdb, "utf8");
  const line = text.split("\n").find((l) => l.startsWith("john@example.com\t")) ?? "";
  const pw = /systempw=([^|]+)/.exec(line)?.[1] ?? "";
  assert.match(pw, /^\$1\$/);
  assert.ok(await checkPassword("n3w-Pass", pw));
  assert.match(line, new RegExp(`hmac-md5pw=${cramSecret("md5", "n3w-Pass")}`));
  assert.match(
    (await exchange(socket, authRequest("imap", "john@example.com", "n3w-Pass"))).toString(),
    /^UID=1012/,
  );
  assert.equal(
    (await exchange(socket, authRequest("imap", "john@example.com", "secret"))).toString(),
    "FAIL\n",
  );
  // wrong old password, control characters, too few fields
  assert.equal(tool("authtest", ["john@example.com", "secret", "x"], env).status, 1);
  assert.equal((await exchange(socket, "PASSWD imap\tjohn@example.com\tn3w\x01\tx\n")).toString(), "FAIL\n");
  assert.equal((await exchange(socket, "PASSWD imap\tjohn@example.com\tn3w-Pass\n")).length, 0);
});

test("authenumerate lists accounts; -o adds options, -s skips disableshared", () => {
  const all = tool("authenumerate", ["-o"], env);
  assert.equal(all.status, 0, all.stderr);
  assert.match(all.stdout, /^ann@example\.com\t1014\t1014\t\/home\/ann\tMaildir\t\n/m);
  assert.match(all.stdout, /^john@example\.com\t1012\t1012\t\/home\/john\t\tdisableshared=1\n/m);
  const shared = tool("authenumerate", ["-s"], env);
  assert.doesNotMatch(shared.stdout, /john/);
  assert.equal(tool("authenumerate", ["-x"], env).status, 1);
});

test("a child killed mid-request: the client sees a temporary failure, the child is replaced", async () => {
  const pid = daemon.pid ?? 0;
  const before = children(pid);
  const pending = exchange(socket, authRequest("imap", "slow@x", "pw"));
  await new Promise((r) => setTimeout(r, 400));
  for (const c of before) process.kill(c, "SIGKILL");
  assert.equal((await pending).length, 0);
  await waitFor("replacement children", () => {
    const now = children(pid);
    return now.length === 2 && now.every((c) => !before.includes(c));
  });
  await waitFor("answers again", async () =>
    (await exchange(socket, authRequest("imap", "ann@example.com", "secret")))
      .toString()
      .startsWith("UID=1014"),
  );
});

test("SIGHUP with a request in flight: it is answered, and the new daemons= applies", async () => {
  const pid = daemon.pid ?? 0;
  const before = children(pid);
  writeRc(3);
  const pending = exchange(socket, authRequest("imap", "slow@x", "pw"));
  await new Promise((r) => setTimeout(r, 300));
  daemon.kill("SIGHUP");
  assert.match((await pending).toString(), /^UID=3000\n.*\n\.\n$/s);
  await waitFor("three new children", () => {
    const now = children(pid);
    return now.length === 3 && now.every((c) => !before.includes(c));
  });
  assert.match(log, /INFO: modules="authcustom authuserdb", daemons=3/);
});

test("every tool answers --help", () => {
  for (const t of ["authdaemond", "authtest", "authenumerate", "authpasswd", "authinfo"]) {
    const r = tool(t, ["--help"]);
    assert.equal(r.status, 0, `${t}: ${r.stderr}`);
    assert.match(r.stdout, /^NAME\n/, t);
  }
});

test("authpasswd makes every scheme it names, and each verifies", async () => {
  const expect: Record<string, RegExp> = {
    "": /^\$1\$/,
    md5: /^\{MD5\}/,
    md5raw: /^\{MD5RAW\}/,
    sha1: /^\{SHA\}/,
    ssha: /^\{SSHA\}/,
    sha256: /^\{SHA256\}/,
    sha512: /^\{SHA512\}/,
    crypt: /^[./0-9A-Za-z]{13}$/,
    sha512crypt: /^\$6\$/,
    yescrypt: /^\$y\$/,
  };
  for (const [m, re] of Object.entries(expect)) {
    const r = tool("authpasswd", m ? [m] : [], {}, "s3cret\n");
    assert.equal(r.status, 0, r.stderr);
    const h = r.stdout.trim();
    assert.match(h, re, m);
    assert.ok(await checkPassword("s3cret", h), `${m}: ${h}`);
  }
  assert.equal(tool("authpasswd", [], {}, "").status, 1);
});

test("authinfo lists the built-in modules and what authdaemonrc enables", () => {
  const r = tool("authinfo", ["--config", rc]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Built-in modules: authuserdb authpwd authshadow authpam authcustom\n/);
  assert.match(
    r.stdout,
    /authmodulelist="authcustom authuserdb"\n {2}authcustom: enabled\n {2}authuserdb: enabled\n/,
  );
});
