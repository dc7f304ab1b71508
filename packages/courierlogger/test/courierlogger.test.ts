// bin/courierlogger against a datagram socket standing in for /dev/log: the exact messages
// (as Debian's courierlogger sends them), and the -start/-stop/-restart/-respawn cycle.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type Receiver, syslogReceiver, withoutTime } from "@courier-imap/testkit";

const BIN = join(import.meta.dirname, "..", "..", "..", "..", "bin", "courierlogger");
let rx: Receiver;
before(async () => {
  rx = await syslogReceiver();
});
after(() => rx.close());

function logger(args: string[], input?: string) {
  return spawnSync(BIN, args, {
    input,
    encoding: "latin1",
    env: { ...process.env, COURIER_SYSLOG_SOCKET: rx.path },
  });
}

function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

const childrenOf = (pid: number) =>
  spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
    .stdout.split("\n")
    .filter(Boolean)
    .map(Number);

test("stdin lines become mail-facility messages with the -name ident", async () => {
  const n = rx.messages.length;
  const r = logger(
    ["-name=imapd", "-facility=local3"],
    "INFO: LOGIN FAILED, user=x, ip=[::ffff:192.0.2.1]\nERR: bad\ncaf\xc3\xa9\n",
  );
  assert.equal(r.status, 0, r.stderr);
  const got = (await rx.waitFor(n + 3)).slice(n).map(withoutTime);
  assert.deepEqual(got, [
    "<158>imapd: LOGIN FAILED, user=x, ip=[::ffff:192.0.2.1]",
    "<155>imapd: bad",
    "<158>imapd: caf\xc3\xa9",
  ]);
});

test("a program's stderr is logged under its basename; its status is ours", async () => {
  const n = rx.messages.length;
  const r = logger(["/bin/sh", "-c", "echo 'WARN: careful' >&2; echo out; exit 3"]);
  assert.equal(r.status, 3);
  assert.equal(r.stdout, "out\n", "stdout is left alone in the foreground");
  const got = (await rx.waitFor(n + 1)).slice(n).map(withoutTime);
  assert.deepEqual(got, ["<20>sh: careful"]);
});

test("bad options are refused as Courier's courierlogger refuses them", () => {
  assert.equal(logger(["-bogus"]).stderr, "Unknown option '-bogus'\n");
  assert.equal(logger(["-facility=nope", "-name=x"], "").stderr, "Unknown facility name 'nope'\n");
  assert.match(logger([]).stderr, /^Usage: courierlogger/);
  assert.equal(logger([]).status, 1);
});

test("-start daemonizes once, -restart is SIGHUP through to the program, -stop waits", async () => {
  const dir = mkdtempSync(join(tmpdir(), "courierlogger-test-"));
  const pidFile = join(dir, "svc.pid");
  const prog = [
    "/bin/sh",
    "-c",
    'trap "echo WARN: hup >&2" HUP; echo "INFO: up $$" >&2; while :; do sleep 0.05; done',
  ];
  const n = rx.messages.length;
  try {
    const s1 = logger([`-pid=${pidFile}`, "-start", "-name=svc", ...prog]);
    assert.equal(s1.status, 0, s1.stderr);
    const pid = Number.parseInt(readFileSync(pidFile, "utf8"), 10);
    assert.ok(alive(pid));
    assert.equal(statSync(`${pidFile}.lock`).mode & 0o777, 0o600);
    const [child] = childrenOf(pid);
    assert.ok(child, "the program runs under the logger");

    assert.equal(
      logger([`-pid=${pidFile}`, "-start", "-name=svc", ...prog]).status,
      0,
      "second start succeeds",
    );
    assert.equal(Number.parseInt(readFileSync(pidFile, "utf8"), 10), pid);
    assert.deepEqual(childrenOf(pid), [child], "and starts nothing");

    assert.equal(logger([`-pid=${pidFile}`, "-restart"]).status, 0);
    const got = (await rx.waitFor(n + 2)).slice(n).map(withoutTime);
    assert.deepEqual(got, [`<22>svc: up ${child}`, "<20>svc: hup"]);

    assert.equal(logger([`-pid=${pidFile}`, "-stop"]).status, 0);
    assert.ok(!alive(pid) && !alive(child), "logger and program are gone when -stop returns");
    assert.equal(logger([`-pid=${pidFile}`, "-stop"]).status, 0, "stop when not running");
    assert.equal(logger([`-pid=${pidFile}`, "-restart"]).status, 0, "restart when not running");
    assert.ok(existsSync(pidFile), "Courier leaves the pid file");
  } finally {
    logger([`-pid=${pidFile}`, "-stop"]);
  }
});

test("-start reports a program that cannot run; -respawn restarts one that exits", async () => {
  const dir = mkdtempSync(join(tmpdir(), "courierlogger-test-"));
  const bad = logger([`-pid=${join(dir, "bad.pid")}`, "-start", join(dir, "missing")]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^courierlogger: .*missing.*ENOENT/);

  const pidFile = join(dir, "r.pid");
  try {
    assert.equal(logger([`-pid=${pidFile}`, "-respawn", "-start", "/bin/sh", "-c", "sleep 0.2"]).status, 0);
    const pid = Number.parseInt(readFileSync(pidFile, "utf8"), 10);
    const first = childrenOf(pid);
    await sleep(800);
    assert.ok(alive(pid), "the logger outlives its program with -respawn");
    let again: number[] = [];
    for (let i = 0; i < 100 && !again.length; i++) {
      await sleep(100);
      again = childrenOf(pid).filter((c) => !first.includes(c));
    }
    assert.ok(again.length, "program started again about 5 s later");
  } finally {
    logger([`-pid=${pidFile}`, "-stop"]);
  }
});
