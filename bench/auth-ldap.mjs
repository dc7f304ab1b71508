#!/usr/bin/env node
// authldap login latency through bin/authdaemond against a private OpenLDAP slapd holding
// N accounts (default 10,000): sequential AUTH login requests for random accounts, one
// connection each as imapd sends them, in password-compare mode (searches bound as the admin,
// {SSHA} compared here) and in LDAP_AUTHBIND mode (anonymous search, then a bind as the user);
// then one ENUMERATE of every account. Prints p50/p95/p99/mean per mode.
//
//   npm run build && node bench/auth-ldap.mjs [--accounts=10000] [--logins=2000] [--daemons=1] [--json]
//
// Needs /usr/sbin/slapd and slapadd (Debian package slapd) and openssl.
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    accounts: { type: "string", default: "10000" },
    logins: { type: "string", default: "2000" },
    daemons: { type: "string", default: "1" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  process.stdout.write(
    "Usage: node bench/auth-ldap.mjs [--accounts=N] [--logins=N] [--daemons=N] [--json]\n",
  );
  process.exit(0);
}
const dist = new URL("../packages/auth-ldap/dist/test/", import.meta.url);
const { Slapd, makeCa, slapdMissing } = await import(new URL("slapd.js", dist).href);
const { accountLdif, baseLdif, ssha } = await import(new URL("accounts.js", dist).href);
const { Daemon, authldaprc, compareSettings } = await import(new URL("daemon.js", dist).href);

const missing = slapdMissing();
if (missing) {
  process.stderr.write(`auth-ldap bench: ${missing}\n`);
  process.exit(1);
}
const N = Number.parseInt(values.accounts, 10);
const LOGINS = Number.parseInt(values.logins, 10);
const name = (i) => `user${String(i).padStart(6, "0")}`;

function request(user, password) {
  const body = Buffer.from(`imap\nlogin\n${user}\n${password}\n`);
  return Buffer.concat([Buffer.from(`TCPREMOTEIP=192.0.2.7\nAUTH ${body.length}\n`), body]);
}

function once(socket, req) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const chunks = [];
    const s = connect(socket, () => s.write(req));
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

async function measure(socket) {
  const reqs = Array.from({ length: LOGINS + 50 }, () => {
    const i = 1 + Math.floor(Math.random() * N);
    return request(`${name(i)}@example.com`, `pw${i}`);
  });
  for (const r of reqs.slice(0, 50)) await once(socket, r); // warm-up
  const times = [];
  for (const r of reqs.slice(50)) times.push(await once(socket, r));
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return { logins: times.length, p50: pct(times, 50), p95: pct(times, 95), p99: pct(times, 99), mean };
}

const dir = mkdtempSync(join(tmpdir(), "bench-auth-ldap-"));
let slapd;
const daemons = [];
try {
  const t0 = Date.now();
  let ldif = baseLdif();
  for (let i = 1; i <= N; i++) {
    ldif += accountLdif({
      uid: name(i),
      mail: [`${name(i)}@example.com`],
      home: `/home/vmail/${name(i)}`,
      uidNumber: 5000,
      gidNumber: 5000,
      mailbox: `/home/vmail/${name(i)}/Maildir`,
      userPassword: ssha(`pw${i}`, Buffer.from(String(i).padStart(4, "0").slice(-4))),
      extra: { disableimap: "0" },
    });
  }
  slapd = await Slapd.create(join(dir, "slapd"), ldif, makeCa(dir));
  const loadMs = Date.now() - t0;
  const base = { ...compareSettings(slapd.url), LDAP_CLEARPW: "", LDAP_AUXOPTIONS: "disableimap" };
  const extra = [`daemons=${values.daemons}`];
  const results = { accounts: N, loadMs, daemons: Number(values.daemons) };
  for (const [mode, settings] of [
    ["compare", base],
    ["authbind", { ...base, LDAP_INITBIND: "0", LDAP_AUTHBIND: "1" }],
  ]) {
    const d = await Daemon.start(join(dir, mode), authldaprc(settings), extra, { DEBUG_LOGIN: "0" });
    daemons.push(d);
    results[mode] = await measure(d.socket);
  }
  const { authEnumerate } = await import(
    new URL("../packages/authlib/dist/src/index.js", import.meta.url).href
  );
  const e0 = process.hrtime.bigint();
  const list = await authEnumerate({ socket: daemons[0].socket, readTimeout: 120 });
  results.enumerate = { accounts: list?.length ?? -1, ms: Number(process.hrtime.bigint() - e0) / 1e6 };
  if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
  else {
    process.stdout.write(`${N} accounts loaded with slapadd in ${loadMs} ms; daemons=${values.daemons}\n`);
    for (const mode of ["compare", "authbind"]) {
      const r = results[mode];
      process.stdout.write(
        `${mode.padEnd(8)} ${r.logins} sequential AUTH: p50 ${r.p50.toFixed(3)} ms, p95 ${r.p95.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, mean ${r.mean.toFixed(3)} ms\n`,
      );
    }
    process.stdout.write(
      `ENUMERATE: ${results.enumerate.accounts} accounts in ${results.enumerate.ms.toFixed(0)} ms\n`,
    );
  }
} finally {
  for (const d of daemons) await d.stop();
  await slapd?.stop();
  slapd?.kill();
  rmSync(dir, { recursive: true, force: true });
}
