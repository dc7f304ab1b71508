// couriertcpd's options beyond the limits: the access file, -accesslocal, -drop, -haproxy,
// dual-stack addresses, -pid/-stop/-restart, -stderrlogger, -user.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { BIN, client, freePort, listening, startTcpd, stop } from "./helpers.js";

const MAKEDAT = join(BIN, "..", "makedat");
const ENVSHOW =
  'echo "ip=$TCPREMOTEIP lport=$TCPLOCALPORT foo=$FOO info=$TCPREMOTEINFO"; read x; echo "got $x"';
const tmp = () => mkdtempSync(join(tmpdir(), "tcpd-opt-test-"));

/** Running (a zombie left for an init that does not reap counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

function makedat(src: string): void {
  const r = spawnSync(MAKEDAT, [`-src=${src}`, `-file=${src}.dat`, `-tmp=${src}.tmp`, "-cidr"], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
}

test("-access: variables into the environment, MAXCPERIP, deny with -denymsg, SIGHUP re-reads", async () => {
  const dir = tmp();
  const src = join(dir, "imapaccess");
  writeFileSync(src, "# local net\n127.0.0.0/8\tallow,FOO=bar,MAXCPERIP=2\n*\tdeny\n");
  makedat(src);
  assert.match(readFileSync(`${src}.dat`, "utf8"), /^127\tallow,FOO=bar,MAXCPERIP=2$/m);
  const t = await startTcpd(
    [`-access=${src}.dat`, "-maxperip=1", "-denymsg=NO access"],
    ["/bin/sh", "-c", ENVSHOW],
  );
  try {
    const a = client(t.port);
    assert.match((await a.line())!, /^ip=::ffff:127\.0\.0\.1 lport=\d+ foo=bar info=$/);
    const b = client(t.port);
    assert.match((await b.line())!, /foo=bar/, "MAXCPERIP=2 raises -maxperip=1 for this address");
    const c = client(t.port);
    assert.equal(await c.line(), undefined);
    assert.match(t.stderr(), /^ALERT: Maximum connection limit reached for ::ffff:127\.0\.0\.1$/m);
    a.sock.destroy();
    b.sock.destroy();

    writeFileSync(src, "127.0.0.1\tdeny\n");
    makedat(src);
    t.proc.kill("SIGHUP");
    await sleep(300);
    const d = client(t.port);
    assert.equal(await d.line(), "NO access");
    assert.equal(await d.line(), undefined, "closed after the deny message");
    assert.equal(t.proc.exitCode, null, "SIGHUP does not stop couriertcpd");
  } finally {
    await stop(t);
  }
});

test("-access reads a source directory too; -accesslocal deny closes silently; -drop", async () => {
  const dir = tmp();
  writeFileSync(join(dir, "a"), "127.0.0.1\tallow,BLOCK=listed\n");
  writeFileSync(join(dir, "b~"), "127.0.0.1\tdeny\n");
  const t = await startTcpd([`-access=${dir}`, "-drop", "-denymsg=go away"], ["/bin/sh", "-c", ENVSHOW]);
  try {
    const a = client(t.port);
    assert.equal(await a.line(), "go away");
    assert.match(t.stderr(), /^WARN: dropped blocked connection from ::ffff:127\.0\.0\.1$/m);
  } finally {
    await stop(t);
  }
  writeFileSync(join(dir, "a"), "");
  const l = await startTcpd([`-access=${dir}`, "-accesslocal", "-denymsg=x"], ["/bin/sh", "-c", ENVSHOW]);
  try {
    const a = client(l.port);
    assert.match((await a.line())!, /^ip=/);
    a.sock.destroy();
    writeFileSync(join(dir, "a"), `*.${l.port}\tdeny\n`);
    l.proc.kill("SIGHUP");
    await sleep(300);
    const b = client(l.port);
    assert.equal(await b.line(), undefined, "closed without the -denymsg text");
  } finally {
    await stop(l);
  }
});

test("-haproxy: the PROXY line's addresses replace the socket's; the bytes after it reach the program", async () => {
  const t = await startTcpd(["-haproxy=2"], ["/bin/sh", "-c", ENVSHOW]);
  try {
    const a = client(t.port);
    a.sock.write("PROXY TCP4 192.0.2.7 198.51.100.1 40000 143\r\nhello\n");
    assert.equal(
      await a.line(),
      `ip=::ffff:192.0.2.7 lport=143 foo= info=proxy via ::ffff:127.0.0.1, port ${t.port}`,
    );
    assert.equal(await a.line(), "got hello");
    const bad = client(t.port);
    bad.sock.write("PROXY UNKNOWN\r\n");
    assert.equal(await bad.line(), undefined);
    const slow = client(t.port);
    assert.equal(await slow.line(4000), undefined, "closed at the timeout");
    assert.match(t.stderr(), /haproxy: unknown protocol/);
    assert.match(t.stderr(), /haproxy: timeout/);
  } finally {
    await stop(t);
  }
});

test("dual-stack: IPv6 clients as themselves, IPv4 clients as ::ffff:", async (t) => {
  if (!readFileSync("/proc/net/if_inet6", "utf8").includes("00000000000000000000000000000001")) {
    t.skip("no IPv6 loopback");
    return;
  }
  const d = await startTcpd([], ["/bin/sh", "-c", ENVSHOW], "");
  try {
    const six = client(d.port, "::1");
    assert.match((await six.line())!, /^ip=::1 lport=/);
    const four = client(d.port, "127.0.0.1");
    assert.match((await four.line())!, /^ip=::ffff:127\.0\.0\.1 lport=/);
    six.sock.destroy();
    four.sock.destroy();
  } finally {
    await stop(d);
  }
});

test("-pid: start returns once listening, a second start does nothing, -restart, -stop with BYE-style SIGTERM", async () => {
  const dir = tmp();
  const pidFile = join(dir, "tcpd.pid");
  const port = await freePort();
  const prog = ["/bin/sh", "-c", 'trap "echo bye; exit 0" TERM; echo up; while :; do sleep 0.05; done'];
  // The daemon keeps our stderr (its log), so it goes to a file, not a pipe spawnSync waits on.
  const errFile = join(dir, "stderr");
  const run = (...args: string[]) => {
    const fd = openSync(errFile, "w");
    const r = spawnSync(BIN, args, { stdio: ["ignore", "ignore", fd] });
    closeSync(fd);
    return { status: r.status, stderr: readFileSync(errFile, "utf8") };
  };
  try {
    const s = run(`-pid=${pidFile}`, `127.0.0.1.${port}`, ...prog);
    assert.equal(s.status, 0, s.stderr);
    assert.ok(listening(port), "listening when start returns");
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    assert.equal(run(`-pid=${pidFile}`, `127.0.0.1.${port}`, ...prog).status, 0);
    assert.equal(Number(readFileSync(pidFile, "utf8").trim()), pid);
    const busy = run(`-pid=${join(dir, "other.pid")}`, `127.0.0.1.${port}`, ...prog);
    assert.equal(busy.status, 1, "a port in use fails the start");
    assert.match(busy.stderr, /couriertcpd: .*EADDRINUSE/);

    const c = client(port);
    assert.equal(await c.line(), "up");
    assert.equal(run(`-pid=${pidFile}`, "-restart").status, 0);
    await sleep(200);
    assert.ok(alive(pid), "SIGHUP does not stop it");
    assert.equal(run(`-pid=${pidFile}`, "-stop").status, 0);
    assert.equal(await c.line(), "bye", "sessions get SIGTERM");
    assert.ok(!alive(pid), "gone when -stop returns");
    assert.ok(!listening(port));
  } finally {
    run(`-pid=${pidFile}`, "-stop");
  }
});

test("-stderrlogger runs one logger for all programs' stderr", async () => {
  const dir = tmp();
  const out = join(dir, "log");
  const logger = join(dir, "logger.sh");
  writeFileSync(logger, `#!/bin/sh\nwhile read l; do echo "$1: $l" >> ${out}; done\n`);
  chmodSync(logger, 0o755);
  const t = await startTcpd(
    [`-stderrlogger=${logger}`, "-stderrloggername=imapd"],
    ["/bin/sh", "-c", "echo INFO: hello from $$ >&2; echo ok"],
  );
  try {
    assert.equal(await client(t.port).line(), "ok");
    assert.equal(await client(t.port).line(), "ok");
    for (let i = 0; i < 50; i++) {
      if ((readFileSync(out, { encoding: "utf8", flag: "a+" }).match(/\n/g) ?? []).length >= 2) break;
      await sleep(50);
    }
    const lines = readFileSync(out, "utf8").trim().split("\n");
    assert.equal(lines.length, 2);
    for (const l of lines) assert.match(l, /^imapd: INFO: hello from \d+$/);
  } finally {
    await stop(t);
  }
});

test("-user drops privileges after binding", async (t) => {
  if (process.getuid!() !== 0) {
    t.skip("needs root");
    return;
  }
  const d = await startTcpd(["-user=nobody"], ["/bin/sh", "-c", 'echo "uid=$(id -u)"']);
  try {
    assert.equal(
      await client(d.port).line(),
      `uid=${spawnSync("id", ["-u", "nobody"], { encoding: "utf8" }).stdout.trim()}`,
    );
  } finally {
    await stop(d);
  }
});
