#!/usr/bin/env node
// The benchmark suite (issue 13): ours, Courier and Dovecot measured the same way, in one
// run, on the same machine, each serving the same account and its own copy of the same
// generated mail (bench/lib/mailgen.mjs, seeded). Servers run one after the other, so
// each has the machine to itself. Prints a Markdown table (rows = measurements,
// columns = servers, and ours against the best peer) and writes bench/results/*.json.
//
//   npm run bench -- [--quick] [--servers ours,courier,dovecot] [--only a,b] [--runs N]
//                    [--seed N] [--list] [--profile DIR]
//
// --only takes measurement ids or prefixes of them (e.g. select, fetch, pop3); --list
// prints them. Needs a built tree (npm run bench builds) and root for Courier (a mount
// namespace) and for dropping the page cache before the cold SELECT.

import { execSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, freemem, release, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { openImap } from "./lib/imap.mjs";
import { ensurePeers } from "./lib/install.mjs";
import { fillMaildir, messageGenerator } from "./lib/mailgen.mjs";
import { pop3Client } from "./lib/pop3.mjs";
import { ROOT, SERVERS_DIR, servers } from "./lib/servers.mjs";
import { median, now, pct } from "./lib/stats.mjs";

const { values: o } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    servers: { type: "string", default: "ours,courier,dovecot" },
    only: { type: "string", default: "" },
    runs: { type: "string" },
    seed: { type: "string", default: "13" },
    list: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    "no-install": { type: "boolean", default: false },
    profile: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

const quick = o.quick;
const cfg = {
  quick,
  runs: Number(o.runs ?? (quick ? 3 : 5)),
  seed: Number(o.seed),
  inbox: quick ? 2000 : 10000, // FETCH, SEARCH, STORE, BODY.PEEK[], POP3
  large: quick ? 10000 : 100000, // SELECT cold/warm
  small: 20, // sessions per second SELECT this folder
  connects: quick ? 30 : 200, // sequential sessions for greeting/LOGIN latency
  sessionSeconds: quick ? 2 : 10,
  appends: quick ? 100 : 1000,
  expunge: quick ? 200 : 1000,
  pop3: quick ? 200 : 1000,
  idlers: quick ? 100 : 500,
};
const log = (s) => process.stderr.write(`bench: ${s}\n`);

// ---- measurements ---------------------------------------------------------------------

/** A logged-in session, optionally with a mailbox selected. */
async function session(s, mailbox) {
  const c = await openImap(s.imap);
  await c.login(s.user, s.password);
  if (mailbox) await c.cmd(`SELECT ${mailbox}`);
  return c;
}
async function timed(c, command, opts) {
  const t = now();
  const r = await c.cmd(command, opts);
  return { ms: now() - t, r };
}
function dropCaches() {
  try {
    execSync("sync");
    writeFileSync("/proc/sys/vm/drop_caches", "3");
    return true;
  } catch {
    return false;
  }
}

async function connectLoop(s) {
  const greeting = [];
  const login = [];
  for (let i = 0; i < cfg.connects; i++) {
    const c = await openImap(s.imap);
    greeting.push(c.greetingMs);
    const t = now();
    await c.login(s.user, s.password);
    login.push(now() - t);
    await c.logout();
  }
  return { greeting: pct(greeting, 50), login: pct(login, 50) };
}
async function sessionsPerSecond(s, conc) {
  const until = now() + cfg.sessionSeconds * 1000;
  let done = 0;
  const t0 = now();
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (now() < until) {
        const c = await session(s, s.folder("Small"));
        await c.logout();
        done++;
      }
    }),
  );
  return { value: done / ((now() - t0) / 1000), sessions: done };
}
async function pop3Session(s) {
  const c = pop3Client(s.pop3);
  const t = {};
  await c.take(false);
  await c.cmd(`USER ${s.user}`);
  await c.cmd(`PASS ${s.password}`);
  let m = now();
  const lap = (k) => {
    const x = now();
    t[k] = x - m;
    m = x;
  };
  const count = Number((await c.cmd("STAT")).toString().split(" ")[1]);
  lap("stat");
  await c.cmd("LIST", true);
  lap("list");
  await c.cmd("UIDL", true);
  lap("uidl");
  let bytes = 0;
  const n = Math.min(count, cfg.pop3);
  for (let i = 1; i <= n; i++) bytes += (await c.cmd(`RETR ${i}`, true)).length;
  lap("retr");
  await c.cmd("QUIT");
  c.close();
  return { ...t, count, retrieved: n, bytes };
}

/** Memory of a server's processes: RSS and PSS (shared pages divided among sharers), KiB. */
function memoryOf(s) {
  let rss = 0;
  let pss = 0;
  let procs = 0;
  for (const pid of s.pids()) {
    try {
      rss += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
      pss += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
      procs++;
    } catch {}
  }
  return { rss, pss, procs };
}

/**
 * cfg.idlers sessions, each logged in with INBOX selected and idling, all at once; then the
 * server's memory divided by the sessions held. A session that fails to open, log in or
 * start idling is not held.
 */
async function idlers(s) {
  const before = memoryOf(s);
  const clients = [];
  let failed = 0;
  let failedInARow = 0;
  const t0 = now();
  // 20 at a time; a server that stops answering (20 failures in a row, each given 15 s to
  // reach IDLE's continuation) holds no more
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < cfg.idlers && failedInARow < 20) {
        next++;
        let c;
        try {
          c = await session(s, "INBOX");
          await c.idle(15_000);
          clients.push(c);
          failedInARow = 0;
        } catch {
          c?.close();
          failed++;
          failedInARow++;
        }
      }
    }),
  );
  const openMs = now() - t0;
  await new Promise((r) => setTimeout(r, 2000)); // let the workers settle after their SELECT
  const during = memoryOf(s);
  for (const c of clients) c.close();
  await new Promise((r) => setTimeout(r, 1000));
  const held = clients.length;
  const mib = (kib) => kib / 1024;
  return {
    held,
    failed,
    openMs,
    rssPerSession: held ? mib(during.rss) / held : Number.NaN,
    pssPerSession: held ? mib(during.pss) / held : Number.NaN,
    rssDeltaPerSession: held ? mib(during.rss - before.rss) / held : Number.NaN,
    pssDeltaPerSession: held ? mib(during.pss - before.pss) / held : Number.NaN,
    before,
    during,
  };
}

/** A measurement that times one command in a new session with INBOX selected. */
function inboxCommand(id, command, label = command, detail = () => ({})) {
  return {
    id,
    label: `${label}, ${cfg.inbox} msgs`,
    unit: "ms",
    better: "lower",
    run: async (s) => {
      const c = await session(s, "INBOX");
      const { ms, r } = await timed(c, command, { keep: true });
      await c.logout();
      return { value: ms, responses: r.untagged, bytes: r.bytes, ...detail(r) };
    },
  };
}

/** id, label, unit, better: "lower" | "higher", once: single sample, run(s, memo) → number | { value, … } */
const MEASUREMENTS = [
  {
    id: "greeting",
    label: "connect → greeting (p50)",
    unit: "ms",
    better: "lower",
    run: async (s, m) => (await m("connect", () => connectLoop(s))).greeting,
  },
  {
    id: "login",
    label: "LOGIN round trip (p50)",
    unit: "ms",
    better: "lower",
    run: async (s, m) => (await m("connect", () => connectLoop(s))).login,
  },
  {
    id: "sessions-1",
    label: "sessions/s, 1 client (connect, LOGIN, SELECT, LOGOUT)",
    unit: "/s",
    better: "higher",
    run: (s) => sessionsPerSecond(s, 1),
  },
  {
    id: "sessions-20",
    label: "sessions/s, 20 clients",
    unit: "/s",
    better: "higher",
    run: (s) => sessionsPerSecond(s, 20),
  },
  {
    id: "select-first",
    label: `SELECT ${cfg.large} msgs, first ever (index/UID db built)`,
    unit: "ms",
    better: "lower",
    once: true,
    run: async (s) => {
      const c = await session(s);
      const { ms, r } = await timed(c, `SELECT ${s.folder("Large")}`, { keep: true });
      await c.logout();
      return { value: ms, exists: exists(r) };
    },
  },
  {
    id: "select-cold",
    label: `SELECT ${cfg.large} msgs, cold (new session, page cache dropped)`,
    unit: "ms",
    better: "lower",
    run: async (s) => {
      const c = await session(s);
      const dropped = dropCaches();
      const { ms, r } = await timed(c, `SELECT ${s.folder("Large")}`, { keep: true });
      await c.logout();
      return { value: ms, dropped, exists: exists(r) };
    },
  },
  {
    id: "select-warm",
    label: `SELECT ${cfg.large} msgs, warm (new session)`,
    unit: "ms",
    better: "lower",
    run: async (s) => {
      const c = await session(s);
      const { ms, r } = await timed(c, `SELECT ${s.folder("Large")}`, { keep: true });
      await c.logout();
      return { value: ms, exists: exists(r) };
    },
  },
  inboxCommand("fetch-envelope", "FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)"),
  inboxCommand("fetch-bodystructure", "FETCH 1:* BODYSTRUCTURE"),
  {
    id: "fetch-body",
    label: `FETCH 1:* BODY.PEEK[], ${cfg.inbox} msgs`,
    unit: "MB/s",
    better: "higher",
    run: async (s) => {
      const c = await session(s, "INBOX");
      const { ms, r } = await timed(c, "FETCH 1:* BODY.PEEK[]");
      await c.logout();
      return { value: r.bytes / 1048576 / (ms / 1000), ms, bytes: r.bytes, responses: r.untagged };
    },
  },
  ...[
    ["search-header", 'SEARCH SUBJECT "budget"', "SEARCH SUBJECT (header)"],
    ["search-body", 'SEARCH BODY "zebrafish"', "SEARCH BODY (text)"],
  ].map(([id, command, label]) =>
    inboxCommand(id, command, label, (r) => {
      const line = r.lines.find((l) => l.startsWith("* SEARCH")) ?? "";
      return { hits: line.trim().split(/\s+/).length - 2 };
    }),
  ),
  inboxCommand("sort", "SORT (SUBJECT) UTF-8 ALL", "SORT (SUBJECT)"),
  inboxCommand("sort-date", "SORT (REVERSE DATE) UTF-8 ALL", "SORT (REVERSE DATE)"),
  inboxCommand("thread", "THREAD REFERENCES UTF-8 ALL", "THREAD REFERENCES"),
  inboxCommand("thread-subject", "THREAD ORDEREDSUBJECT UTF-8 ALL", "THREAD ORDEREDSUBJECT"),
  {
    id: "store",
    label: `STORE 1:* +FLAGS (\\Flagged), ${cfg.inbox} msgs`,
    unit: "ms",
    better: "lower",
    run: async (s) => {
      const c = await session(s, "INBOX");
      const { ms, r } = await timed(c, "STORE 1:* +FLAGS (\\Flagged)");
      await c.cmd("STORE 1:* -FLAGS.SILENT (\\Flagged)");
      await c.logout();
      return { value: ms, responses: r.untagged };
    },
  },
  {
    id: "append",
    label: `APPEND rate (${cfg.appends} msgs, one session)`,
    unit: "msg/s",
    better: "higher",
    run: async (s, m) => {
      const msgs = await m("append-msgs", () => {
        const gen = messageGenerator(cfg.seed + 100);
        return Array.from({ length: cfg.appends }, (_, i) =>
          Buffer.from(gen(i).text.toString().replace(/\n/g, "\r\n")),
        );
      });
      const c = await session(s);
      await c.cmd(`CREATE ${s.folder("Bench-Append")}`, { allowNo: true });
      const t = now();
      for (const msg of msgs) await c.append(s.box("Bench-Append"), msg);
      const ms = now() - t;
      await c.logout();
      return { value: msgs.length / (ms / 1000), ms };
    },
  },
  {
    id: "expunge",
    label: `EXPUNGE of ${cfg.expunge} msgs`,
    unit: "ms",
    better: "lower",
    run: async (s) => {
      const c = await session(s, "INBOX");
      const box = s.folder("Bench-Expunge");
      await c.cmd(`CREATE ${box}`, { allowNo: true });
      await c.cmd(`COPY 1:${cfg.expunge} ${box}`);
      await c.cmd(`SELECT ${box}`);
      await c.cmd("STORE 1:* +FLAGS.SILENT (\\Deleted)");
      const { ms, r } = await timed(c, "EXPUNGE");
      await c.logout();
      return { value: ms, responses: r.untagged };
    },
  },
  {
    id: "idle-held",
    label: `idling sessions held, of ${cfg.idlers} (LOGIN, SELECT INBOX, IDLE)`,
    unit: "sessions",
    better: "higher",
    once: true,
    run: async (s, m) => {
      const r = await m("idlers", () => idlers(s));
      return { value: r.held, ...r };
    },
  },
  {
    id: "idle-rss",
    label: "memory per idling session: server's RSS / sessions",
    unit: "MiB",
    better: "lower",
    once: true,
    run: async (s, m) => (await m("idlers", () => idlers(s))).rssPerSession,
  },
  {
    id: "idle-pss",
    label: "memory per idling session: server's PSS / sessions",
    unit: "MiB",
    better: "lower",
    once: true,
    run: async (s, m) => (await m("idlers", () => idlers(s))).pssPerSession,
  },
  ...["stat", "list", "uidl", "retr"].map((k) => ({
    id: `pop3-${k}`,
    label: k === "retr" ? `POP3 RETR × ${cfg.pop3}` : `POP3 ${k.toUpperCase()} (${cfg.inbox} msgs)`,
    unit: "ms",
    better: "lower",
    run: async (s, m) => {
      const r = await m("pop3", () => pop3Session(s));
      return { value: r[k], count: r.count, ...(k === "retr" ? { bytes: r.bytes } : {}) };
    },
  })),
];
function exists(r) {
  const l = r.lines.find((x) => / EXISTS/.test(x));
  return l ? Number(l.split(" ")[1]) : undefined;
}

if (o.help || o.list) {
  process.stdout.write(
    "Usage: npm run bench -- [--quick] [--servers ours,courier,dovecot] [--only a,b] [--runs N] [--seed N]\n" +
      "                       [--keep] [--no-install] [--profile DIR]   (DIR: our imapd workers' CPU profiles)\n\nMeasurements:\n" +
      MEASUREMENTS.map((m) => `  ${m.id.padEnd(20)} ${m.label} (${m.unit})\n`).join(""),
  );
  process.exit(0);
}

const only = o.only ? o.only.split(",").map((x) => x.trim()) : [];
const selected = MEASUREMENTS.filter(
  (m) => !only.length || only.some((p) => m.id === p || m.id.startsWith(`${p}-`) || m.id.startsWith(p)),
);
const wanted = o.servers.split(",").map((x) => x.trim());
for (const w of wanted) if (!servers[w]) throw new Error(`unknown server ${w} (ours, courier, dovecot)`);
if (!o["no-install"]) {
  try {
    ensurePeers(wanted, SERVERS_DIR, log);
  } catch (e) {
    log(`installing the peers: ${e.message}`); // the peer then reports why it did not start
  }
}

// ---- mail ------------------------------------------------------------------------------

if (o.profile) {
  // workers write there after dropping privileges to the account
  mkdirSync(resolve(o.profile), { recursive: true });
  chmodSync(resolve(o.profile), 0o1777);
}
const started = new Date();
const work = mkdtempSync(join(tmpdir(), "courier-bench-"));
const mail = join(work, "mail", "Maildir");
let t = now();
const needsLarge = selected.some((m) => m.id.startsWith("select"));
const bytes = {
  INBOX: fillMaildir(mail, messageGenerator(cfg.seed), cfg.inbox),
  Small: fillMaildir(join(mail, ".Small"), messageGenerator(cfg.seed + 1), cfg.small, true),
  Large: needsLarge ? fillMaildir(join(mail, ".Large"), messageGenerator(cfg.seed + 2), cfg.large, true) : 0,
};
log(
  `generated ${cfg.inbox} + ${cfg.small} + ${needsLarge ? cfg.large : 0} messages ` +
    `(${((bytes.INBOX + bytes.Small + bytes.Large) / 1048576).toFixed(1)} MB) in ${((now() - t) / 1000).toFixed(1)} s`,
);

// ---- run -------------------------------------------------------------------------------

/** Results shared by measurements within one run (one connect loop gives greeting and LOGIN). */
const memoAll = new Map();
const results = {};
const versions = {};
const errors = {};
try {
  for (const name of wanted) {
    let s;
    t = now();
    try {
      s = await servers[name]({ work, mail, profileDir: o.profile ? resolve(o.profile) : undefined });
    } catch (e) {
      errors[name] = String(e.message ?? e);
      log(`${name}: not started: ${errors[name]}`);
      continue;
    }
    versions[name] = s.version;
    log(`${name} (${s.version}) up in ${((now() - t) / 1000).toFixed(1)} s: imap ${s.imap}, pop3 ${s.pop3}`);
    results[name] = {};
    try {
      // Mailbox names: Courier's (and ours) live under "INBOX.", Dovecot's Maildir++ at the top.
      const c = await session(s);
      const list = await c.cmd('LIST "" "*"', { keep: true });
      await c.logout();
      const large = list.lines.map((l) => /"?([^" ]*Small)"?\r?\n?$/.exec(l.trim())?.[1]).find(Boolean);
      const prefix = large ? large.slice(0, -"Small".length) : "INBOX.";
      s.box = (n) => `${prefix}${n}`;
      s.folder = (n) => `"${prefix}${n}"`;
      for (const m of selected) {
        const samples = [];
        const extra = [];
        try {
          for (let i = 0; i < (m.once ? 1 : cfg.runs); i++) {
            const mm = (k, f) => {
              const key = `${k}#${i}`;
              if (!memoAll.has(key)) memoAll.set(key, f());
              return memoAll.get(key);
            };
            const r = await m.run(s, mm);
            const v = typeof r === "number" ? r : r.value;
            samples.push(v);
            if (typeof r === "object") extra.push(r);
          }
          results[name][m.id] = {
            median: median(samples),
            samples,
            ...(extra.length ? { detail: extra } : {}),
          };
          log(`${name} ${m.id}: ${fmt(median(samples))} ${m.unit}`);
        } catch (e) {
          results[name][m.id] = { error: String(e.message ?? e) };
          log(`${name} ${m.id}: FAILED ${e.message ?? e}`);
        }
      }
      results[name]._memory = memory(s);
    } catch (e) {
      errors[name] = String(e.message ?? e);
      log(`${name}: ${errors[name]}`);
    } finally {
      memoAll.clear();
      await s.stop();
    }
  }
} finally {
  if (!o.keep) rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}

// ---- report ----------------------------------------------------------------------------

function fmt(x) {
  if (x === undefined || Number.isNaN(x)) return "–";
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}
function memory(s) {
  const m = memoryOf(s);
  return { idleRssKiB: m.rss, idlePssKiB: m.pss, processes: m.procs };
}

const machine = {
  nproc: cpus().length,
  cpu: cpus()[0]?.model,
  memoryMiB: Math.round(totalmem() / 1048576),
  freeMiB: Math.round(freemem() / 1048576),
  kernel: release(),
  node: process.version,
  loadavg: readFileSync("/proc/loadavg", "utf8").trim(),
};
const peers = Object.keys(results).filter((n) => n !== "ours");
const cols = Object.keys(results);
let table = `| measurement | unit | ${cols.join(" | ")} | ours vs best peer |\n|---|---|${cols.map(() => "---:").join("|")}|---:|\n`;
for (const m of selected) {
  const v = (n) => results[n]?.[m.id]?.median;
  let ratio = "";
  const ours = v("ours");
  const vals = peers.map(v).filter((x) => x !== undefined && !Number.isNaN(x));
  if (ours !== undefined && vals.length) {
    const best = m.better === "lower" ? Math.min(...vals) : Math.max(...vals);
    const f = m.better === "lower" ? ours / best : best / ours; // > 1: we are slower
    ratio = f >= 1 ? `${f.toFixed(2)}× slower` : `${(1 / f).toFixed(2)}× faster`;
  }
  table += `| ${m.label} | ${m.unit} | ${cols.map((n) => (results[n]?.[m.id]?.error ? "error" : fmt(v(n)))).join(" | ")} | ${ratio} |\n`;
}
const header =
  `Benchmark ${started.toISOString()} (${quick ? "quick" : "full"}: median of ${cfg.runs} runs; ` +
  `${machine.nproc} CPUs ${machine.cpu}, ${machine.memoryMiB} MiB, Linux ${machine.kernel}, node ${machine.node}; load ${machine.loadavg})\n` +
  Object.entries(versions)
    .map(([k, v]) => `- ${k}: ${v}\n`)
    .join("") +
  Object.entries(errors)
    .map(([k, v]) => `- ${k}: not run: ${v.split("\n")[0]}\n`)
    .join("");
process.stdout.write(`${header}\n${table}`);

const outDir = join(ROOT, "bench", "results");
mkdirSync(outDir, { recursive: true });
const file = join(
  outDir,
  `bench-${started.toISOString().replace(/[:.]/g, "-")}${quick ? "-quick" : ""}.json`,
);
writeFileSync(
  file,
  `${JSON.stringify({ started: started.toISOString(), finished: new Date().toISOString(), machine, versions, config: cfg, errors, results, table }, null, 2)}\n`,
);
log(`results in ${file}`);
