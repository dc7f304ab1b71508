#!/usr/bin/env node
// IDLE latency and idling-session capacity, against any IMAP server by host:port.
//
//   node bench/idle.mjs --host=127.0.0.1 --port=1143 --user=U --password=P \
//        [--maildir=/path/to/Maildir] [--events=200] [--sessions=500] [--match=bin/imapd]
//
// 1. append: session B idles on INBOX; session A APPENDs; time from A's APPEND command to
//    B's untagged `* n EXISTS` (p50/p95/max over --events).
// 2. drop (with --maildir, the account's maildir on this machine): a file written to tmp/
//    and renamed into new/ by this process, as an MTA does; time from the rename to EXISTS.
// 3. capacity: opens --sessions connections that each LOGIN, SELECT INBOX and IDLE; reports
//    how many got `+` and, for local servers, the PSS/RSS of processes whose command line
//    contains --match, before and after (memory per idling session), and whether one
//    delivery still reaches the last idler.

import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { hostname } from "node:os";
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
    help: { type: "boolean", default: false },
  },
});
if (o.help || !o.user || !o.password) {
  console.log(
    readFileSync(new URL(import.meta.url), "utf8")
      .split("\n")
      .slice(1, 16)
      .join("\n")
      .replace(/^\/\/ ?/gm, ""),
  );
  process.exit(o.help ? 0 : 2);
}
const EVENTS = Number(o.events);

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
  async login() {
    await this.waitLine(/^\* (OK|PREAUTH)/);
    const q = (s) => `"${s.replace(/["\\]/g, "\\$&")}"`;
    await this.cmd(`LOGIN ${q(o.user)} ${q(o.password)}`);
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
    const t0 = performance.now();
    a.sock.write(`x${i} APPEND INBOX {${MSG.length}+}\r\n${MSG}\r\n`);
    await b.waitLine(/^\* \d+ EXISTS/);
    out.push(performance.now() - t0);
    await a.waitLine(new RegExp(`^x${i} OK`));
  }
  await b.done();
  return out;
}

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
    const t0 = dropOne(o.maildir);
    await b.waitLine(/^\* \d+ EXISTS/);
    out.push(performance.now() - t0);
  }
  await b.done();
  return out;
}

function memory() {
  let pss = 0;
  let rss = 0;
  let n = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "latin1").replace(/\0/g, " ").includes(o.match)) continue;
      const roll = readFileSync(`/proc/${pid}/smaps_rollup`, "latin1");
      pss += Number(/^Pss:\s+(\d+)/m.exec(roll)?.[1] ?? 0);
      rss += Number(/^Rss:\s+(\d+)/m.exec(roll)?.[1] ?? 0);
      n++;
    } catch {}
  }
  return { n, pss, rss };
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
        conns.push(c);
        await c.login();
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
  const idling = conns.filter((c) => c.idleTag && !c.closed).length;
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  await new Promise((r) => setTimeout(r, 2000));
  const after = memory();
  const per = (k) => ((after[k] - before[k]) / Math.max(1, idling) / 1024).toFixed(1);
  console.log(
    `capacity: ${idling}/${total} sessions idling (opened in ${secs} s)${failed ? `; stopped: ${failed}` : ""}`,
  );
  if (after.n > before.n)
    console.log(
      `memory: ${after.n - before.n} more "${o.match}" processes; per idling session PSS ${per("pss")} MB, RSS ${per("rss")} MB; total PSS ${(after.pss / 1024).toFixed(0)} MB`,
    );
  if (o.maildir && idling) {
    const last = conns.filter((c) => c.idleTag && !c.closed).at(-1);
    const t = dropOne(o.maildir);
    await last.waitLine(/^\* \d+ EXISTS/);
    console.log(
      `delivery with ${idling} idlers reached the last one in ${(performance.now() - t).toFixed(1)} ms`,
    );
  }
  for (const c of conns) c.sock.destroy();
}

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
if (Number(o.sessions) > 0) await capacity(Number(o.sessions));
process.exit(0);
