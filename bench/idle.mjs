#!/usr/bin/env node

// IDLE latency and idling-session capacity, against any IMAP server by host:port.
//
//   node bench/idle.mjs --host=127.0.0.1 --port=1143 --user=U --password=P \
//        [--maildir=/path/to/Maildir] [--events=200] [--sessions=500] [--match=bin/imapd]
//   node bench/idle.mjs --ours [--uid=65534] [--accounts=300] [--env=IMAP_IDLE_POLL_MS=500,...] \
//        --sessions=300
//
// 1. capacity (with --sessions): opens that many connections that each LOGIN, SELECT INBOX
//    and IDLE; reports how many got `+`, for local servers the PSS/RSS of processes whose
//    command line contains --match (total over the sessions, and the growth per session),
//    and how many of them hold an inotify instance (Linux allows 128 per uid by default).
// 2. append: session B idles on INBOX (beyond the held sessions: past the inotify limit it
//    polls); session A APPENDs; time from A's APPEND to B's `* n EXISTS` (p50/p95/max over
//    --events; --jitter=MS waits a random 0..MS before each, so that events do not fall at
//    one phase of a polling idler's period).
// 3. drop (with --maildir, the account's maildir on this machine): a file written to tmp/
//    and renamed into new/ by this process, as an MTA does; time from the rename to EXISTS.
// 4. fan-out (with --sessions and --maildir): --deliveries drops, each timed until every
//    held idler has its EXISTS: p50/p95 over all idlers, and the time to reach the last.
// --ours starts our instance (test/dist, after `npm run build`) in a temp dir, with mail
// owned by --uid (e.g. a vmail-like uid whose workers share one inotify allowance), MAXDAEMONS
// and MAXPERIP above --sessions, and --env settings for imapd; stops it at the end. With
// --accounts=N it has N accounts (same password), the held sessions spread over them, and a
// fan-out drop puts one message into each of their maildirs (a list delivery); A and B use
// the first. With one account every change makes every held session rescan the same folder.

import { spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values: o } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "143" },
    user: { type: "string" },
    password: { type: "string" },
    maildir: { type: "string" },
    events: { type: "string", default: "200" },
    sessions: { type: "string", default: "0" },
    match: { type: "string", default: "bin/imapd" },
    deliveries: { type: "string", default: "5" },
    jitter: { type: "string", default: "0" },
    ours: { type: "boolean", default: false },
    accounts: { type: "string", default: "1" },
    uid: { type: "string" },
    env: { type: "string", default: "" },
    help: { type: "boolean", default: false },
  },
});
if (o.help || ((!o.user || !o.password) && !o.ours)) {
  console.log(
    /(?:^\/\/.*\n)+/m
      .exec(readFileSync(new URL(import.meta.url), "utf8"))[0]
      .replace(/^\/\/ ?/gm, "")
      .trimEnd(),
  );
  process.exit(o.help ? 0 : 2);
}
const EVENTS = Number(o.events);

/** The server's processes, when known (--ours); else those whose command line has --match. */
let serverPids;
/** --ours: the accounts the held sessions use, round robin. */
let accounts;

/** --ours: our instance in a temp dir, as bench/lib/servers.mjs starts it. */
async function startOurs() {
  const instance = await import("../test/dist/lib/instance.js");
  const { freePort } = await import("../test/dist/lib/net.js");
  const dir = mkdtempSync(join(tmpdir(), "idle-bench-"));
  chmodSync(dir, 0o711);
  const limit = String(Number(o.sessions) + 50);
  const extra = Object.fromEntries(
    o.env
      .split(",")
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
  );
  const uid = o.uid === undefined ? undefined : Number(o.uid);
  const info = instance.createInstance({
    dir: join(dir, "instance"),
    imapPort: await freePort(),
    imapsPort: await freePort(),
    imapdSsl: { PRESPAWN: "0" },
    certBits: 2048,
    uid,
    gid: uid,
    imapd: { MAXDAEMONS: limit, MAXPERIP: limit, IMAP_LOGIN_FAIL_DELAY: "0", ...extra },
  });
  accounts = [{ user: info.user, maildir: info.maildir }];
  const n = Number(o.accounts);
  if (n > 1) {
    // one makeuserdb for all: account lines like the first one, homes beside its home
    const text = readFileSync(info.userdb, "utf8");
    const first = text.split("\n").find((l) => l.startsWith(`${info.user}\t`));
    const home = /home=([^|]*)/.exec(first)[1];
    const lines = [];
    for (let i = 1; i < n; i++) {
      const user = `idle${i}@example.com`;
      const h = `${home}-${i}`;
      instance.makeMaildir(join(h, "Maildir"));
      if (uid !== undefined) spawnSync("chown", ["-R", `${uid}:${uid}`, h]);
      lines.push(`${user}\t${first.slice(first.indexOf("\t") + 1).replace(`home=${home}`, `home=${h}`)}`);
      accounts.push({ user, maildir: join(h, "Maildir") });
    }
    writeFileSync(info.userdb, `${text.replace(/\n?$/, "\n")}${lines.join("\n")}\n`);
    spawnSync(instance.bin("makeuserdb"), ["-f", info.userdb]);
  }
  let running;
  try {
    running = await instance.startInstance(info);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  Object.assign(o, { host: "127.0.0.1", port: String(info.imap), user: info.user, password: info.password });
  o.maildir ??= info.maildir;
  // the plain service's couriertcpd and its workers: other processes named bin/imapd on this
  // machine (tests, other instances) are not ours to count
  const { descendants } = await import("./lib/servers.mjs");
  serverPids = () => [running.tcpd.pid, ...descendants(running.tcpd.pid)];
  const stop = async () => {
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  for (const sig of ["SIGINT", "SIGTERM"])
    process.once(sig, () => {
      void stop().finally(() => process.exit(1));
    });
  return stop;
}
const stopOurs = o.ours ? await startOurs() : undefined;

class Conn {
  constructor(sock) {
    this.sock = sock;
    this.buf = "";
    this.waiters = [];
    this.n = 0;
    sock.setNoDelay(true);
    sock.on("data", (d) => {
      this.buf += d.toString("latin1");
      this.kick();
    });
    sock.on("close", () => {
      this.closed = true;
      this.kick();
    });
    sock.on("error", () => {});
  }
  static open() {
    return new Promise((res, rej) => {
      const s = connect(Number(o.port), o.host, () => res(new Conn(s)));
      s.once("error", rej);
    });
  }
  kick() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  /** Resolves with the first complete line matching re (earlier lines are dropped). */
  async waitLine(re) {
    for (;;) {
      let i;
      while ((i = this.buf.indexOf("\r\n")) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        if (re.test(line)) return line;
      }
      if (this.closed) throw new Error(`connection closed waiting for ${re}`);
      await new Promise((r) => this.waiters.push(r));
    }
  }
  async cmd(text) {
    const tag = `t${++this.n}`;
    this.sock.write(`${tag} ${text}\r\n`);
    const l = await this.waitLine(new RegExp(`^${tag} `));
    if (!/^\S+ OK/.test(l)) throw new Error(`${text.split(" ")[0]}: ${l}`);
    return l;
  }
  async login(user = o.user) {
    this.user = user;
    await this.waitLine(/^\* (OK|PREAUTH)/);
    const q = (s) => `"${s.replace(/["\\]/g, "\\$&")}"`;
    await this.cmd(`LOGIN ${q(user)} ${q(o.password)}`);
  }
  async idle() {
    this.idleTag = `t${++this.n}`;
    this.sock.write(`${this.idleTag} IDLE\r\n`);
    await this.waitLine(/^\+/);
  }
  async done() {
    this.sock.write("DONE\r\n");
    await this.waitLine(new RegExp(`^${this.idleTag} OK`));
  }
}

function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `n=${s.length} p50=${q(0.5).toFixed(1)} ms p95=${q(0.95).toFixed(1)} ms max=${s[s.length - 1].toFixed(1)} ms`;
}

const MSG = "From: bench@example.org\r\nSubject: idle bench\r\n\r\nhello\r\n";

async function appendLatency(a, b) {
  const out = [];
  await b.idle();
  for (let i = 0; i < EVENTS; i++) {
    await jitter();
    const t0 = performance.now();
    a.sock.write(`x${i} APPEND INBOX {${MSG.length}+}\r\n${MSG}\r\n`);
    await b.waitLine(/^\* \d+ EXISTS/);
    out.push(performance.now() - t0);
    await a.waitLine(new RegExp(`^x${i} OK`));
  }
  await b.done();
  return out;
}

/**
 * A random pause of up to --jitter ms before each event: an idler that polls on a timer would
 * otherwise see every event at the same phase of its period (right after its last check).
 */
const jitter = () => new Promise((r) => setTimeout(r, Math.random() * Number(o.jitter)));

let seq = 0;
function dropOne(dir) {
  const name = `${Date.now()}.M${process.pid}Q${++seq}.${hostname()}`;
  writeFileSync(join(dir, "tmp", name), MSG);
  const t0 = performance.now();
  renameSync(join(dir, "tmp", name), join(dir, "new", name));
  return t0;
}

async function dropLatency(b) {
  const out = [];
  await b.idle();
  for (let i = 0; i < EVENTS; i++) {
    await jitter();
    const t0 = dropOne(o.maildir);
    await b.waitLine(/^\* \d+ EXISTS/);
    out.push(performance.now() - t0);
  }
  await b.done();
  return out;
}

/** PSS/RSS (KiB) of the server's processes and how many inotify instances they hold. */
function memory() {
  let pss = 0;
  let rss = 0;
  let n = 0;
  let inotify = 0;
  const pids = serverPids?.() ?? readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    try {
      if (
        !serverPids &&
        !readFileSync(`/proc/${pid}/cmdline`, "latin1").replace(/\0/g, " ").includes(o.match)
      )
        continue;
      const roll = readFileSync(`/proc/${pid}/smaps_rollup`, "latin1");
      pss += Number(/^Pss:\s+(\d+)/m.exec(roll)?.[1] ?? 0);
      rss += Number(/^Rss:\s+(\d+)/m.exec(roll)?.[1] ?? 0);
      n++;
      for (const fd of readdirSync(`/proc/${pid}/fd`))
        try {
          if (readlinkSync(`/proc/${pid}/fd/${fd}`) === "anon_inode:inotify") inotify++;
        } catch {}
    } catch {}
  }
  return { n, pss, rss, inotify };
}

/**
 * Drops --deliveries messages, one into each maildir the held sessions idle on; each round is
 * timed until every idler has its EXISTS.
 */
async function fanOut(conns) {
  const all = [];
  const last = [];
  const maildirs = new Map(
    (accounts ?? [{ user: o.user, maildir: o.maildir }]).map((a) => [a.user, a.maildir]),
  );
  const users = [...new Set(conns.map((c) => c.user))];
  const exists = new Map();
  for (const u of users) exists.set(u, Number(/\* (\d+) EXISTS/.exec(await statusLine(u))?.[1] ?? 0));
  for (let i = 0; i < Number(o.deliveries); i++) {
    await new Promise((r) => setTimeout(r, 1500)); // the previous round's rescans are over
    const t0 = new Map();
    for (const u of users) {
      exists.set(u, exists.get(u) + 1);
      t0.set(u, dropOne(maildirs.get(u)));
    }
    const times = await Promise.all(
      conns.map(async (c) => {
        await c.waitLine(new RegExp(`^\\* ${exists.get(c.user)} EXISTS`));
        return performance.now() - t0.get(c.user);
      }),
    );
    all.push(...times);
    last.push(Math.max(...times));
  }
  return { all, last };
}

/** The INBOX message count, as `* n EXISTS`, from a fresh session. */
async function statusLine(user) {
  const c = await Conn.open();
  await c.login(user);
  c.sock.write("s SELECT INBOX\r\n");
  const l = await c.waitLine(/^\* \d+ EXISTS/);
  c.sock.destroy();
  return l;
}

async function capacity(total) {
  const before = memory();
  const conns = [];
  let failed = "";
  const t0 = performance.now();
  for (let i = 0; i < total; i += 20) {
    const batch = await Promise.allSettled(
      Array.from({ length: Math.min(20, total - i) }, async () => {
        const c = await Conn.open();
        const account = accounts?.[conns.length % accounts.length];
        conns.push(c);
        await c.login(account?.user);
        await c.cmd("SELECT INBOX");
        await c.idle();
      }),
    );
    const bad = batch.find((r) => r.status === "rejected");
    if (bad) {
      failed = String(bad.reason?.message ?? bad.reason);
      break;
    }
  }
  const held = conns.filter((c) => c.idleTag && !c.closed);
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  await new Promise((r) => setTimeout(r, 2000));
  const after = memory();
  const idling = held.length;
  const per = (k) => ((after[k] - before[k]) / Math.max(1, idling) / 1024).toFixed(1);
  const avg = (k) => (after[k] / Math.max(1, idling) / 1024).toFixed(1);
  console.log(
    `capacity: ${idling}/${total} sessions idling (opened in ${secs} s)${failed ? `; stopped: ${failed}` : ""}`,
  );
  if (after.n > before.n) {
    console.log(
      `memory: ${after.n} ${serverPids ? "server" : `"${o.match}"`} processes (${after.n - before.n} more); all of them: PSS ${(after.pss / 1024).toFixed(0)} MB, ` +
        `RSS ${(after.rss / 1024).toFixed(0)} MB = per idling session PSS ${avg("pss")} MB, RSS ${avg("rss")} MB ` +
        `(growth per session: PSS ${per("pss")} MB, RSS ${per("rss")} MB)`,
    );
    console.log(`inotify: ${after.inotify} instances held by those processes; the other idlers poll`);
  }
  return held;
}

let held = [];
if (Number(o.sessions) > 0) held = await capacity(Number(o.sessions));
const a = await Conn.open();
const b = await Conn.open();
await a.login();
await b.login();
await b.cmd("SELECT INBOX");
console.log(`IDLE latency against ${o.host}:${o.port}, ${EVENTS} events each`);
console.log(`append (session A APPEND -> EXISTS in idling B): ${stats(await appendLatency(a, b))}`);
if (o.maildir)
  console.log(`drop (file renamed into new/ -> EXISTS in idling B): ${stats(await dropLatency(b))}`);
a.sock.destroy();
b.sock.destroy();
if (held.length && o.maildir) {
  for (const c of held) c.buf = "";
  const { all, last } = await fanOut(held);
  const into = accounts && accounts.length > 1 ? `each of ${accounts.length} maildirs` : "INBOX";
  console.log(
    `fan-out (a drop into ${into} -> EXISTS in each of ${held.length} idlers, ${last.length} rounds): ${stats(all)}`,
  );
  console.log(`  time to reach the last idler, per round: ${last.map((t) => t.toFixed(0)).join(", ")} ms`);
}
for (const c of held) c.sock.destroy();
await stopOurs?.();
process.exit(0);
