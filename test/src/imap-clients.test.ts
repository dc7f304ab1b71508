// End to end: authdaemond + couriertcpd + imapd workers as real processes, driven by real
// clients (curl, python3 imaplib, imapflow) over real sockets, against a real Maildir.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ImapFlow } from "imapflow";
import { createInstance, type InstanceInfo, type Running, startInstance } from "./lib/instance.js";
import { freePort } from "./lib/net.js";
import { childrenOf, connectionOwner, type Proc, waitUntil } from "./lib/procs.js";

const VMAIL = 5000;
let dir: string;
let info: InstanceInfo;
let server: Running;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "courier-e2e-"));
  // As root, the account belongs to an unprivileged uid so that the privilege drop shows.
  const owner = process.getuid!() === 0 ? { uid: VMAIL, gid: VMAIL } : {};
  info = createInstance({
    dir,
    imapPort: await freePort(),
    imapsPort: await freePort(),
    certBits: 2048,
    ...owner,
    imapd: { IMAP_LOGIN_FAIL_DELAY: "0.2" },
  });
  server = await startInstance(info);
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The local port of an imapflow client's connection. */
function clientPort(c: ImapFlow): number {
  return (c as unknown as { socket: { localPort: number } }).socket.localPort;
}

function imapflow(password = info.password): ImapFlow {
  return new ImapFlow({
    host: "127.0.0.1",
    port: info.imap,
    secure: false,
    // the server offers STARTTLS, which imapflow then uses; its certificate names localhost
    servername: "localhost",
    tls: { ca: readFileSync(info.certificate) },
    auth: { user: info.user, pass: password },
    logger: false,
  });
}

test("curl logs in and fetches a message by UID", () => {
  const url = `imap://${encodeURIComponent(info.user)}:${encodeURIComponent(info.password)}@127.0.0.1:${info.imap}/INBOX;UID=1`;
  const r = spawnSync("curl", ["-sS", "--max-time", "20", url], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Subject: Welcome to Courier-IMAP \(TypeScript\)\r$/m);
  assert.match(r.stdout, /This is your demo mailbox\./);
});

test("curl with a wrong password is refused", async () => {
  const url = `imap://${encodeURIComponent(info.user)}:wrong@127.0.0.1:${info.imap}/INBOX;UID=1`;
  const r = spawnSync("curl", ["-sS", "--max-time", "20", url], { encoding: "utf8" });
  assert.equal(r.status, 67, `curl should report a login failure: ${r.stderr}`);
  const failed = /INFO: LOGIN FAILED, user=demo@example\.com, ip=\[::ffff:127\.0\.0\.1\], port=\[\d+\]/;
  await waitUntil(() => failed.test(server.log()), "the LOGIN FAILED log line");
});

test("python3 imaplib logs in, selects INBOX and fetches", () => {
  const script = `
import imaplib, json, sys
m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
typ, _ = m.login(sys.argv[2], sys.argv[3])
typ2, data = m.select("INBOX")
t, uid = m.fetch("2", "(UID RFC822.SIZE FLAGS)")
t, body = m.uid("FETCH", "3", "(BODY.PEEK[])")
try:
    m2 = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
    m2.login(sys.argv[2], "not-the-password")
    bad = "accepted"
except imaplib.IMAP4.error as e:
    bad = str(e)
m.logout()
print(json.dumps({"login": typ, "exists": data[0].decode(), "meta": uid[0].decode(), "body": body[0][1].decode(), "bad": bad}))
`;
  const r = spawnSync("python3", ["-c", script, String(info.imap), info.user, info.password], {
    encoding: "utf8",
    timeout: 30000,
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.login, "OK");
  assert.equal(out.exists, "3");
  assert.match(out.meta, /^2 \(UID 2 RFC822\.SIZE \d+ FLAGS \(.*\)\)$/);
  assert.match(out.body, /^Subject: Adding accounts\r$/m);
  assert.match(out.bad, /Login failed/);
});

test("imapflow lists, fetches and sees \\Seen set by a BODY[] fetch", async () => {
  const c = imapflow();
  await c.connect();
  try {
    const box = await c.mailboxOpen("INBOX");
    assert.equal(box.exists, 3);
    assert.ok(box.uidValidity > 0n);
    const msgs = [];
    for await (const m of c.fetch("1:*", {
      uid: true,
      flags: true,
      size: true,
      internalDate: true,
      envelope: false,
    })) {
      msgs.push(m);
    }
    assert.deepEqual(
      msgs.map((m) => m.uid),
      [1, 2, 3],
    );
    const one = await c.fetchOne("1", { source: true, uid: true });
    const source = one ? one.source : undefined;
    assert.ok(source?.toString().includes("Subject: Welcome"), "BODY[] holds the message");
    assert.equal(msgs[0].size, source?.length, "RFC822.SIZE equals the CRLF size of BODY[]");
    const flagged = await c.fetchOne("1", { flags: true });
    assert.ok(flagged ? flagged.flags?.has("\\Seen") : false, "BODY[] marks the message \\Seen");
    const cur = readdirSync(join(info.maildir, "cur"));
    assert.ok(
      cur.some((f) => /:2,S$/.test(f)),
      `the S flag is stored in the file name: ${cur}`,
    );
  } finally {
    await c.logout();
  }
  assert.match(
    server.log(),
    /INFO: LOGIN, user=demo@example\.com, ip=\[::ffff:127\.0\.0\.1\], port=\[\d+\], protocol=IMAP/,
  );
  await waitUntil(
    () => /INFO: LOGOUT, user=demo@example\.com, ip=\[::ffff:127\.0\.0\.1\]/.test(server.log()),
    "LOGOUT line",
  );
});

test("imapflow with a wrong password is refused", async () => {
  const c = imapflow("wrong-password");
  await assert.rejects(c.connect(), (e: Error & { authenticationFailed?: boolean }) => {
    assert.equal(e.authenticationFailed, true);
    return true;
  });
});

test("two concurrent sessions are served by two worker processes", async () => {
  let sessionPids: number[] = [];
  const a = imapflow();
  const b = imapflow();
  await Promise.all([a.connect(), b.connect()]);
  try {
    await Promise.all([a.mailboxOpen("INBOX"), b.mailboxOpen("INBOX")]);
    // Idle pre-started workers are children too; find the ones holding each connection.
    const children = childrenOf(server.tcpd.pid!).filter((p) => p.cmdline.includes("imapd"));
    const workers = [a, b].map((c) => connectionOwner(clientPort(c), children));
    assert.ok(workers[0] && workers[1], `each session has a worker: ${JSON.stringify(children)}`);
    assert.notEqual(workers[0].pid, workers[1].pid, "two sessions share a process");
    sessionPids = workers.map((w) => w!.pid);
    if (process.getuid!() === 0) {
      for (const w of workers as Proc[]) {
        const status = readFileSync(`/proc/${w.pid}/status`, "utf8");
        assert.match(
          status,
          new RegExp(`^Uid:\\t${VMAIL}\\t${VMAIL}\\t${VMAIL}\\t${VMAIL}$`, "m"),
          "worker dropped to the account's uid",
        );
        assert.match(
          status,
          new RegExp(`^Gid:\\t${VMAIL}\\t${VMAIL}\\t${VMAIL}\\t${VMAIL}$`, "m"),
          "and gid",
        );
        assert.match(status, new RegExp(`^Groups:\\t${VMAIL} ?$`, "m"), "and supplementary groups");
      }
    }
  } finally {
    await Promise.all([a.logout(), b.logout()]);
  }
  const live = () => new Set(childrenOf(server.tcpd.pid!).map((p) => p.pid));
  await waitUntil(
    () => sessionPids.every((pid) => !live().has(pid)),
    "the session workers to exit after LOGOUT",
  );
});
