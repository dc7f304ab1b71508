#!/usr/bin/env node
// Login latency through a real authdaemond (bin/authdaemond) with authmysql and authpgsql over
// a table of 10,000 accounts: N sequential AUTH login requests for random accounts, one
// connection each, as imapd sends them, after a warm-up; prints p50/p95/p99 per backend.
//
//   node bench/auth-sql.mjs [--backend mysql|pgsql|both] [-n COUNT] [--accounts N]
//                           [--hash ssha|md5crypt|sha512crypt] [--daemons N] [--json]
//
// Needs a built repository (npm run build), MariaDB on 127.0.0.1:3306 (root, no password,
// database test) and PostgreSQL on 127.0.0.1:5432 (user postgres, database test); override
// with MYSQL_URL=mysql://user:pw@host:port/db and PGSQL_CONNINFO="host=… user=… dbname=…".
// The table (authsql_bench_<pid>) is dropped at the end.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({
  options: {
    backend: { type: "string", default: "both" },
    count: { type: "string", short: "n", default: "2000" },
    accounts: { type: "string", default: "10000" },
    hash: { type: "string", default: "ssha" },
    daemons: { type: "string", default: "1" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  process.stdout.write(
    "Usage: node bench/auth-sql.mjs [--backend mysql|pgsql|both] [-n COUNT] [--accounts N] [--hash ssha|md5crypt|sha512crypt] [--daemons N] [--json]\n",
  );
  process.exit(0);
}
const COUNT = Number(values.count);
const ACCOUNTS = Number(values.accounts);
const TABLE = `authsql_bench_${process.pid}`;
const authlib = await import(pathToFileURL(join(ROOT, "packages/authlib/dist/src/index.js")).href);
const requireFrom = (pkg) => createRequire(join(ROOT, "packages", pkg, "package.json"));
// Both drivers are loaded up front, from the packages that depend on them.
const DRIVERS = { mysql: requireFrom("auth-mysql")("mysql2/promise"), pg: requireFrom("auth-pgsql")("pg") };

async function hashFor(pw) {
  if (values.hash === "ssha") {
    const salt = randomBytes(4);
    const d = createHash("sha1").update(pw).update(salt).digest();
    return `{SSHA}${Buffer.concat([d, salt]).toString("base64")}`;
  }
  return authlib.makeHash(pw, values.hash);
}

const COLUMNS = "id VARCHAR(255) PRIMARY KEY, crypt VARCHAR(255), uid INT, gid INT, home VARCHAR(255)";

const BACKENDS = {
  mysql: {
    module: "authmysql",
    async open() {
      const c = await DRIVERS.mysql.createConnection(
        process.env.MYSQL_URL ?? { host: "127.0.0.1", user: "root", database: "test" },
      );
      return { exec: async (sql, p) => (await c.query(sql, p))[0], close: () => c.end() };
    },
    placeholders: (n) => Array.from({ length: n }, () => "(?, ?, ?, ?, ?)").join(", "),
    rc() {
      const u = new URL(process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test");
      return [
        `MYSQL_SERVER ${u.hostname}`,
        `MYSQL_USERNAME ${decodeURIComponent(u.username)}`,
        `MYSQL_PASSWORD ${decodeURIComponent(u.password)}`,
        `MYSQL_PORT ${u.port || 0}`,
        "MYSQL_OPT 0",
        `MYSQL_DATABASE ${u.pathname.slice(1)}`,
      ].join("\n");
    },
  },
  pgsql: {
    module: "authpgsql",
    async open() {
      const conninfo = process.env.PGSQL_CONNINFO ?? "host=127.0.0.1 user=postgres dbname=test";
      const cfg = Object.fromEntries(conninfo.split(/\s+/).map((kv) => kv.split("=")));
      const c = new DRIVERS.pg.Client({ ...cfg, database: cfg.dbname });
      await c.connect();
      return { exec: async (sql, p) => (await c.query(sql, p)).rows, close: () => c.end() };
    },
    placeholders: (n) =>
      Array.from({ length: n }, (_, i) => `(${[1, 2, 3, 4, 5].map((k) => `$${i * 5 + k}`).join(", ")})`).join(
        ", ",
      ),
    rc: () => `PGSQL_CONNECTION ${process.env.PGSQL_CONNINFO ?? "host=127.0.0.1 user=postgres dbname=test"}`,
  },
};

function once(socket, request) {
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

function loginRequest(i) {
  const body = `imap\nlogin\nuser${i}@example.com\npw${i}\n`;
  return `TCPREMOTEIP=192.0.2.7\nAUTH ${Buffer.byteLength(body)}\n${body}`;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function run(name) {
  const b = BACKENDS[name];
  const db = await b.open();
  const dir = mkdtempSync(join(tmpdir(), "auth-sql-bench-"));
  let daemon;
  try {
    await db.exec(`CREATE TABLE ${TABLE} (${COLUMNS})`);
    const t0 = Date.now();
    for (let start = 0; start < ACCOUNTS; start += 1000) {
      const n = Math.min(1000, ACCOUNTS - start);
      const params = [];
      for (let i = start; i < start + n; i++)
        params.push(`user${i}@example.com`, await hashFor(`pw${i}`), 5000, 5000, `/home/vmail/user${i}`);
      await db.exec(`INSERT INTO ${TABLE} (id, crypt, uid, gid, home) VALUES ${b.placeholders(n)}`, params);
    }
    const loadMs = Date.now() - t0;
    const P = name === "mysql" ? "MYSQL" : "PGSQL";
    writeFileSync(
      join(dir, `${b.module}rc`),
      `${b.rc()}\n${P}_USER_TABLE ${TABLE}\n${P}_CRYPT_PWFIELD crypt\n##NAME: MARKER:0\n`,
    );
    writeFileSync(
      join(dir, "authdaemonrc"),
      `authmodulelist="${b.module}"\ndaemons=${values.daemons}\nauthdaemonvar=${dir}/var\n`,
    );
    daemon = spawn(
      process.execPath,
      [join(ROOT, "bin", "authdaemond"), "--config", join(dir, "authdaemonrc")],
      {
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    const socket = join(dir, "var", "socket");
    for (let i = 0; ; i++) {
      if (
        await once(socket, loginRequest(0)).then(
          () => true,
          () => false,
        )
      )
        break;
      if (i > 150) throw new Error("authdaemond did not answer");
      await sleep(100);
    }
    for (let i = 0; i < 50; i++) await once(socket, loginRequest(Math.floor(Math.random() * ACCOUNTS)));
    const times = [];
    for (let i = 0; i < COUNT; i++)
      times.push(await once(socket, loginRequest(Math.floor(Math.random() * ACCOUNTS))));
    times.sort((a, b) => a - b);
    return {
      backend: name,
      accounts: ACCOUNTS,
      hash: values.hash,
      count: COUNT,
      loadMs,
      p50: pct(times, 50),
      p95: pct(times, 95),
      p99: pct(times, 99),
      mean: times.reduce((a, c) => a + c, 0) / times.length,
    };
  } finally {
    if (daemon && daemon.exitCode === null) {
      daemon.kill("SIGTERM");
      await new Promise((r) => daemon.once("exit", r));
    }
    await db.exec(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const names = values.backend === "both" ? ["mysql", "pgsql"] : [values.backend];
for (const name of names) {
  if (!BACKENDS[name]) throw new Error(`unknown backend ${name}`);
  const r = await run(name);
  if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
  else
    process.stdout.write(
      `${r.backend}: ${r.count} sequential AUTH logins over ${r.accounts} ${r.hash} accounts: p50 ${r.p50.toFixed(3)} ms, p95 ${r.p95.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, mean ${r.mean.toFixed(3)} ms\n`,
    );
}
