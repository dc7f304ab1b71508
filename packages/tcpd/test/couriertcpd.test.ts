import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { BIN, client, SHOW, startTcpd, stop } from "./helpers.js";

test("each connection runs its own program with the TCP* environment (IPv4 as ::ffff:) on fd 0/1", async () => {
  const t = await startTcpd([], ["/bin/sh", "-c", SHOW]);
  try {
    const a = client(t.port);
    const b = client(t.port);
    const la = (await a.line())!;
    const lb = (await b.line())!;
    assert.match(
      la,
      new RegExp(
        `^ip=::ffff:127\\.0\\.0\\.1 rport=${a.sock.localPort} local=::ffff:127\\.0\\.0\\.1:${t.port} pid=\\d+$`,
      ),
    );
    const pid = (l: string) => /pid=(\d+)/.exec(l)![1];
    assert.notEqual(pid(la), pid(lb), "two connections share a process");
    a.sock.write("hello\n");
    assert.equal(await a.line(), "got hello");
    assert.equal(await a.line(), undefined, "connection closes when the program exits");
    b.sock.end("bye\n");
    assert.equal(await b.line(), "got bye");
  } finally {
    await stop(t);
  }
});

test("-maxperip refuses the extra connection and logs Courier's line", async () => {
  const t = await startTcpd(["-maxperip=1"], ["/bin/sh", "-c", SHOW]);
  try {
    const a = client(t.port);
    assert.match((await a.line())!, /^ip=/);
    const b = client(t.port);
    assert.equal(await b.line(), undefined, "second connection from the same address must be closed");
    assert.match(t.stderr(), /^ALERT: Maximum connection limit reached for ::ffff:127\.0\.0\.1$/m);
    a.sock.end("x\n");
    assert.equal(await a.line(), "got x");
    await new Promise((r) => setTimeout(r, 200));
    const c = client(t.port);
    assert.match((await c.line())!, /^ip=/, "a slot frees when the first session ends");
    c.sock.destroy();
  } finally {
    await stop(t);
  }
});

test("-maxprocs makes further connections wait for a free slot", async () => {
  const t = await startTcpd(["-maxprocs=1", "-maxperip=10"], ["/bin/sh", "-c", SHOW]);
  try {
    const a = client(t.port);
    assert.match((await a.line())!, /^ip=/);
    const b = client(t.port);
    await assert.rejects(b.line(700), /timeout/, "second client must wait while the only slot is busy");
    assert.match(t.stderr(), /^ALERT: 1 maximum active connections\.$/m);
    a.sock.end("done\n");
    assert.equal(await a.line(), "got done");
    assert.match((await b.line())!, /^ip=/, "waiting client is served once the slot frees");
    b.sock.destroy();
  } finally {
    await stop(t);
  }
});

test("SIGTERM stops the listener and the running programs", async () => {
  const t = await startTcpd([], ["/bin/sh", "-c", "echo up; exec sleep 30"]);
  const a = client(t.port);
  assert.equal(await a.line(), "up");
  await stop(t);
  assert.equal(await a.line(), undefined, "the session's program got SIGTERM");
});

test("an unknown option is refused with Courier's message", () => {
  const r = spawnSync(BIN, ["-bogus", "143", "/bin/true"], { encoding: "utf8" });
  assert.equal(r.status, 1);
  assert.equal(r.stderr, "couriertcpd: Invalid option: -bogus\n");
  const ok = spawnSync(BIN, ["--help"], { encoding: "utf8" });
  assert.equal(ok.status, 0);
  assert.match(ok.stdout, /-maxperip=N/);
});

const POOL_WORKER = join(import.meta.dirname, "pool-worker.js");

test("-prespawn hands connections to ready workers over IPC and refills the pool", async () => {
  const t = await startTcpd(["-prespawn=2", "-maxperip=10"], [process.execPath, POOL_WORKER]);
  try {
    await waitFor(() => (t.stderr().match(/^ready \d+$/gm) ?? []).length === 2, "two ready idle workers");
    const idle = childrenOf(t.proc.pid!).sort();
    const a = client(t.port);
    const b = client(t.port);
    const la = (await a.line())!;
    const lb = (await b.line())!;
    for (const [l, c] of [
      [la, a],
      [lb, b],
    ] as const) {
      assert.match(l, new RegExp(`^pooled=1 pid=\\d+ ip=::ffff:127\\.0\\.0\\.1 local=${t.port}$`));
      assert.ok(idle.includes(Number(/pid=(\d+)/.exec(l)![1])), "served by a pre-started worker");
      c.sock.write("ping\n");
      assert.equal(await c.line(), "got ping");
    }
    await waitFor(
      () => childrenOf(t.proc.pid!).filter((p) => !idle.includes(p)).length === 2,
      "the pool refilled",
    );
    // More connections at once than idle workers: the rest are started for their connection.
    const many = [client(t.port), client(t.port), client(t.port), client(t.port)];
    const lines = await Promise.all(many.map((c) => c.line()));
    for (const l of lines) assert.match(l!, /^pooled=[01] pid=\d+ ip=::ffff:127\.0\.0\.1/);
    assert.equal(new Set(lines.map((l) => /pid=(\d+)/.exec(l!)![1])).size, 4, "one process per connection");
    for (const c of many) c.sock.destroy();
  } finally {
    await stop(t);
  }
  await waitFor(() => childrenOf(t.proc.pid!).length === 0, "idle workers stopped with the listener");
});

function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(f[1]) === ppid && f[0] !== "Z") out.push(Number(name));
    } catch {}
  }
  return out;
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
