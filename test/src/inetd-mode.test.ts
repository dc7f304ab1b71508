// The workers with no couriertcpd (issue 10): started per connection by inetd-style
// `socat TCP-LISTEN:<port>,fork EXEC:bin/imapd`, or handed the connected socket as fd 0/1
// as systemd's Accept=yes socket units do. Only authdaemond runs from the instance.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ImapFlow } from "imapflow";
import { bin, createInstance, type InstanceInfo, type Running, startInstance } from "./lib/instance.js";
import { freePort, listening } from "./lib/net.js";
import { waitUntil } from "./lib/procs.js";

let dir: string;
let info: InstanceInfo;
let server: Running;
const children: ChildProcess[] = [];
const servers: Server[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "courier-inetd-"));
  info = createInstance({ dir, imapPort: await freePort(), imapsPort: await freePort(), certBits: 2048 });
  server = await startInstance(info);
});

after(async () => {
  for (const c of children) c.kill("SIGTERM");
  for (const s of servers) s.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What inetd or a systemd unit would put in the worker's environment. */
const workerEnv = () => ({
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  AUTHDAEMONSOCKET: info.authsocket,
  IMAP_LOGIN_FAIL_DELAY: "0",
  POP3_LOGIN_FAIL_DELAY: "0",
});

async function socat(program: string): Promise<number> {
  const port = await freePort();
  const child = spawn("socat", [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `EXEC:${bin(program)}`], {
    env: workerEnv(),
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(child);
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  await waitUntil(() => listening(port) || child.exitCode !== null, `socat on ${port}`);
  assert.equal(child.exitCode, null, `socat exited: ${err}`);
  return port;
}

async function imapflowSession(port: number): Promise<{ exists: number; subject: string }> {
  const c = new ImapFlow({
    host: "127.0.0.1",
    port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: info.user, pass: info.password },
    logger: false,
  });
  await c.connect();
  try {
    const box = await c.mailboxOpen("INBOX");
    const msg = await c.fetchOne("1", { envelope: true, source: true }, { uid: true });
    if (msg === false || !msg.source) throw new Error("UID 1 was not fetched");
    return { exists: box.exists, subject: msg.envelope?.subject ?? "" };
  } finally {
    await c.logout();
  }
}

/** Sends `lines` one by one, each after the previous reply ends with a line matching `done[i]`. */
function dialogue(port: number, lines: string[], done: RegExp[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1");
    let got = "";
    let step = 0;
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`timeout at step ${step}:\n${got}`));
    }, 20000);
    s.on("data", (d) => {
      got += d.toString();
      while (step < done.length && done[step].test(got)) {
        if (step < lines.length) s.write(`${lines[step]}\r\n`);
        step++;
      }
    });
    s.on("close", () => {
      clearTimeout(timer);
      resolve(got);
    });
    s.on("error", reject);
  });
}

test("imapd under socat TCP-LISTEN,fork (inetd style): two sessions log in, SELECT and FETCH", async () => {
  const port = await socat("imapd");
  for (let i = 0; i < 2; i++) {
    const r = await imapflowSession(port);
    assert.equal(r.exists, 3);
    assert.equal(r.subject, "Welcome to Courier-IMAP (TypeScript)");
  }
});

test("imapd with the connected socket as fd 0/1 (systemd Accept=yes style)", async () => {
  let log = "";
  const srv = createServer((sock) => {
    // stdio: the accepted socket's descriptor becomes the worker's stdin and stdout
    const w = spawn(bin("imapd"), [], {
      env: { ...workerEnv(), TCPREMOTEIP: sock.remoteAddress ?? "", TCPREMOTEPORT: String(sock.remotePort) },
      stdio: [sock, sock, "pipe"],
    });
    children.push(w);
    w.stderr!.on("data", (d) => (log += d));
    sock.destroy(); // the parent's copy; the worker holds the connection now
  });
  servers.push(srv);
  const port = await new Promise<number>((r) =>
    srv.listen(0, "127.0.0.1", () => r((srv.address() as { port: number }).port)),
  );
  const out = await dialogue(
    port,
    [
      `a LOGIN "${info.user}" "${info.password}"`,
      "b SELECT INBOX",
      "c UID FETCH 3 (BODY[HEADER.FIELDS (SUBJECT)])",
      "d LOGOUT",
    ],
    [/^\* OK /m, /^a OK/m, /^b OK/m, /^c OK/m, /^d OK/m],
  );
  assert.match(out, /^\* OK \[CAPABILITY .*\] Courier-IMAP ready/m);
  assert.match(out, /^a OK /m);
  assert.match(out, /^\* 3 EXISTS\r$/m);
  assert.match(out, /Subject: Adding accounts\r\n/);
  assert.match(out, /^d OK LOGOUT completed/m);
  await waitUntil(
    () => /INFO: LOGOUT, user=demo@example\.com, ip=\[[^\]]*127\.0\.0\.1\]/.test(log),
    "LOGOUT log",
  );
});

test("pop3d under socat TCP-LISTEN,fork (inetd style): USER/PASS, STAT, RETR", async () => {
  const port = await socat("pop3d");
  const out = await dialogue(
    port,
    [`USER ${info.user}`, `PASS ${info.password}`, "STAT", "RETR 1", "QUIT"],
    [
      /^\+OK Hello there\.\r\n/m,
      /Password required\.\r\n/,
      /logged in\.\r\n/,
      /^\+OK 3 \d+\r\n/m,
      /\r\n\.\r\n/,
      /Bye-bye/,
    ],
  );
  assert.match(out, /^\+OK 3 \d+\r$/m);
  assert.match(out, /^Subject: Welcome to Courier-IMAP \(TypeScript\)\r$/m);
  assert.match(out, /^\+OK Bye-bye\.\r$/m);
});
