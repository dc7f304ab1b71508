// End to end: authdaemond + couriertcpd + pop3d workers as real processes, driven by real
// POP3 clients (python3 poplib, curl, fetchmail) over real sockets, against real maildirs.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  addAccount,
  createInstance,
  deliver,
  type InstanceInfo,
  makeMaildir,
  ROOT,
  type Running,
  run,
  startInstance,
} from "./lib/instance.js";
import { freePort } from "./lib/net.js";
import { waitUntil } from "./lib/procs.js";

const VMAIL = 5000;
const owner = process.getuid!() === 0 ? { uid: VMAIL, gid: VMAIL } : {};
let dir: string;
let info: InstanceInfo;
let server: Running;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "courier-pop3-"));
  info = createInstance({
    dir,
    imapPort: await freePort(),
    imapsPort: await freePort(),
    pop3Port: await freePort(),
    certBits: 2048,
    ...owner,
    pop3d: { POP3_LOGIN_FAIL_DELAY: "0.2", POP3AUTH: '"PLAIN LOGIN"', POP3_LOG_DELETIONS: "1" },
  });
  if (process.getuid!() === 0) {
    // the accounts below live under dir/mail, reached by the workers as the vmail uid
    run("chmod", ["711", dir, join(dir, "mail")]);
  }
  server = await startInstance(info);
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh account with its own maildir; returns the maildir. */
function account(name: string, password: string): string {
  const home = join(dir, "mail", name);
  makeMaildir(join(home, "Maildir"));
  addAccount(info, `${name}@example.com`, password, home, owner.uid, owner.gid);
  return join(home, "Maildir");
}

function chownMail(maildir: string): void {
  if (owner.uid !== undefined) run("chown", ["-R", `${owner.uid}:${owner.gid}`, join(maildir, "..")]);
}

function curl(user: string, password: string, path: string, extra: string[] = []) {
  const url = `pop3://127.0.0.1:${info.pop3}/${path}`;
  return spawnSync("curl", ["-sS", "--max-time", "30", "--user", `${user}:${password}`, ...extra, url], {
    encoding: "utf8",
  });
}

test("python3 poplib: every command, dot-stuffing, AUTH, and a 20 MB message", async () => {
  const md = account("py", "py-secret");
  deliver(md, "py@example.com", "first", "one");
  deliver(md, "py@example.com", "dots", ".leading dot\n..two dots\n.\nend");
  // 20 MB of 76-column lines, written straight into new/ as a delivery agent would
  const line = `${"x".repeat(75)}\n`;
  const big = `Subject: big\nFrom: <a@example.com>\n\n${line.repeat(Math.ceil((20 << 20) / line.length))}`;
  writeFileSync(join(md, "new", `${Math.floor(Date.now() / 1000) + 5}.M1P1.big`), big);
  chownMail(md);
  const wire = Buffer.from(big.replace(/\n/g, "\r\n"));
  const r = spawnSync(
    "python3",
    [
      join(ROOT, "test", "src", "pop3", "poplib-session.py"),
      String(info.pop3),
      "py@example.com",
      "py-secret",
      "3",
    ],
    { encoding: "utf8", maxBuffer: 1 << 24 },
  );
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.equal(o.welcome, "+OK Hello there.");
  assert.deepEqual(Object.keys(o.capa).sort(), [
    "IMPLEMENTATION",
    "LANG",
    "LOGIN-DELAY",
    "PIPELINING",
    "SASL",
    "STLS",
    "TOP",
    "UIDL",
    "USER",
    "UTF8",
  ]);
  assert.deepEqual(o.capa.SASL, ["PLAIN", "LOGIN"]);
  assert.deepEqual(o.lang, ["en English", "i-default Default language"]);
  assert.equal(o.pass_without_user, "-ERR USER/PASS required.");
  assert.equal(o.bad_password, "-ERR Login failed.");
  assert.equal(o.stat_before_login, "-ERR Invalid command.");
  assert.equal(o.auth_no_mech, "-ERR Invalid command.");
  assert.equal(o.utf8, "+OK UTF8 enabled");
  assert.equal(o.pass, "+OK logged in.");
  assert.equal(o.stat[0], 3);
  assert.equal(o.list.length, 3);
  assert.equal(o.list1, `+OK 1 ${o.list[0].split(" ")[1]}`);
  assert.equal(o.list_bad, "-ERR Invalid message number.");
  assert.equal(o.uidl.length, 3);
  for (const [i, l] of o.uidl.entries()) assert.match(l, new RegExp(`^${i + 1} UID${i + 1}-\\d+$`));
  assert.equal(o.uidl1, `+OK ${o.uidl[0]}`);
  assert.equal(o.top.at(-1), ".leading dot", "TOP 2 1: headers, blank line, one body line");
  assert.equal(o.top.at(-2), "");
  assert.equal(o.top_no_lines, "-ERR Invalid command.");
  assert.deepEqual(o.retr_dots.slice(-4), [".leading dot", "..two dots", ".", "end"]);
  assert.equal(o.big.resp, `+OK ${wire.length} octets follow.`);
  assert.equal(o.big.len, wire.length);
  assert.equal(o.big.sha256, createHash("sha256").update(wire).digest("hex"));
  assert.equal(Number(o.list[2].split(" ")[1]), wire.length, "LIST size = RFC 1939 octets");
  assert.equal(o.dele, "+OK Deleted.");
  assert.equal(o.retr_deleted, "-ERR Invalid message number.");
  assert.equal(o.stat_after_dele[0], 2);
  assert.equal(o.rset, "+OK Resurrected.");
  assert.equal(o.stat_after_rset[0], 3);
  assert.equal(o.noop, "+OK Yup.");
  assert.equal(o.unknown, "-ERR Invalid command.");
  assert.equal(o.quit, "+OK Bye-bye.");
  assert.equal(o.auth_abort, "-ERR Authentication aborted.");
  assert.equal(o.auth_login, "OK +OK logged in.");
  assert.equal(o.auth_stat[0], 2, "message 1 was deleted at QUIT");
  assert.equal(o.auth_plain_bad, "-ERR Authentication failed.");
  assert.equal(o.auth_plain, "OK +OK logged in.");
  const cur = readdirSync(join(md, "cur"));
  assert.equal(cur.length, 2);
  assert.ok(
    cur.every((f) => f.endsWith(":2,S")),
    `RETR marked the messages seen: ${cur}`,
  );
  await waitUntil(
    () => /pop3d: INFO: LOGOUT, user=py@example\.com.*\n(.|\n)*LOGOUT, user=py/.test(server.log()),
    "log",
  );
  const log = server.log();
  assert.match(log, /pop3d: INFO: LOGIN FAILED, user=py@example\.com, ip=\[[^\]]+\], port=\[\d+\]/);
  assert.match(log, /pop3d: INFO: LOGIN, user=py@example\.com, ip=\[[^\]]+\], port=\[\d+\]\n/);
  assert.match(
    log,
    /pop3d: INFO: LOGOUT, user=py@example\.com, ip=\[[^\]]+\], port=\[\d+\], top=\d+, retr=\d{8}, rcvd=\d+, sent=\d{8}, time=\d+/,
  );
  assert.match(log, /pop3d: INFO: DELETED, user=py@example\.com, .*filename=cur\/\d+\.\S+:2,/);
});

test("curl pop3:// lists, retrieves and deletes", () => {
  const md = account("curly", "curl-secret");
  deliver(md, "curly@example.com", "hello curl", "curl body");
  deliver(md, "curly@example.com", "second", "more");
  chownMail(md);
  const listing = curl("curly@example.com", "curl-secret", "");
  assert.equal(listing.status, 0, listing.stderr);
  assert.match(listing.stdout, /^1 \d+\r\n2 \d+\r\n$/);
  const msg = curl("curly@example.com", "curl-secret", "1");
  assert.equal(msg.status, 0, msg.stderr);
  assert.match(msg.stdout, /^Subject: hello curl\r$/m);
  assert.match(msg.stdout, /curl body/);
  const dele = curl("curly@example.com", "curl-secret", "2", ["-X", "DELE", "-I"]);
  assert.equal(dele.status, 0, dele.stderr);
  const after = curl("curly@example.com", "curl-secret", "");
  assert.match(after.stdout, /^1 \d+\r\n$/);
  const bad = curl("curly@example.com", "wrong", "");
  assert.notEqual(bad.status, 0);
});

test("curl over STLS (--ssl-reqd) lists and retrieves", () => {
  const r = spawnSync(
    "curl",
    [
      "-sS",
      "--max-time",
      "30",
      "--ssl-reqd",
      "--cacert",
      info.certificate,
      "--resolve",
      `localhost:${info.pop3}:127.0.0.1`,
      "--user",
      `${info.user}:${info.password}`,
      `pop3://localhost:${info.pop3}/1`,
    ],
    { encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Subject: Welcome to Courier-IMAP \(TypeScript\)\r$/m);
});

test("fetchmail retrieves every message and deletes them from the server", () => {
  const which = spawnSync("sh", ["-c", "command -v fetchmail"], { encoding: "utf8" });
  if (which.status !== 0) {
    if (process.env.CI === "true") assert.fail("fetchmail is not installed");
    return;
  }
  const md = account("fetch", "fetch-secret");
  for (let i = 1; i <= 5; i++) deliver(md, "fetch@example.com", `fetch ${i}`, `message ${i}\n.dotted`);
  chownMail(md);
  const work = mkdtempSync(join(tmpdir(), "fetchmail-"));
  try {
    const rc = join(work, "fetchmailrc");
    const mbox = join(work, "mbox");
    writeFileSync(
      rc,
      `poll 127.0.0.1 protocol pop3 port ${info.pop3} user "fetch@example.com" password "fetch-secret" ` +
        `sslproto '' mda "cat >> ${mbox}"\n`,
      { mode: 0o600 },
    );
    const r = spawnSync(
      "fetchmail",
      ["-f", rc, "--nodetach", "--nosyslog", "-v", "--idfile", join(work, "ids")],
      {
        encoding: "utf8",
        env: { ...process.env, HOME: work },
        timeout: 60_000,
      },
    );
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const got = spawnSync("cat", [mbox], { encoding: "utf8" }).stdout;
    for (let i = 1; i <= 5; i++) assert.match(got, new RegExp(`^Subject: fetch ${i}$`, "m"));
    assert.match(got, /^\.dotted$/m, "dot-stuffing undone by the client");
    assert.deepEqual(readdirSync(join(md, "cur")), [], "fetchmail deleted them all");
    assert.deepEqual(readdirSync(join(md, "new")), []);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test("python3 poplib: STAT, LIST and UIDL of 3,000 messages (listings past 64 KiB) leave out a DELE'd one", () => {
  const md = account("many", "many-secret");
  const t = Math.floor(Date.now() / 1000);
  for (let i = 0; i < 3000; i++)
    writeFileSync(join(md, "new", `${t}.M${100000 + i}P1.many`), `Subject: m${i}\n\n${"x".repeat(i % 50)}\n`);
  chownMail(md);
  const script = `
import json, poplib, sys
p = poplib.POP3("127.0.0.1", ${info.pop3}, timeout=30)
p.user("many@example.com"); p.pass_("many-secret")
before = p.stat()
p.dele(7)
after = p.stat()
_, lst, _ = p.list()
_, uidl, _ = p.uidl()
p.rset(); p.quit()
print(json.dumps({"before": before, "after": after, "list": [l.decode() for l in lst], "uidl": [l.decode() for l in uidl]}))
`;
  const r = spawnSync("python3", ["-c", script], { encoding: "utf8", maxBuffer: 1 << 24 });
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  const sizes = Array.from(
    { length: 3000 },
    (_, i) => `Subject: m${i}\r\n\r\n${"x".repeat(i % 50)}\r\n`.length,
  );
  const total = sizes.reduce((a, b) => a + b, 0);
  assert.deepEqual(o.before, [3000, total]);
  assert.deepEqual(o.after, [2999, total - sizes[6]]);
  assert.equal(o.list.length, 2999);
  assert.equal(o.list[5], `6 ${sizes[5]}`);
  assert.equal(o.list[6], `8 ${sizes[7]}`, "message 7 is DELE'd");
  assert.equal(o.list[2998], `3000 ${sizes[2999]}`);
  assert.equal(o.uidl.length, 2999);
  assert.equal(new Set(o.uidl.map((l: string) => l.split(" ")[1])).size, 2999);
  assert.ok(Buffer.byteLength(o.uidl.join("\r\n")) > 65536, "the UIDL listing spans several blocks");
});
