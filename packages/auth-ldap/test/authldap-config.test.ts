// authldaprc parsing and checking, filters and escaping, the password-change hash: no server.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { checkPassword } from "@courier-imap/authlib";
import { parseAuthRc } from "@courier-imap/config";
import { buildConfig, parseAuxOptions } from "../src/config.js";
import { accountFilter, emailmapFilter, enumerateFilter, escapeFilterValue } from "../src/filter.js";
import { newPasswordHash } from "../src/passwordhash.js";

const MARKER = "##NAME: MARKER:0\n";

test("auth*rc format: first occurrence wins, values trimmed, continuation, comments, marker required", () => {
  const rc = parseAuthRc(
    "# comment\n  # indented comment\nLDAP_URI   ldap://a,  \\\n   ldap://b  \nLDAP_URI ldap://c\n" +
      'LDAP_FILTER\t"(x=1)"\nEMPTY\n' +
      MARKER,
    "rc",
  );
  assert.equal(rc.get("LDAP_URI"), "ldap://a,   ldap://b");
  assert.equal(rc.get("LDAP_FILTER"), '"(x=1)"');
  assert.equal(rc.get("EMPTY"), "");
  assert.throws(
    () => parseAuthRc("LDAP_URI x\n", "/etc/courier/authldaprc"),
    /marker line not found in \/etc\/courier\/authldaprc/,
  );
});

const base = (extra: Record<string, string> = {}) =>
  new Map(Object.entries({ LDAP_URI: "ldap://h", LDAP_BASEDN: "dc=x", ...extra }));

test("defaults and errors of authldaprc", () => {
  const c = buildConfig(base());
  assert.equal(c.mailAttr, "mail");
  assert.equal(c.homeAttr, "homeDir");
  assert.equal(c.timeoutSec, 5);
  assert.equal(c.deref, "never");
  assert.equal(c.emailmapBaseDn, "dc=x");
  assert.equal(c.emailmapAttr, "handle");
  assert.deepEqual(c.uris, ["ldap://h"]);
  assert.deepEqual(buildConfig(base({ LDAP_URI: "ldaps://a, ldap://b ldapi://%2Frun%2Fslapd" })).uris, [
    "ldaps://a",
    "ldap://b",
    "ldapi://%2Frun%2Fslapd",
  ]);
  assert.equal(buildConfig(base({ LDAP_DEREF: "Always" })).deref, "always");
  assert.equal(buildConfig(base({ LDAP_FILTER: "objectClass=x" })).filter, "(objectClass=x)");
  assert.equal(buildConfig(base({ LDAP_GLOB_UID: "0", LDAP_GLOB_GID: "root" })).globGid, 0);
  assert.throws(() => buildConfig(new Map([["LDAP_BASEDN", "dc=x"]])), /LDAP_URI not set/);
  assert.throws(() => buildConfig(base({ LDAP_BASEDN: "" })), /LDAP_BASEDN not set/);
  assert.throws(() => buildConfig(base({ LDAP_URI: "http://h" })), /not an ldap/);
  assert.throws(() => buildConfig(base({ LDAP_INITBIND: "1" })), /LDAP_INITBIND is 1 but/);
  assert.throws(() => buildConfig(base({ LDAP_DEREF: "maybe" })), /LDAP_DEREF: maybe/);
  assert.throws(() => buildConfig(base({ LDAP_PROTOCOL_VERSION: "4" })), /LDAP_PROTOCOL_VERSION 4/);
  assert.throws(
    () => buildConfig(base({ LDAP_GLOB_UID: "no-such-user-here" })),
    /LDAP_GLOB_UID: unknown user/,
  );
  assert.throws(() => buildConfig(base({ LDAP_FILTER: "(&(a=b)(c=d)))(" })), /LDAP_FILTER: bad LDAP filter/);
});

test("LDAP_AUXOPTIONS: attr=option pairs; a missing option name is the attribute's name", () => {
  assert.deepEqual(parseAuxOptions("shared=sharedgroup,disableimap=disableimap,quota"), [
    { attr: "shared", option: "sharedgroup" },
    { attr: "disableimap", option: "disableimap" },
    { attr: "quota", option: "quota" },
  ]);
  assert.deepEqual(parseAuxOptions(undefined), []);
});

test("RFC 4515 escaping and the filters built from logins", () => {
  assert.equal(escapeFilterValue("a*b(c)d\\e\0f"), "a\\2ab\\28c\\29d\\5ce\\00f");
  assert.equal(escapeFilterValue("jörg@example.com"), "jörg@example.com");
  const c = buildConfig(base({ LDAP_DOMAIN: "example.com" }));
  assert.equal(accountFilter(c, "mail", "*)(uid=*"), "(mail=\\2a\\29\\28uid=\\2a@example.com)");
  assert.equal(accountFilter(c, "mail", "a@b"), "(mail=a@b)");
  const f = buildConfig(base({ LDAP_FILTER: "(objectClass=CourierMailAccount)" }));
  assert.equal(accountFilter(f, "mail", "x*"), "(&(objectClass=CourierMailAccount)(mail=x\\2a))");
  assert.equal(
    emailmapFilter("(&(userid=@user@)(realm=@realm@)@junk@)", "a*@b)c@d"),
    "(&(userid=a\\2a)(realm=b\\29c@d))",
  );
  assert.equal(enumerateFilter(c), "(mail=*)");
  assert.equal(enumerateFilter(f), "(objectClass=CourierMailAccount)");
});

test("password change hash keeps the scheme of the old value (userdb.md §8, $6$/$y$ kept)", async () => {
  const cases: [string | undefined, RegExp][] = [
    [undefined, /^\{SHA512\}/],
    ["$1$abc$def", /^\$1\$/],
    ["{md5}xxx", /^\{MD5\}/],
    ["{MD5RAW}xxx", /^\{MD5RAW\}[0-9a-f]{32}$/],
    ["{SHA}xxx", /^\{SHA\}/],
    ["{SSHA}xxx", /^\{SSHA\}/],
    ["{SHA256}x", /^\{SHA256\}/],
    ["{SHA512}x", /^\{SHA512\}/],
    ["iDY.OKt0m0Ins", /^\{SSHA\}/],
    ["{CRYPT}iDY.OKt0m0Ins", /^\{SSHA\}/],
    ["$6$salt$hash", /^\$6\$/],
    ["{CRYPT}$6$salt$hash", /^\{CRYPT\}\$6\$/],
  ];
  for (const [hint, want] of cases) {
    const h = await newPasswordHash("n3w pass", hint);
    assert.match(h, want, String(hint));
    assert.equal(await checkPassword("n3w pass", h), true, h);
  }
});

test("the shipped config/authldaprc.dist parses into a usable configuration", () => {
  const dist = new URL("../../../../config/authldaprc.dist", import.meta.url);
  const c = buildConfig(parseAuthRc(readFileSync(dist, "utf8"), "authldaprc.dist"));
  assert.deepEqual(c.uris, ["ldaps://ldap.example.com", "ldaps://backup.example.com"]);
  assert.equal(c.initBind, true);
  assert.equal(c.homeAttr, "homeDirectory");
  assert.equal(c.cryptPwAttr, "userPassword");
  assert.equal(c.clearPwAttr, "clearPassword");
  assert.equal(c.authBind, false);
});
