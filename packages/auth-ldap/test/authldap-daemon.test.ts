// authldap through a real authdaemond process against a real slapd (ldap:// and ldaps://
// with a CA made here): password compare and bind logins, aux options, email map, TLS,
// password change, ENUMERATE, hostile logins.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import {
  authEnumerate,
  authGeneric,
  authLogin,
  authPasswd,
  authPre,
  checkPassword,
} from "@courier-imap/authlib";
import { Client } from "ldapts";
import { PEOPLE, testDirectory } from "./accounts.js";
import { authldaprc, compareSettings, Daemon } from "./daemon.js";
import { ldapTest, MISSING } from "./needs.js";
import { ADMIN_DN, ADMIN_PW, makeCa, Slapd, SUFFIX, type TestCa } from "./slapd.js";

const dir = mkdtempSync(join(tmpdir(), "authldap-test-"));
let slapd: Slapd;
let ca: TestCa;
const daemons: Daemon[] = [];

async function daemon(name: string, settings: Record<string, string>, daemonRc: string[] = [], env = {}) {
  const d = await Daemon.start(join(dir, name), authldaprc(settings), daemonRc, env);
  daemons.push(d);
  return d;
}

async function readEntry(uid: string): Promise<Record<string, unknown>> {
  const c = new Client({ url: slapd.url });
  try {
    await c.bind(ADMIN_DN, ADMIN_PW);
    const r = await c.search(`uid=${uid},${PEOPLE}`, { scope: "base" });
    return r.searchEntries[0];
  } finally {
    await c.unbind();
  }
}

before(async () => {
  if (MISSING) return;
  ca = makeCa(dir);
  slapd = await Slapd.create(join(dir, "slapd"), testDirectory(), ca);
});

after(async () => {
  await Promise.all(daemons.map((d) => d.stop()));
  await slapd?.stop();
  slapd?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const JOHN_RECORD = {
  uid: 1012,
  gid: 1012,
  home: "/home/vmail/john",
  address: "john@example.com",
  name: "John Doe",
  maildir: "/home/vmail/john/Maildir",
  quota: "10000000S",
  passwd: "{SSHA}gbw06AY1HYz6qPY/oHe1S0prg1UgtyEn",
  passwd2: "secret",
  options: "disableimap=0,sharedgroup=domain1",
};

ldapTest(
  "password compare: {SSHA} and clear logins, record, aux options, wrong password, unknown user",
  async () => {
    const d = await daemon("compare", compareSettings(slapd.url));
    const john = await authLogin(d.opts, "imap", "john@example.com", "secret");
    assert.deepEqual(john, { kind: "ok", record: JOHN_RECORD });
    // a second mail value of the same entry works too; ADDRESS is the login as typed
    const jd = await authLogin(d.opts, "imap", "jd@example.com", "secret");
    assert.equal(jd.kind === "ok" && jd.record.address, "jd@example.com");
    // service "courier" reads LDAP_DEFAULTDELIVERY instead of LDAP_MAILDIR
    const courier = await authLogin(d.opts, "courier", "john@example.com", "secret");
    assert.equal(courier.kind === "ok" && courier.record.maildir, "| /usr/bin/maildrop");
    // the clear attribute wins over the hash; PASSWD2 is the clear value
    const alice = await authLogin(d.opts, "imap", "alice@example.com", "alicepw");
    assert.equal(alice.kind, "ok");
    assert.equal(alice.kind === "ok" && alice.record.passwd2, "alicepw");
    assert.equal(alice.kind === "ok" && alice.record.home, "alice");
    assert.deepEqual(await authLogin(d.opts, "imap", "john@example.com", "wrong"), { kind: "fail" });
    assert.deepEqual(await authLogin(d.opts, "imap", "nobody@example.com", "secret"), { kind: "fail" });
    // two entries with the same address: not exactly one, so not found
    assert.deepEqual(await authLogin(d.opts, "imap", "dup@example.com", "duppw"), { kind: "fail" });
    // uid 0 is refused with a temporary failure (Courier: "zero uid or gid not permitted")
    assert.equal((await authLogin(d.opts, "imap", "zero@example.com", "zeropw")).kind, "tempfail");
    await d.waitLog(/refuse to authenticate zero@example\.com: uid=0, gid=0/);
    // PRE: no password needed, PASSWD2 is the clear attribute only
    const pre = await authPre(d.opts, "imap", "john@example.com");
    const { passwd2: _, ...withoutPasswd2 } = JOHN_RECORD;
    assert.deepEqual(pre, { kind: "ok", record: withoutPasswd2 });
  },
);

ldapTest("CRAM-MD5 from the clear password attribute", async () => {
  const d = await daemon("cram", compareSettings(slapd.url));
  const { createHmac } = await import("node:crypto");
  const challenge = "<1896.697170952@postoffice.example.net>";
  const digest = createHmac("md5", "alicepw").update(challenge).digest("hex");
  const data = `${Buffer.from(challenge).toString("base64")}\n${Buffer.from(`alice@example.com ${digest}`).toString("base64")}\n`;
  const ok = await authGeneric(d.opts, "imap", "cram-md5", data);
  assert.equal(ok.kind === "ok" && ok.record.address, "alice@example.com");
  const bad = `${Buffer.from(challenge).toString("base64")}\n${Buffer.from(`alice@example.com ${"0".repeat(32)}`).toString("base64")}\n`;
  assert.deepEqual(await authGeneric(d.opts, "imap", "cram-md5", bad), { kind: "fail" });
});

ldapTest("LDAP_DOMAIN, LDAP_MAILROOT (relative homes only), LDAP_FILTER, LDAP_GLOB_UID/GID", async () => {
  const s = compareSettings(slapd.url);
  const d = await daemon("domain", {
    ...s,
    LDAP_DOMAIN: "example.com",
    LDAP_MAILROOT: "/var/mail/vhosts",
    LDAP_FILTER: "(objectClass=CourierMailAccount)",
    LDAP_UID: "",
    LDAP_GID: "",
    LDAP_GLOB_UID: "5000",
    LDAP_GLOB_GID: "5001",
  });
  const alice = await authLogin(d.opts, "imap", "alice", "alicepw");
  assert.equal(alice.kind, "ok");
  if (alice.kind !== "ok") return;
  assert.equal(alice.record.address, "alice");
  assert.equal(alice.record.home, "/var/mail/vhosts/alice");
  assert.equal(alice.record.uid, 5000);
  assert.equal(alice.record.gid, 5001);
  const john = await authLogin(d.opts, "imap", "john", "secret");
  assert.equal(john.kind === "ok" && john.record.home, "/home/vmail/john");
  await d.waitLog(/LDAP_MAILROOT not applied to the absolute home \/home\/vmail\/john/);
  // a filter that excludes everyone
  const none = await daemon("filter", { ...s, LDAP_FILTER: "(objectClass=posixAccount)" });
  assert.deepEqual(await authLogin(none.opts, "imap", "john@example.com", "secret"), { kind: "fail" });
});

ldapTest("LDAP_AUTHBIND: anonymous search, password checked by binding as the user", async () => {
  const s = compareSettings(slapd.url);
  const d = await daemon("authbind", {
    ...s,
    LDAP_INITBIND: "0",
    LDAP_AUTHBIND: "1",
    LDAP_CLEARPW: "",
  });
  const john = await authLogin(d.opts, "imap", "john@example.com", "secret");
  assert.equal(john.kind, "ok");
  // searched anonymously, so the password attribute was not readable: PASSWD2 is the typed one
  assert.equal(john.kind === "ok" && john.record.passwd, undefined);
  assert.equal(john.kind === "ok" && john.record.passwd2, "secret");
  assert.deepEqual(await authLogin(d.opts, "imap", "john@example.com", "wrong"), { kind: "fail" });
  // an empty password would be an anonymous bind: never accepted
  assert.deepEqual(await authLogin(d.opts, "imap", "john@example.com", ""), { kind: "fail" });
  // concurrent binds on the one bind connection do not mix up
  const many = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      i % 2
        ? authLogin(d.opts, "imap", "alice@example.com", "alicepw")
        : authLogin(d.opts, "imap", "john@example.com", i % 4 ? "secret" : "bad"),
    ),
  );
  for (const [i, r] of many.entries()) assert.equal(r.kind, i % 2 || i % 4 ? "ok" : "fail", `request ${i}`);
});

ldapTest("email map: jdoe@realm.example is looked up as its handle john@example.com", async () => {
  const d = await daemon("emailmap", {
    ...compareSettings(slapd.url),
    LDAP_EMAILMAP: "(&(uid=@user@)(realm=@realm@))",
    LDAP_EMAILMAP_BASEDN: `ou=emailmap,${SUFFIX}`,
    LDAP_EMAILMAP_ATTRIBUTE: "handle",
    LDAP_EMAILMAP_MAIL: "mail",
  });
  const r = await authLogin(d.opts, "imap", "jdoe@realm.example", "secret");
  assert.equal(r.kind, "ok", d.stderr);
  assert.equal(r.kind === "ok" && r.record.address, "jdoe@realm.example");
  assert.equal(r.kind === "ok" && r.record.home, "/home/vmail/john");
  assert.deepEqual(await authLogin(d.opts, "imap", "jdoe@other.example", "secret"), { kind: "fail" });
  assert.deepEqual(await authLogin(d.opts, "imap", "jdoe@realm.example", "wrong"), { kind: "fail" });
  // hostile parts of the address are escaped in the map filter as well
  assert.deepEqual(await authLogin(d.opts, "imap", "*@*", "secret"), { kind: "fail" });
  // as in Courier, every login with an @ goes through the map: john@example.com has no map entry
  assert.deepEqual(await authLogin(d.opts, "imap", "john@example.com", "secret"), { kind: "fail" });
  await d.waitLog(/using emailmap search: \(&\(uid=\\2a\)\(realm=\\2a\)\)/);
});

ldapTest(
  "TLS: StartTLS (CA from authdaemonrc) and ldaps:// (CA from the environment); unknown CA refused",
  async () => {
    const s = compareSettings(slapd.url);
    const starttls = await daemon("starttls", { ...s, LDAP_TLS: "1" }, [`LDAPTLS_CACERT=${ca.caCert}`]);
    assert.equal((await authLogin(starttls.opts, "imap", "john@example.com", "secret")).kind, "ok");
    const ldaps = await daemon("ldaps", { ...s, LDAP_URI: slapd.ldapsUrl }, [], {
      LDAPTLS_CACERT: ca.caCert,
    });
    assert.equal((await authLogin(ldaps.opts, "imap", "john@example.com", "secret")).kind, "ok");
    // without the CA the certificate does not verify: a temporary failure, never a login
    const untrusted = await daemon("untrusted", { ...s, LDAP_URI: slapd.ldapsUrl });
    assert.equal((await authLogin(untrusted.opts, "imap", "john@example.com", "secret")).kind, "tempfail");
    await untrusted.waitLog(/cannot connect to the LDAP server/);
    // LDAPTLS_REQCERT=never accepts it, as with OpenLDAP's client
    const never = await daemon("reqcert-never", { ...s, LDAP_URI: slapd.ldapsUrl }, [
      "LDAPTLS_REQCERT=never",
    ]);
    assert.equal((await authLogin(never.opts, "imap", "john@example.com", "secret")).kind, "ok");
  },
);

ldapTest(
  "PASSWD: compare mode keeps the {SSHA} scheme and the clear attribute; bind mode changes as the user",
  async () => {
    const s = compareSettings(slapd.url);
    const d = await daemon("passwd", s);
    assert.equal(await authPasswd(d.opts, "imap", "alice@example.com", "wrong", "new1"), false);
    assert.equal(await authPasswd(d.opts, "imap", "alice@example.com", "alicepw", "alicenew"), true);
    const alice = await readEntry("alice");
    assert.equal(String(alice.clearPassword), "alicenew");
    const hash = String(alice.userPassword);
    assert.match(hash, /^\{SSHA\}/);
    assert.equal(await checkPassword("alicenew", hash), true);
    assert.equal((await authLogin(d.opts, "imap", "alice@example.com", "alicepw")).kind, "fail");
    assert.equal((await authLogin(d.opts, "imap", "alice@example.com", "alicenew")).kind, "ok");

    const b = await daemon("passwd-bind", { ...s, LDAP_INITBIND: "0", LDAP_AUTHBIND: "1" });
    // anonymous search cannot read the password attributes: nothing Courier would replace
    assert.equal(await authPasswd(b.opts, "imap", "alice@example.com", "alicenew", "x"), false);
    // with the admin searching, the user's own bind modifies the entry
    const b2 = await daemon("passwd-bind2", { ...s, LDAP_AUTHBIND: "1" });
    assert.equal(await authPasswd(b2.opts, "imap", "alice@example.com", "wrong", "x"), false);
    assert.equal(await authPasswd(b2.opts, "imap", "alice@example.com", "alicenew", "alice3"), true);
    assert.equal((await authLogin(b2.opts, "imap", "alice@example.com", "alice3")).kind, "ok");
    assert.equal((await authLogin(b2.opts, "imap", "alice@example.com", "alicenew")).kind, "fail");
  },
);

ldapTest("ENUMERATE lists every mail value of every entry with a home", async () => {
  const d = await daemon("enumerate", compareSettings(slapd.url));
  const list = await authEnumerate(d.opts);
  assert.ok(list, "complete listing");
  const names = list.map((a) => a.name).sort();
  // zero is dropped by the client (uid 0), as Courier's authenumerate does
  assert.deepEqual(names, [
    "alice@example.com",
    "dup@example.com",
    "dup@example.com",
    "jd@example.com",
    "john@example.com",
    "odd*(x)\\y@example.com",
  ]);
  const john = list.find((a) => a.name === "john@example.com");
  assert.deepEqual(john, {
    module: "authldap",
    name: "john@example.com",
    uid: 1012,
    gid: 1012,
    home: "/home/vmail/john",
    maildir: "/home/vmail/john/Maildir",
    options: "disableimap=0,sharedgroup=domain1",
  });
});

ldapTest("hostile logins cannot change the filter (RFC 4515 escaping)", async () => {
  const d = await daemon("injection", compareSettings(slapd.url));
  const hostile = [
    "*",
    "*@example.com",
    "j*",
    "john@example.com)(mail=*",
    "*)(|(mail=*",
    "john@example.com)(|(objectClass=*))",
    "*)(uid=john",
    "\\2a",
    "odd\\2a\\28x\\29\\5cy@example.com",
  ];
  for (const login of hostile) {
    assert.deepEqual(await authLogin(d.opts, "imap", login, "secret"), { kind: "fail" }, login);
    assert.deepEqual(await authLogin(d.opts, "imap", login, "oddpw"), { kind: "fail" }, login);
  }
  // the metacharacters are matched literally: this real address logs in
  const odd = await authLogin(d.opts, "imap", "odd*(x)\\y@example.com", "oddpw");
  assert.equal(odd.kind, "ok");
  assert.equal(odd.kind === "ok" && odd.record.address, "odd*(x)\\y@example.com");
  await d.waitLog(/\(mail=odd\\2a\\28x\\29\\5cy@example\.com\)/);
});
