// authdaemond as a real process on a real socket in a temp directory.

import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { authEnumerate, authLogin, authPre } from "@courier-imap/authlib";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const HASH = "$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1";
const JOHN = `john@example.com\tuid=1012|gid=1012|home=/home/vmail/john|mail=/home/vmail/john/Maildir|quota=10000000S|options=disablepop3=1|systempw=${HASH}|hmac-md5pw=cd3ba7deaad6e5ca23448ba42e379747a9e0f7f1fbc00c8a81bbaac395731b56\n`;
const RECORD_12_1 =
  "UID=1012\nGID=1012\nHOME=/home/vmail/john\nADDRESS=john@example.com\nMAILDIR=/home/vmail/john/Maildir\n" +
  `QUOTA=10000000S\nPASSWD=${HASH}\nPASSWD2=secret\nOPTIONS=disablepop3=1\n.\n`;

const dir = mkdtempSync(join(tmpdir(), "authdaemond-test-"));
const userdb = join(dir, "userdb");
const socket = join(dir, "var", "socket");
let daemon: ChildProcess;
let stderr = "";

function tool(name: string, args: string[], input = "") {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", name), ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, USERDB: userdb, AUTHDAEMONSOCKET: socket },
  });
  return r;
}

/** Sends raw bytes, returns everything the daemon wrote before it closed. */
function exchange(bytes: string | Buffer, closeAfterMs?: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = connect(socket);
    s.on("connect", () => {
      s.write(bytes);
      if (closeAfterMs !== undefined) setTimeout(() => s.end(), closeAfterMs);
    });
    s.on("data", (d) => chunks.push(d));
    s.on("error", reject);
    s.on("close", () => resolve(Buffer.concat(chunks)));
  });
}

function children(pid: number): number[] {
  const out: number[] = [];
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      if (new RegExp(`^PPid:\\s+${pid}$`, "m").test(status)) out.push(Number(p));
    } catch {}
  }
  return out;
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}; daemon stderr:\n${stderr}`);
}

const PRE_12_4 = "TCPREMOTEIP=::1\nPRE . login john@example.com\n";
const AUTH_12_1 = "TCPREMOTEIP=192.0.2.7\nAUTH 35\nimap\nlogin\njohn@example.com\nsecret\n";

before(async () => {
  writeFileSync(userdb, JOHN, { mode: 0o600 });
  chmodSync(userdb, 0o600);
  assert.equal(tool("makeuserdb", ["-f", userdb]).status, 0);
  const rc = join(dir, "authdaemonrc");
  writeFileSync(
    rc,
    `##NAME: authmodulelist:2\nauthmodulelist="authuserdb authvchkpw"\ndaemons=2\nauthdaemonvar=${dir}/var\nUSERDB=${userdb}\n`,
  );
  daemon = spawn(process.execPath, [join(ROOT, "bin", "authdaemond"), "--config", rc], {
    env: { ...process.env, DEBUG_LOGIN: "1", DEFAULTOPTIONS: "" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  daemon.stderr?.on("data", (d) => {
    stderr += d;
  });
  await waitFor("the socket", async () => (await exchange(PRE_12_4).catch(() => Buffer.alloc(0))).length > 0);
});

after(async () => {
  if (daemon.exitCode === null) {
    daemon.kill("SIGKILL");
  }
});

test("socket and directory permissions; unavailable module logged once at start", () => {
  assert.equal(statSync(join(dir, "var")).mode & 0o777, 0o750);
  assert.equal(statSync(socket).mode & 0o777, 0o777);
  assert.match(stderr, /INFO: modules="authuserdb authvchkpw", daemons=2/);
  assert.equal(stderr.match(/authvchkpw: module not available/g)?.length, 1);
});

test("AUTH login answers byte-exactly as spec §12.1 (195 bytes)", async () => {
  const reply = await exchange(AUTH_12_1);
  assert.equal(reply.toString(), RECORD_12_1);
  assert.equal(reply.length, 195);
});

test("PRE answers as spec §12.4 (no PASSWD2)", async () => {
  const reply = await exchange(PRE_12_4);
  assert.equal(reply.toString(), RECORD_12_1.replace("PASSWD2=secret\n", ""));
});

test("wrong password and unknown user give exactly FAIL\\n (§12.2)", async () => {
  const wrong = await exchange("TCPREMOTEIP=192.0.2.7\nAUTH 34\nimap\nlogin\njohn@example.com\nwrong\n");
  assert.equal(wrong.toString(), "FAIL\n");
  assert.equal((await exchange("PRE . imap nobody@example.com\n")).toString(), "FAIL\n");
  assert.equal((await exchange("AUTH 20\nimap\nlogin\njohn@ex\n\n")).toString(), "FAIL\n");
});

test("CRAM-MD5 as spec §12.5", async () => {
  const body =
    "imap\ncram-md5\nPDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UuZXhhbXBsZS5uZXQ+\n" +
    "am9obkBleGFtcGxlLmNvbSBhYmI3ZGU0OWM1OGRhMTQxNjg2NmJiYzU2NmI3ZTU4NQ==\n";
  assert.equal(body.length, 136);
  const reply = await exchange(`AUTH 136\n${body}`);
  assert.equal(
    reply.toString(),
    "UID=1012\nGID=1012\nHOME=/home/vmail/john\nADDRESS=john@example.com\nMAILDIR=/home/vmail/john/Maildir\nOPTIONS=disablepop3=1\n.\n",
  );
});

test("garbage, a too-long line and a truncated request are closed without a reply; the daemon goes on", async () => {
  assert.equal((await exchange("HELLO world\n")).length, 0);
  assert.equal((await exchange(Buffer.alloc(9000, 0x41))).length, 0);
  assert.equal((await exchange("AUTH 9000\n")).length, 0);
  assert.equal((await exchange("AUTH 35\nimap\nlogin\n", 50)).length, 0);
  assert.equal((await exchange(AUTH_12_1)).toString(), RECORD_12_1);
});

test("ENUMERATE lists the userdb accounts and ends with .", async () => {
  const reply = (await exchange("ENUMERATE\n")).toString();
  assert.equal(
    reply,
    "# authuserdb\n\njohn@example.com\t1012\t1012\t/home/vmail/john\t/home/vmail/john/Maildir\tdisablepop3=1\n.\n",
  );
  const list = await authEnumerate({ socket });
  assert.equal(list?.[0].name, "john@example.com");
});

test("an account added with bin/userdb + bin/makeuserdb authenticates without a restart", async () => {
  const opts = { socket };
  assert.equal((await authLogin(opts, "imap", "late@example.com", "n3w")).kind, "fail");
  let r = tool("userdb", ["late@example.com", "set", "uid=2000", "gid=2000", "home=/home/late"]);
  assert.equal(r.status, 0, r.stderr);
  const hash = tool("userdbpw", [], "n3w\n");
  assert.equal(hash.status, 0, hash.stderr);
  r = tool("userdb", ["late@example.com", "set", "systempw"], hash.stdout);
  assert.equal(r.status, 0, r.stderr);
  r = tool("makeuserdb", []);
  assert.equal(r.status, 0, r.stderr);
  // Both children must see it: ask more often than there are children.
  for (let i = 0; i < 6; i++) {
    const res = await authLogin(opts, "imap", "late@example.com", "n3w");
    assert.equal(res.kind, "ok");
    if (res.kind === "ok") assert.equal(res.record.home, "/home/late");
  }
  const pre = await authPre(opts, "imap", "late@example.com");
  assert.equal(pre.kind === "ok" && pre.record.passwd, hash.stdout.trim());
});

test("authtest prints Courier's report", () => {
  const r = tool("authtest", ["-s", "imap", "john@example.com", "secret"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /^Authentication succeeded\.\n\n {5}Authenticated: john@example\.com {2}\(uid 1012, gid 1012\)\n/,
  );
  assert.match(r.stdout, /Cleartext Password: secret\n/);
  const bad = tool("authtest", ["john@example.com", "nope"]);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, "Authentication FAILED: Operation not permitted\n");
});

test("a killed child is replaced and service continues", async () => {
  const pid = daemon.pid!;
  const before = children(pid);
  assert.equal(before.length, 2);
  process.kill(before[0], "SIGKILL");
  await waitFor("a replacement child", () => {
    const now = children(pid);
    return now.length === 2 && !now.includes(before[0]);
  });
  await waitFor("the socket to answer", async () => (await exchange(AUTH_12_1)).toString() === RECORD_12_1);
  assert.match(stderr, new RegExp(`ERR: child process ${before[0]} exited \\(SIGKILL\\)`));
});

test("SIGHUP restarts the children, the socket keeps answering", async () => {
  const pid = daemon.pid!;
  const before = children(pid);
  daemon.kill("SIGHUP");
  let answered = 0;
  await waitFor("new children", async () => {
    assert.equal((await exchange(AUTH_12_1)).toString(), RECORD_12_1, "answer during the restart");
    answered++;
    const now = children(pid);
    return now.length === 2 && now.every((p) => !before.includes(p));
  });
  assert.ok(answered > 1);
  assert.equal((await exchange(AUTH_12_1)).toString(), RECORD_12_1);
});

test("SIGTERM stops all processes; the socket file stays", async () => {
  const pid = daemon.pid!;
  const kids = children(pid);
  const exited = new Promise<number | null>((resolve) => daemon.once("exit", (code) => resolve(code)));
  daemon.kill("SIGTERM");
  assert.equal(await exited, 0);
  for (const k of kids) assert.throws(() => process.kill(k, 0));
  assert.ok(statSync(socket).isSocket());
});
