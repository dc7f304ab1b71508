// The README's first command: the demo instance starts, serves curl, takes a new account
// added with the instance's own tools without a restart, and stops everything on Ctrl-C.

import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { addAccount, deliver, type InstanceInfo, makeMaildir, ROOT } from "./lib/instance.js";
import { freePortBase } from "./lib/net.js";
import { childrenOf, waitUntil } from "./lib/procs.js";

const dir = mkdtempSync(join(tmpdir(), "courier-demo-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function curl(user: string, password: string, port: number, path: string) {
  const url = `imap://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${path}`;
  return spawnSync("curl", ["-sS", "--max-time", "20", url], { encoding: "utf8" });
}

async function startDemo(
  base: number,
): Promise<{ demo: ChildProcess; out: () => string; info: InstanceInfo }> {
  const demo = spawn(
    process.execPath,
    [join(ROOT, "scripts", "demo.mjs"), "--dir", dir, "--port-base", String(base)],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  demo.stdout!.on("data", (d) => (out += d));
  demo.stderr!.on("data", (d) => (out += d));
  await waitUntil(() => existsSync(join(dir, "demo.json")) || demo.exitCode !== null, "demo.json", 30000);
  assert.equal(demo.exitCode, null, `demo exited early:\n${out}`);
  await waitUntil(() => out.includes("Ctrl-C stops it"), "the demo's instructions");
  return { demo, out: () => out, info: JSON.parse(readFileSync(join(dir, "demo.json"), "utf8")) };
}

test("npm run demo: serves curl, adds accounts live, stops cleanly, restarts with the same account", async () => {
  const base = await freePortBase();
  const { demo, out, info } = await startDemo(base);
  try {
    assert.equal(info.imap, base + 143);
    assert.equal(info.pop3, base + 110);
    assert.equal(info.pop3s, base + 995);
    assert.equal(info.user, "demo@example.com");
    for (const key of ["maildir", "userdb", "authsocket", "config", "log"] as const) {
      assert.ok(existsSync(info[key]), `${key} ${info[key]} exists`);
    }
    assert.match(out(), new RegExp(`IMAP +127\\.0\\.0\\.1:${info.imap}`));
    assert.match(out(), new RegExp(`POP3S +127\\.0\\.0\\.1:${info.pop3s} +\\(implicit TLS`));
    assert.ok(out().includes(info.password), "the password is printed");

    const r = curl(info.user, info.password, info.imap, "INBOX;UID=3");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Subject: Adding accounts\r$/m);
    const p = spawnSync(
      "curl",
      [
        "-sS",
        "--max-time",
        "20",
        "--cacert",
        info.certificate,
        "--resolve",
        `localhost:${info.pop3s}:127.0.0.1`,
      ].concat(["--user", `${info.user}:${info.password}`, `pop3s://localhost:${info.pop3s}/1`]),
      { encoding: "utf8" },
    );
    assert.equal(p.status, 0, `curl pop3s://: ${p.stderr}`);
    assert.match(p.stdout, /^Subject: Welcome to Courier-IMAP \(TypeScript\)\r$/m);

    const home = join(dir, "mail", "alice");
    makeMaildir(join(home, "Maildir"));
    deliver(join(home, "Maildir"), "alice@example.com", "For Alice", "hello alice");
    addAccount(info, "alice@example.com", "alice-secret", home);
    const a = curl("alice@example.com", "alice-secret", info.imap, "INBOX;UID=1");
    assert.equal(a.status, 0, `new account logs in without a restart: ${a.stderr}\n${out()}`);
    assert.match(a.stdout, /hello alice/);

    const kids = childrenOf(demo.pid!);
    assert.ok(
      kids.some((p) => p.cmdline.includes("authdaemond")),
      JSON.stringify(kids),
    );
    assert.ok(
      kids.some((p) => p.cmdline.includes("couriertcpd")),
      JSON.stringify(kids),
    );
    demo.kill("SIGINT");
    await new Promise((r) => demo.once("exit", r));
    assert.equal(demo.exitCode, 0);
    assert.ok(!existsSync(join(dir, "demo.json")), "demo.json is removed when the demo stops");
    for (const k of kids)
      assert.ok(!existsSync(`/proc/${k.pid}`) || isZombie(k.pid), `${k.cmdline} still runs`);
  } finally {
    demo.kill("SIGKILL");
  }

  const again = await startDemo(base);
  try {
    assert.equal(again.info.password, info.password, "the instance is reused on the next start");
    const r = curl(info.user, info.password, again.info.imap, "INBOX;UID=1");
    assert.equal(r.status, 0, r.stderr);
  } finally {
    again.demo.kill("SIGINT");
    await new Promise((r) => again.demo.once("exit", r));
  }
});

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}
