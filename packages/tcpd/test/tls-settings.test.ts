// The TLS_* variables: mapping onto Node's TLS options and the errors that name them.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  checkTlsConfig,
  contextOptions,
  parseTlsPriority,
  parseTlsProtocol,
  readTlsSettings,
  starttlsAvailable,
  TlsConfigError,
  tlsRequired,
} from "../src/tls/index.js";

const REPO = resolve(fileURLToPath(import.meta.url), "../../../../..");
const bin = (n: string) => join(REPO, "bin", n);

function tempCert(): { dir: string; pem: string } {
  const dir = mkdtempSync(join(tmpdir(), "tls-settings-"));
  const pem = join(dir, "imapd.pem");
  writeFileSync(
    join(dir, "imapd.cnf"),
    "[ req ]\ndefault_bits = 2048\nprompt = no\ndistinguished_name = dn\n[ dn ]\nCN=mail.example.com\n",
  );
  const r = spawnSync(process.execPath, [bin("mkimapdcert"), pem], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return { dir, pem };
}

const throwsNaming = (fn: () => unknown, variable: string) =>
  assert.throws(
    fn,
    (e: Error) =>
      e instanceof TlsConfigError && e.variable === variable && e.message.startsWith(`${variable}: `),
  );

test("TLS_PROTOCOL: Courier's values are minimum versions; ++ refuses renegotiation", () => {
  assert.equal(parseTlsProtocol(undefined), undefined);
  assert.deepEqual(parseTlsProtocol("TLSv1"), {
    minVersion: "TLSv1",
    noRenegotiation: false,
    serverCipherOrder: false,
  });
  assert.deepEqual(parseTlsProtocol("TLSv1.1+"), {
    minVersion: "TLSv1.1",
    noRenegotiation: false,
    serverCipherOrder: false,
  });
  assert.deepEqual(parseTlsProtocol("TLSv1.2++"), {
    minVersion: "TLSv1.2",
    noRenegotiation: true,
    serverCipherOrder: true,
  });
  assert.equal(parseTlsProtocol("SSL23")?.minVersion, "TLSv1");
  throwsNaming(() => parseTlsProtocol("TLSv9"), "TLS_PROTOCOL");
  throwsNaming(() => parseTlsProtocol("SSL3"), "TLS_PROTOCOL");
});

test("TLS_PRIORITY: versions, strength keywords and flags map; the rest is a warning", () => {
  const p = parseTlsPriority(
    "SECURE256:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:%SERVER_PRECEDENCE:-CTYPE-OPENPGP",
  );
  assert.equal(p.minVersion, "TLSv1.2");
  assert.equal(p.maxVersion, "TLSv1.3");
  assert.equal(p.serverCipherOrder, true);
  assert.match(p.ciphers ?? "", /!AES128/);
  assert.deepEqual(p.warnings, []);
  const d = parseTlsPriority("NORMAL:-CTYPE-OPENPGP");
  assert.equal(d.minVersion, undefined);
  assert.deepEqual(d.warnings, []);
  const w = parseTlsPriority("NORMAL:-ARCFOUR-128:%COMPAT:%NO_TICKETS");
  assert.equal(w.noTickets, true);
  assert.equal(w.warnings.length, 2);
  assert.match(w.warnings[0], /^TLS_PRIORITY: "-ARCFOUR-128" has no equivalent/);
  throwsNaming(() => parseTlsPriority("BOGUS"), "TLS_PRIORITY");
  throwsNaming(() => parseTlsPriority("NORMAL:-VERS-ALL"), "TLS_PRIORITY");
  throwsNaming(() => parseTlsPriority("NORMAL:+VERS-TLS9"), "TLS_PRIORITY");
});

test("readTlsSettings: every bad value names its variable", () => {
  const base = { TLS_CERTFILE: "/x.pem" };
  throwsNaming(() => readTlsSettings({}), "TLS_CERTFILE");
  throwsNaming(() => readTlsSettings({ ...base, TLS_VERIFYPEER: "MAYBE" }), "TLS_VERIFYPEER");
  throwsNaming(() => readTlsSettings({ ...base, TLS_VERIFYPEER: "PEER" }), "TLS_TRUSTCERTS");
  throwsNaming(() => readTlsSettings({ ...base, TLS_CIPHER_LIST: "NO-SUCH-CIPHER" }), "TLS_CIPHER_LIST");
  throwsNaming(() => readTlsSettings({ ...base, TLS_CACHESIZE: "big" }), "TLS_CACHESIZE");
  throwsNaming(() => readTlsSettings({ ...base, TLS_TIMEOUT: "0" }), "TLS_TIMEOUT");
  throwsNaming(() => readTlsSettings({ ...base, TLS_MIN_DH_BITS: "-1" }), "TLS_MIN_DH_BITS");
  throwsNaming(
    () => readTlsSettings({ ...base, TLS_PROTOCOL: "TLSv1.3", TLS_PRIORITY: "NORMAL:-VERS-TLS1.3" }),
    "TLS_PROTOCOL",
  );
  const s = readTlsSettings({
    ...base,
    TLS_PROTOCOL: "TLSv1.2",
    TLS_CIPHER_LIST: "TLSv1:HIGH:!LOW:!MEDIUM:!EXP:!NULL:!aNULL@STRENGTH",
    TLS_VERIFYPEER: "REQUIREPEER",
    TLS_TRUSTCERTS: "/etc/ssl/certs",
    TLS_ALPN: "imap, imaps",
    TLS_TIMEOUT: "600",
  });
  assert.equal(s.minVersion, "TLSv1.2");
  assert.equal(s.verifyPeer, "REQUIREPEER");
  assert.deepEqual(s.alpn, ["imap", "imaps"]);
  assert.equal(s.sessionTimeout, 600);
});

test("certificate files: SNI and per-address variants, separate key, DH size check, ticket keys", (t) => {
  const { dir, pem } = tempCert();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { TLS_CERTFILE: pem, TLS_CACHEFILE: join(dir, "cache") };
  const o = contextOptions(readTlsSettings(env));
  assert.match(String(o.cert), /BEGIN CERTIFICATE/);
  assert.match(String(o.key), /BEGIN PRIVATE KEY/);
  assert.equal(o.dhparam, "auto");
  assert.equal((o.ticketKeys as Buffer).length, 48);
  assert.deepEqual(contextOptions(readTlsSettings(env)).ticketKeys, o.ticketKeys, "workers share the keys");
  copyFileSync(pem, `${pem}.192.0.2.1`);
  writeFileSync(`${pem}.mail.example.org`, "not a certificate");
  assert.doesNotThrow(() => contextOptions(readTlsSettings(env), { localIp: "::ffff:192.0.2.1" }));
  throwsNaming(
    () => contextOptions(readTlsSettings(env), { servername: "mail.example.org" }),
    "TLS_CERTFILE",
  );
  throwsNaming(
    () => checkTlsConfig({ IMAP_TLS: "1", TLS_CERTFILE: join(dir, "missing.pem") }),
    "TLS_CERTFILE",
  );
  const dh = spawnSync("openssl", ["dhparam", "-dsaparam", "-out", join(dir, "dh.pem"), "1024"]);
  assert.equal(dh.status, 0);
  throwsNaming(
    () =>
      contextOptions(readTlsSettings({ ...env, TLS_DHPARAMS: join(dir, "dh.pem"), TLS_MIN_DH_BITS: "2048" })),
    "TLS_MIN_DH_BITS",
  );
  assert.deepEqual(
    checkTlsConfig({ IMAP_STARTTLS: "YES", TLS_CERTFILE: join(dir, "missing.pem") }).length,
    1,
  );
});

test("STARTTLS availability stands in for Courier's COURIERTLS check: a readable certificate", (t) => {
  const { dir, pem } = tempCert();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(starttlsAvailable({ IMAP_STARTTLS: "YES", TLS_CERTFILE: pem }, "IMAP"), true);
  assert.equal(starttlsAvailable({ IMAP_STARTTLS: "NO", TLS_CERTFILE: pem }, "IMAP"), false);
  assert.equal(starttlsAvailable({ POP3_STARTTLS: "yes", TLS_CERTFILE: `${pem}.none` }, "POP3"), false);
  assert.equal(tlsRequired({ IMAP_TLS_REQUIRED: "1" }, "IMAP"), true);
  assert.equal(tlsRequired({ IMAP_TLS_REQUIRED: "1", IMAP_TLS: "1" }, "IMAP"), false);
});

test("couriertcpd refuses to start with a bad TLS setting, naming it", () => {
  const r = spawnSync(process.execPath, [bin("couriertcpd"), "-address=127.0.0.1", "0", "/bin/true"], {
    env: { PATH: process.env.PATH, IMAP_TLS: "1", TLS_CERTFILE: "/nonexistent/imapd.pem" },
    encoding: "utf8",
    timeout: 10000,
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^couriertcpd: TLS_CERTFILE: cannot read \/nonexistent\/imapd\.pem: ENOENT$/m);
});

test("mkimapdcert: a GnuTLS template works too, and an existing certificate is never replaced", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "mkcert-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cnf = join(dir, "pop3d.cnf");
  writeFileSync(
    cnf,
    'organization = "Example, Inc."\nunit = "POP3"\ncn = "pop.example.com"\nexpiration_days = 10\n',
  );
  const pem = join(dir, "pop3d.pem");
  const r = spawnSync(process.execPath, [bin("mkpop3dcert"), "-config", cnf, pem], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const subj = spawnSync("openssl", ["x509", "-in", pem, "-noout", "-subject", "-enddate"], {
    encoding: "utf8",
  });
  assert.match(subj.stdout, /O = "Example, Inc\.", OU = POP3, CN = pop\.example\.com/);
  const again = spawnSync(process.execPath, [bin("mkpop3dcert"), "-config", cnf, pem], { encoding: "utf8" });
  assert.equal(again.status, 1);
  assert.equal(again.stderr, `${pem} already exists.\n`);
});
