#!/usr/bin/env node
// IMAP connection benchmark against any server by host:port (issue 10):
//   connect-to-greeting latency and LOGIN-to-OK latency (p50/p95) over N sequential
//   sessions, then sessions per second (connect, LOGIN, SELECT INBOX, LOGOUT) with C
//   sessions in flight.
//
//   node bench/connect.mjs --host 127.0.0.1 --port 1143 --user U --password P
//        [--sessions 200] [--concurrency 8] [--label NAME] [--json]

import { connect } from "node:net";
import { parseArgs } from "node:util";

const { values: o } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string" },
    user: { type: "string" },
    password: { type: "string" },
    sessions: { type: "string", default: "200" },
    concurrency: { type: "string", default: "8" },
    label: { type: "string", default: "" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (o.help || !o.port || !o.user || o.password === undefined) {
  process.stdout.write(
    "Usage: node bench/connect.mjs --host H --port N --user U --password P [--sessions 200] [--concurrency 8] [--label L] [--json]\n",
  );
  process.exit(o.help ? 0 : 1);
}

const quote = (s) => `"${s.replace(/["\\]/g, "\\$&")}"`;
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** One session; resolves with its timings in ms. */
function session() {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const sock = connect(Number(o.port), o.host);
    sock.setNoDelay(true);
    let buf = "";
    let step = 0;
    const t = {};
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`timeout at step ${step}: ${buf.slice(-200)}`));
    }, 30000);
    sock.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on("data", (d) => {
      buf += d;
      for (;;) {
        const want = [/^\* OK .*\r\n/m, /^a OK .*\r\n/m, /^b OK .*\r\n/m, /^c OK .*\r\n/m][step];
        const bad = /^[abc] (NO|BAD) .*\r\n/m.exec(buf);
        if (bad) {
          clearTimeout(timer);
          sock.destroy();
          return reject(new Error(bad[0].trim()));
        }
        if (!want?.test(buf)) return;
        buf = "";
        const at = now();
        if (step === 0) {
          t.greeting = at - t0;
          t.loginSent = at;
          sock.write(`a LOGIN ${quote(o.user)} ${quote(o.password)}\r\n`);
        } else if (step === 1) {
          t.login = at - t.loginSent;
          sock.write("b SELECT INBOX\r\n");
        } else if (step === 2) {
          sock.write("c LOGOUT\r\n");
        } else {
          t.total = at - t0;
          clearTimeout(timer);
          sock.end();
          resolve(t);
        }
        step++;
      }
    });
  });
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f = (x) => x.toFixed(1);

const n = Number(o.sessions);
for (let i = 0; i < 5; i++) await session(); // warm-up
const seq = [];
for (let i = 0; i < n; i++) seq.push(await session());

const conc = Number(o.concurrency);
let done = 0;
const started = now();
await Promise.all(
  Array.from({ length: conc }, async () => {
    while (done < n) {
      done++;
      await session();
    }
  }),
);
const elapsed = (now() - started) / 1000;

const result = {
  label: o.label,
  target: `${o.host}:${o.port}`,
  sessions: n,
  greeting_p50_ms: pct(
    seq.map((s) => s.greeting),
    50,
  ),
  greeting_p95_ms: pct(
    seq.map((s) => s.greeting),
    95,
  ),
  login_p50_ms: pct(
    seq.map((s) => s.login),
    50,
  ),
  login_p95_ms: pct(
    seq.map((s) => s.login),
    95,
  ),
  session_p50_ms: pct(
    seq.map((s) => s.total),
    50,
  ),
  concurrency: conc,
  sessions_per_s: n / elapsed,
};
if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else
  process.stdout.write(
    `${o.label || result.target}: greeting p50 ${f(result.greeting_p50_ms)} ms p95 ${f(result.greeting_p95_ms)} ms | ` +
      `LOGIN p50 ${f(result.login_p50_ms)} ms p95 ${f(result.login_p95_ms)} ms | ` +
      `session p50 ${f(result.session_p50_ms)} ms | ${f(result.sessions_per_s)} sessions/s at concurrency ${conc}\n`,
  );
