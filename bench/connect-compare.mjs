#!/usr/bin/env node
// Issue 10's comparison in one run: bench/connect.mjs against our imapd with couriertcpd
// -prespawn=N for each N in --prespawn (0 = no pool, a Node start per connection), and
// against Debian's Courier imapd (/usr/sbin/couriertcpd + imaplogin + /usr/bin/imapd)
// serving the same account and maildir through our authdaemond. Then where a worker's
// start-up time goes: a bare `node`, `node bin/imapd --help` and the module graph a worker
// loads. Needs a built tree (npx tsc -b); the Courier leg needs root (a mount namespace
// puts our authdaemond's socket where Debian's binaries look for it) and is skipped
// otherwise or with --no-courier.
//
//   node bench/connect-compare.mjs [--sessions 200] [--concurrency 8] [--prespawn 0,2,4]
//        [--no-courier] [--json]

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: o } = parseArgs({
  options: {
    sessions: { type: "string", default: "200" },
    concurrency: { type: "string", default: "8" },
    prespawn: { type: "string", default: "0,2,4" },
    "no-courier": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (o.help) {
  process.stdout.write(
    "Usage: node bench/connect-compare.mjs [--sessions 200] [--concurrency 8] [--prespawn 0,2,4] [--no-courier] [--json]\n",
  );
  process.exit(0);
}
if (!existsSync(join(root, "test", "dist", "lib", "instance.js"))) {
  console.error("connect-compare: not built; run npx tsc -b first");
  process.exit(1);
}
const { createInstance, startInstance } = await import("../test/dist/lib/instance.js");
const { freePort, listening } = await import("../test/dist/lib/net.js");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const note = (s) => process.stderr.write(`connect-compare: ${s}\n`);

async function waitListening(port, what) {
  for (let i = 0; i < 200; i++) {
    if (listening(port)) return;
    await sleep(50);
  }
  throw new Error(`${what} did not listen on ${port}`);
}

/** connect.mjs in a child; asynchronous, so this process keeps reading the servers' stderr. */
function bench(label, port, info) {
  const child = spawn(
    process.execPath,
    [join(root, "bench", "connect.mjs"), "--port", String(port), "--user", info.user]
      .concat(["--password", info.password, "--sessions", o.sessions, "--concurrency", o.concurrency])
      .concat(["--label", label, "--json"]),
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve, reject) =>
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${label}: ${err}${out}`)),
    ),
  );
}

const dir = mkdtempSync(join(tmpdir(), "courier-connect-bench-"));
const results = [];
let info;
const ports = { imap: await freePort(), imaps: await freePort() };
const make = (prespawn) =>
  createInstance({
    dir,
    imapPort: ports.imap,
    imapsPort: ports.imaps,
    certBits: 2048,
    imapd: { PRESPAWN: String(prespawn), MAXDAEMONS: "200", MAXPERIP: "200", IMAP_LOGIN_FAIL_DELAY: "0" },
    imapdSsl: { PRESPAWN: "0" },
  });

try {
  for (const n of o.prespawn.split(",").map(Number)) {
    info = make(n);
    const running = await startInstance(info);
    try {
      await sleep(n ? 1500 : 300); // let the pool fill
      note(`ours, -prespawn=${n} …`);
      results.push(await bench(n ? `ours, -prespawn=${n}` : "ours, no pool", info.imap, info));
    } catch (e) {
      process.stderr.write(`${running.log().split("\n").slice(-40).join("\n")}\n`);
      throw e;
    } finally {
      await running.stop();
    }
  }

  if (!o["no-courier"] && process.getuid?.() === 0 && existsSync("/usr/bin/imapd")) {
    info = make(0);
    const running = await startInstance(info);
    const port = await freePort();
    // Debian's imaplogin has /run/courier/authdaemon/socket compiled in: in a private mount
    // namespace, a directory holding courier/authdaemon (our socket's directory) covers /run.
    const run = join(dir, "courier-run");
    mkdirSync(join(run, "courier", "authdaemon"), { recursive: true });
    const courier = spawn(
      "unshare",
      [
        "-m",
        "sh",
        "-c",
        `mount --make-rprivate / && mount --bind '${dirname(info.authsocket)}' '${run}/courier/authdaemon' && ` +
          `mount --rbind '${run}' /run && cd '${dir}' && exec env -i PATH=/usr/bin:/bin ` +
          `IMAP_CAPABILITY="IMAP4rev1 UIDPLUS IDLE" IMAP_MAILBOX_SANITY_CHECK=0 /usr/sbin/couriertcpd ` +
          `-nodnslookup -noidentlookup -maxprocs=200 -maxperip=200 -address=127.0.0.1 ${port} ` +
          "/usr/lib/courier/courier/imaplogin /usr/bin/imapd Maildir",
      ],
      { stdio: "ignore" },
    );
    try {
      await waitListening(port, "Courier's couriertcpd");
      note("Debian's Courier imapd …");
      results.push(await bench("Courier 5 (Debian), couriertcpd+imaplogin+imapd", port, info));
    } finally {
      courier.kill("SIGTERM");
      await new Promise((r) => (courier.exitCode !== null ? r() : courier.once("exit", r)));
      await running.stop();
    }
  } else note("Courier's imapd skipped (needs root and /usr/bin/imapd)");
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Wall time of a command started N times in a row, median in ms. */
function startup(cmd, args, n = 15) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    spawnSync(cmd, args, { stdio: "ignore" });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)];
}
const startups = {
  "node -e 0": startup(process.execPath, ["-e", "0"]),
  "node bin/imapd --help": startup(process.execPath, [join(root, "bin", "imapd"), "--help"]),
  "node bin/pop3d --help": startup(process.execPath, [join(root, "bin", "pop3d"), "--help"]),
  "/usr/bin/imapd (Courier, no args)": existsSync("/usr/bin/imapd")
    ? startup("/usr/bin/imapd", [], 15)
    : Number.NaN,
};

if (o.json) process.stdout.write(`${JSON.stringify({ results, startups })}\n`);
else {
  const f = (x) => x.toFixed(1).padStart(7);
  process.stdout.write(
    `sessions=${o.sessions} concurrency=${o.concurrency}\n` +
      "| server | greeting p50 | greeting p95 | LOGIN p50 | LOGIN p95 | session p50 | sessions/s |\n" +
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
  );
  for (const r of results)
    process.stdout.write(
      `| ${r.label} | ${f(r.greeting_p50_ms)} | ${f(r.greeting_p95_ms)} | ${f(r.login_p50_ms)} | ` +
        `${f(r.login_p95_ms)} | ${f(r.session_p50_ms)} | ${f(r.sessions_per_s)} |\n`,
    );
  process.stdout.write("\nstart-up (median of 15, ms):\n");
  for (const [k, v] of Object.entries(startups)) process.stdout.write(`  ${k.padEnd(36)} ${v.toFixed(1)}\n`);
}
