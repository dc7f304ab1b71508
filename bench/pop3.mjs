// POP3 session benchmark, against any POP3 server by host:port: one session doing STAT,
// LIST, UIDL, then RETR of every message (each command waits for its reply), repeated
// --runs times; prints per-phase times and the RETR throughput.
//
//   node bench/pop3.mjs fill DIR [--messages 1000] [--size 4096]   make DIR/{cur,new,tmp} with messages
//   node bench/pop3.mjs HOST PORT [USER PASSWORD] [--runs 5] [--json]
//
// Without USER/PASSWORD the server must greet with "+OK" and be in the TRANSACTION state
// already (Courier's courierpop3d started directly with a maildir, e.g. under couriertcpd).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pop3Client } from "./lib/pop3.mjs";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    messages: { type: "string", default: "1000" },
    size: { type: "string", default: "4096" },
    runs: { type: "string", default: "5" },
    json: { type: "boolean", default: false },
  },
});

if (positionals[0] === "fill") {
  const dir = positionals[1];
  for (const d of ["cur", "new", "tmp"]) mkdirSync(join(dir, d), { recursive: true });
  const n = Number(values.messages);
  const line = `${"abcdefghij".repeat(7)}\n`;
  const body = line.repeat(Math.max(1, Math.floor(Number(values.size) / line.length)));
  const t0 = 1_700_000_000;
  for (let i = 0; i < n; i++) {
    const text = `From: <a@example.com>\nSubject: message ${i}\nMessage-ID: <${i}@bench>\n\n${body}`;
    writeFileSync(join(dir, "new", `${t0 + i}.M${i}P1.bench,S=${Buffer.byteLength(text)}`), text);
  }
  console.log(`${n} messages in ${dir}/new`);
  process.exit(0);
}

const [host, port, user, password] = positionals;
if (!host || !port) {
  console.error("usage: node bench/pop3.mjs HOST PORT [USER PASSWORD] [--runs N] | fill DIR");
  process.exit(2);
}

const client = () => pop3Client(port, host);

async function session() {
  const t = {};
  let mark = performance.now();
  const lap = (name) => {
    const now = performance.now();
    t[name] = now - mark;
    mark = now;
  };
  const c = client();
  await c.take(false);
  if (user) {
    await c.cmd(`USER ${user}`);
    await c.cmd(`PASS ${password}`);
  }
  lap("login");
  const stat = (await c.cmd("STAT")).toString();
  const count = Number(stat.split(" ")[1]);
  lap("stat");
  await c.cmd("LIST", true);
  lap("list");
  await c.cmd("UIDL", true);
  lap("uidl");
  let bytes = 0;
  for (let i = 1; i <= count; i++) bytes += (await c.cmd(`RETR ${i}`, true)).length;
  lap("retr");
  await c.cmd("QUIT");
  c.close();
  return { ...t, count, bytes };
}

const runs = [];
for (let i = 0; i < Number(values.runs); i++) runs.push(await session());
const median = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
const res = {
  server: `${host}:${port}`,
  messages: runs[0].count,
  bytes: runs[0].bytes,
  ms: Object.fromEntries(["login", "stat", "list", "uidl", "retr"].map((k) => [k, +median(k).toFixed(1)])),
};
res.retrPerSecond = Math.round((res.messages / res.ms.retr) * 1000);
res.mbPerSecond = +(res.bytes / 1048576 / (res.ms.retr / 1000)).toFixed(1);
if (values.json) console.log(JSON.stringify(res));
else
  console.log(
    `${res.server}: ${res.messages} messages, ${res.bytes} bytes; median of ${runs.length} sessions (ms): ` +
      `login ${res.ms.login}, STAT ${res.ms.stat}, LIST ${res.ms.list}, UIDL ${res.ms.uidl}, ` +
      `RETR×${res.messages} ${res.ms.retr} (${res.retrPerSecond} msg/s, ${res.mbPerSecond} MB/s)`,
  );
