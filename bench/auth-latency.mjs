#!/usr/bin/env node
// Login latency through an authdaemond socket (ours or Courier's): N sequential AUTH login
// requests, one connection each, as imapd sends them; prints p50/p95/p99 and the mean.
//
//   node bench/auth-latency.mjs SOCKET USER PASSWORD [-s SERVICE] [-n COUNT] [--json]
//
// Every reply must be a complete account record; a FAIL or a closed socket aborts the run.
import { connect } from "node:net";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    service: { type: "string", short: "s", default: "imap" },
    count: { type: "string", short: "n", default: "1000" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help || positionals.length !== 3) {
  process.stdout.write(
    "Usage: node bench/auth-latency.mjs SOCKET USER PASSWORD [-s SERVICE] [-n COUNT] [--json]\n",
  );
  process.exit(values.help ? 0 : 1);
}
const [socket, user, password] = positionals;
const count = Number.parseInt(values.count, 10);
const body = Buffer.from(`${values.service}\nlogin\n${user}\n${password}\n`);
const request = Buffer.concat([Buffer.from(`TCPREMOTEIP=192.0.2.7\nAUTH ${body.length}\n`), body]);

function once() {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const chunks = [];
    const s = connect(socket, () => s.write(request));
    s.on("data", (d) => chunks.push(d));
    s.on("error", reject);
    s.on("close", () => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const reply = Buffer.concat(chunks).toString();
      if (!reply.endsWith("\n.\n"))
        reject(new Error(`unexpected reply ${JSON.stringify(reply.slice(0, 40))}`));
      else resolve(ms);
    });
  });
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const times = [];
for (let i = 0; i < 20; i++) await once(); // warm-up: children loaded, caches filled
for (let i = 0; i < count; i++) times.push(await once());
times.sort((a, b) => a - b);
const r = {
  socket,
  count,
  p50: pct(times, 50),
  p95: pct(times, 95),
  p99: pct(times, 99),
  mean: times.reduce((a, b) => a + b, 0) / times.length,
};
if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
else
  process.stdout.write(
    `${count} sequential AUTH on ${socket}: p50 ${r.p50.toFixed(3)} ms, p95 ${r.p95.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, mean ${r.mean.toFixed(3)} ms\n`,
  );
