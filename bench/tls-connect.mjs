#!/usr/bin/env node
// Implicit-TLS handshake cost: connections per second from TCP connect through the TLS
// handshake to the server's first line ("* OK" for IMAP, "+OK" for POP3). Runs against
// any host:port (ours, Courier's imapd-ssl, Dovecot …); the certificate is not checked.
//
//   node bench/tls-connect.mjs --port 993 [--host 127.0.0.1] [--seconds 10]
//        [--concurrency 8] [--servername localhost] [--warmup 2]
//
// Prints one JSON line: connections completed, connections/s, latency percentiles (ms).

import { connect } from "node:tls";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string" },
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "8" },
    servername: { type: "string", default: "localhost" },
    warmup: { type: "string", default: "2" },
    help: { type: "boolean", default: false },
  },
});
if (values.help || !values.port) {
  console.log(
    "usage: node bench/tls-connect.mjs --port N [--host H] [--seconds S] [--concurrency C] [--servername NAME] [--warmup S]",
  );
  process.exit(values.help ? 0 : 1);
}
const port = Number(values.port);
const concurrency = Number(values.concurrency);

/** One connection: resolves with the milliseconds until the greeting line arrived. */
function once() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const s = connect({ host: values.host, port, servername: values.servername, rejectUnauthorized: false });
    let buf = "";
    s.setTimeout(30000, () => s.destroy(new Error("timeout")));
    s.on("data", (d) => {
      buf += d.toString("latin1");
      if (buf.includes("\n")) {
        const ms = performance.now() - t0;
        s.destroy();
        if (/^(\* OK|\+OK)/.test(buf)) resolve(ms);
        else reject(new Error(`unexpected greeting: ${buf.trim()}`));
      }
    });
    s.on("error", reject);
  });
}

async function run(seconds) {
  const until = performance.now() + seconds * 1000;
  const latencies = [];
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        try {
          latencies.push(await once());
        } catch {
          errors++;
        }
      }
    }),
  );
  return { elapsed: (performance.now() - t0) / 1000, latencies, errors };
}

if (Number(values.warmup) > 0) await run(Number(values.warmup));
const r = await run(Number(values.seconds));
const sorted = r.latencies.sort((a, b) => a - b);
const pct = (p) =>
  sorted.length
    ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10
    : null;
console.log(
  JSON.stringify({
    target: `${values.host}:${port}`,
    concurrency,
    connections: sorted.length,
    errors: r.errors,
    perSecond: Math.round((sorted.length / r.elapsed) * 10) / 10,
    latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99) },
  }),
);
