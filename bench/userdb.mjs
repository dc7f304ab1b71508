#!/usr/bin/env node
// userdb benchmark (issue 4): makeuserdb of N accounts (wall time, peak RSS of the process),
// then PRE and AUTH-login latency p50/p99 through authdaemond holding those N accounts, one
// connection per request as Courier's clients do.
//
//   npm run build && node bench/userdb.mjs [--accounts=100000] [--lookups=5000]
//   node bench/userdb.mjs --socket=/path/to/socket --dir=DIR   measure a running authdaemond
//     (for example Courier's) loaded with DIR/userdb, which an earlier run left in place
//     with --keep
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const { values: o } = parseArgs({
  options: {
    accounts: { type: "string", default: "100000" },
    lookups: { type: "string", default: "5000" },
    socket: { type: "string" },
    dir: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const N = Number(o.accounts);
const LOOKUPS = Number(o.lookups);
// MD5-crypt of "secret" (spec/userdb.md §7): cheap to verify, so AUTH times the lookup path.
const HASH = "$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1";
const dir = o.dir ?? mkdtempSync(join(tmpdir(), "userdb-bench-"));
const userdb = join(dir, "userdb");
const name = (i) => `user${i}@example${i % 500}.com`;

function writeSource() {
  const lines = [];
  for (let i = 0; i < N; i++) {
    const d = `example${i % 500}.com`;
    lines.push(
      `${name(i)}\tuid=5000|gid=5000|home=/var/vmail/${d}/user${i}|mail=/var/vmail/${d}/user${i}/Maildir|quota=1000000000S|systempw=${HASH}`,
    );
  }
  writeFileSync(userdb, `${lines.join("\n")}\n`, { mode: 0o600 });
  chmodSync(userdb, 0o600);
}

function compile() {
  const peak = join(dir, "peak-rss.cjs");
  writeFileSync(
    peak,
    'process.on("exit",()=>process.stderr.write(`PEAK_RSS_KB=${process.resourceUsage().maxRSS}\\n`));\n',
  );
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["-r", peak, join(ROOT, "bin", "makeuserdb"), "-f", userdb], {
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`makeuserdb failed: ${r.stderr}`);
  const kb = Number(/PEAK_RSS_KB=(\d+)/.exec(r.stderr)?.[1]);
  return { ms, mb: kb / 1024 };
}

function request(socket, bytes) {
  return new Promise((resolve, reject) => {
    const s = connect(socket);
    let got = "";
    s.on("connect", () => s.write(bytes));
    s.on("data", (d) => {
      got += d;
    });
    s.on("error", reject);
    s.on("close", () => resolve(got));
  });
}

async function latency(socket, make) {
  const times = [];
  for (let i = 0; i < LOOKUPS + 200; i++) {
    const k = Math.floor(Math.random() * N);
    const t0 = process.hrtime.bigint();
    const reply = await request(socket, make(name(k)));
    const us = Number(process.hrtime.bigint() - t0) / 1000;
    if (!reply.startsWith("UID=")) throw new Error(`lookup of ${name(k)} failed: ${JSON.stringify(reply)}`);
    if (i >= 200) times.push(us); // the first 200 warm up
  }
  times.sort((a, b) => a - b);
  const at = (p) => times[Math.min(times.length - 1, Math.floor(times.length * p))];
  return { p50: at(0.5), p99: at(0.99) };
}

/** Courier's own makeuserdb on a copy of the same source, when installed (wall time, peak RSS). */
function compileCourier() {
  if (!existsSync("/usr/sbin/makeuserdb") || !existsSync("/usr/bin/time")) return undefined;
  const copy = join(dir, "courier-userdb");
  copyFileSync(userdb, copy);
  const t0 = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "PEAK_RSS_KB=%M", "/usr/sbin/makeuserdb", "-f", copy], {
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) return undefined;
  return { ms, mb: Number(/PEAK_RSS_KB=(\d+)/.exec(r.stderr)?.[1]) / 1024 };
}

const auth = (user) => {
  const body = `imap\nlogin\n${user}\nsecret\n`;
  return `AUTH ${Buffer.byteLength(body)}\n${body}`;
};

let daemon;
let socket = o.socket;
try {
  console.log(`node ${process.version}, ${N} accounts, ${LOOKUPS} lookups each`);
  if (!socket) {
    if (!o.dir) writeSource();
    const c = compile();
    console.log(`makeuserdb: ${(c.ms / 1000).toFixed(2)} s, peak RSS ${c.mb.toFixed(0)} MB`);
    const courier = compileCourier();
    if (courier)
      console.log(
        `  (Courier's /usr/sbin/makeuserdb, same source: ${(courier.ms / 1000).toFixed(2)} s, peak RSS ${courier.mb.toFixed(0)} MB)`,
      );
    const rc = join(dir, "authdaemonrc");
    writeFileSync(rc, `authmodulelist="authuserdb"\ndaemons=1\nauthdaemonvar=${dir}/var\nUSERDB=${userdb}\n`);
    daemon = spawn(process.execPath, [join(ROOT, "bin", "authdaemond"), "--config", rc], {
      stdio: "ignore",
      env: { ...process.env, DEBUG_LOGIN: "0" },
    });
    socket = join(dir, "var", "socket");
    for (let i = 0; i < 200 && !(await request(socket, "PRE . imap x\n").catch(() => false)); i++)
      await sleep(50);
  }
  const pre = await latency(socket, (u) => `PRE . imap ${u}\n`);
  console.log(
    `authdaemond PRE:        p50 ${(pre.p50 / 1000).toFixed(3)} ms, p99 ${(pre.p99 / 1000).toFixed(3)} ms`,
  );
  const login = await latency(socket, auth);
  console.log(
    `authdaemond AUTH login: p50 ${(login.p50 / 1000).toFixed(3)} ms, p99 ${(login.p99 / 1000).toFixed(3)} ms`,
  );
} finally {
  daemon?.kill("SIGTERM");
  if (!o.keep && !o.dir) rmSync(dir, { recursive: true, force: true });
  else console.log(`data left in ${dir}`);
}
