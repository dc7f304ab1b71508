// `authdaemond start|stop|restart` with Courier's pid and lock files.

import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { children as allChildren, authRequest, exchange, tool, waitFor } from "./helpers.js";

/** The daemon's worker processes (in daemon mode it also has a logger(1) child). */
const children = (pid: number) =>
  allChildren(pid).filter((c) => readFileSync(`/proc/${c}/cmdline`, "utf8").includes("worker.js"));

/** Running (a zombie left for an init that does not reap counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

test("start refuses a second instance, restart is SIGHUP, stop waits until the daemon is gone", async () => {
  const dir = mkdtempSync(join(tmpdir(), "authlife-test-"));
  const userdb = join(dir, "userdb");
  writeFileSync(
    userdb,
    "ann\tuid=1014|gid=1014|home=/home/ann|systempw=$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1\n",
  );
  chmodSync(userdb, 0o600);
  assert.equal(tool("makeuserdb", ["-f", userdb]).status, 0);
  const rc = join(dir, "rc");
  const v = join(dir, "var");
  writeFileSync(rc, `authmodulelist="authuserdb"\ndaemons=2\nauthdaemonvar=${v}\nUSERDB=${userdb}\n`);
  try {
    const s1 = tool("authdaemond", ["--config", rc, "start"]);
    assert.equal(s1.status, 0, s1.stderr);
    const pid = Number.parseInt(readFileSync(join(v, "pid"), "utf8"), 10);
    assert.equal(statSync(join(v, "pid.lock")).mode & 0o777, 0o600);
    // start returns once the socket answers
    assert.match(
      (await exchange(join(v, "socket"), authRequest("imap", "ann", "secret"))).toString(),
      /^UID=1014/,
    );

    const s2 = tool("authdaemond", ["--config", rc, "start"]);
    assert.equal(s2.status, 0);
    assert.match(s2.stderr, new RegExp(`already running \\(pid ${pid}\\)`));
    assert.equal(Number.parseInt(readFileSync(join(v, "pid"), "utf8"), 10), pid);

    const before = children(pid);
    assert.equal(before.length, 2);
    assert.equal(tool("authdaemond", ["--config", rc, "restart"]).status, 0);
    await waitFor("new children after restart", () => {
      const now = children(pid);
      return now.length === 2 && now.every((c) => !before.includes(c));
    });

    assert.equal(tool("authdaemond", ["--config", rc, "stop"]).status, 0);
    assert.ok(!alive(pid), "the daemon is gone when stop returns");
    assert.ok(!existsSync(join(v, "pid")));
    assert.equal(tool("authdaemond", ["--config", rc, "stop"]).status, 0, "stop when not running");
    assert.equal(tool("authdaemond", ["--config", rc, "restart"]).status, 0, "restart when not running");
    assert.throws(() => readFileSync(join(v, "pid")), "restart does not start it");
    assert.equal(tool("authdaemond", ["--config", rc, "bogus"]).status, 1);
  } finally {
    tool("authdaemond", ["--config", rc, "stop"]);
  }
});
