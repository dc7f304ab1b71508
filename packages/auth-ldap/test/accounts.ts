// The directory the tests run against, as LDIF for slapadd.

import { createHash } from "node:crypto";
import { SUFFIX } from "./slapd.js";

export const PEOPLE = `ou=people,${SUFFIX}`;
export const EMAILMAP = `ou=emailmap,${SUFFIX}`;

/** {SSHA} with a fixed 4-byte salt (Courier verifies only 4-byte salts). */
export function ssha(password: string, salt = Buffer.from("20b72127", "hex")): string {
  const d = createHash("sha1").update(password).update(salt).digest();
  return `{SSHA}${Buffer.concat([d, salt]).toString("base64")}`;
}

export interface TestAccount {
  uid: string;
  mail: string[];
  home: string;
  uidNumber?: number;
  gidNumber?: number;
  mailbox?: string;
  quota?: string;
  userPassword?: string;
  clearPassword?: string;
  cn?: string;
  extra?: Record<string, string>;
}

function b64IfNeeded(attr: string, value: string): string {
  return /^[\x21-\x39\x3b\x3d-\x7e][\x20-\x7e]*$/.test(value) && !value.endsWith(" ")
    ? `${attr}: ${value}`
    : `${attr}:: ${Buffer.from(value).toString("base64")}`;
}

export function accountLdif(a: TestAccount): string {
  const lines = [
    `dn: uid=${a.uid},${PEOPLE}`,
    "objectClass: inetOrgPerson",
    "objectClass: CourierMailAccount",
    `uid: ${a.uid}`,
    `cn: ${a.cn ?? a.uid}`,
    `sn: ${a.uid}`,
    ...a.mail.map((m) => b64IfNeeded("mail", m)),
    b64IfNeeded("homeDirectory", a.home),
  ];
  if (a.uidNumber !== undefined) lines.push(`uidNumber: ${a.uidNumber}`);
  if (a.gidNumber !== undefined) lines.push(`gidNumber: ${a.gidNumber}`);
  if (a.mailbox) lines.push(`mailbox: ${a.mailbox}`);
  if (a.quota) lines.push(`quota: ${a.quota}`);
  if (a.userPassword) lines.push(b64IfNeeded("userPassword", a.userPassword));
  if (a.clearPassword) lines.push(b64IfNeeded("clearPassword", a.clearPassword));
  for (const [k, v] of Object.entries(a.extra ?? {})) lines.push(b64IfNeeded(k, v));
  return `${lines.join("\n")}\n\n`;
}

export function baseLdif(): string {
  return [
    `dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n`,
    `dn: ${PEOPLE}\nobjectClass: organizationalUnit\nou: people\n`,
    `dn: ${EMAILMAP}\nobjectClass: organizationalUnit\nou: emailmap\n`,
    "",
  ].join("\n");
}

export const JOHN: TestAccount = {
  uid: "john",
  cn: "John Doe",
  mail: ["john@example.com", "jd@example.com"],
  home: "/home/vmail/john",
  uidNumber: 1012,
  gidNumber: 1012,
  mailbox: "/home/vmail/john/Maildir",
  quota: "10000000S",
  userPassword: "{SSHA}gbw06AY1HYz6qPY/oHe1S0prg1UgtyEn", // "secret"
  extra: { disableimap: "0", sharedgroup: "domain1", defaultDelivery: "| /usr/bin/maildrop" },
};

export const ALICE: TestAccount = {
  uid: "alice",
  mail: ["alice@example.com"],
  home: "alice",
  uidNumber: 1013,
  gidNumber: 1013,
  clearPassword: "alicepw",
  userPassword: ssha("alicepw"),
};

/** A real address full of filter metacharacters: it must match itself and nothing else. */
export const ODD: TestAccount = {
  uid: "odd",
  mail: ["odd*(x)\\y@example.com"],
  home: "/home/vmail/odd",
  uidNumber: 1014,
  gidNumber: 1014,
  userPassword: ssha("oddpw"),
};

export const ZERO: TestAccount = {
  uid: "zero",
  mail: ["zero@example.com"],
  home: "/root",
  uidNumber: 0,
  gidNumber: 0,
  userPassword: ssha("zeropw"),
};

export const DUP1: TestAccount = {
  uid: "dup1",
  mail: ["dup@example.com"],
  home: "/d1",
  uidNumber: 2001,
  gidNumber: 2001,
  userPassword: ssha("duppw"),
};
export const DUP2: TestAccount = {
  uid: "dup2",
  mail: ["dup@example.com"],
  home: "/d2",
  uidNumber: 2002,
  gidNumber: 2002,
  userPassword: ssha("duppw"),
};

/** LDAP_EMAILMAP example: jdoe@realm.example is the handle john@example.com. */
export const EMAILMAP_LDIF = `dn: uid=jdoe,${EMAILMAP}
objectClass: account
objectClass: CourierEmailMap
uid: jdoe
realm: realm.example
handle: john@example.com

`;

export function testDirectory(): string {
  return baseLdif() + [JOHN, ALICE, ODD, ZERO, DUP1, DUP2].map(accountLdif).join("") + EMAILMAP_LDIF;
}
