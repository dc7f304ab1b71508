// TLS settings for the connection to the LDAP server, from the same places OpenLDAP's client
// library takes them (ldap.conf(5)): the environment variables LDAPTLS_CACERT, LDAPTLS_CACERTDIR,
// LDAPTLS_CERT, LDAPTLS_KEY, LDAPTLS_REQCERT, LDAPTLS_PROTOCOL_MIN (here also read from
// authdaemonrc, which Courier's startup script exports), else the TLS_* lines of ldap.conf
// ($LDAPCONF, else /etc/ldap/ldap.conf; skipped when LDAPNOINIT is set).

import { readdirSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import type { ConnectionOptions } from "node:tls";

export type Lookup = (name: string) => string | undefined;

function ldapConf(env: Lookup): Map<string, string> {
  const out = new Map<string, string>();
  if (env("LDAPNOINIT") !== undefined) return out;
  let text = "";
  try {
    text = readFileSync(env("LDAPCONF") || "/etc/ldap/ldap.conf", "utf8");
  } catch {
    return out;
  }
  for (const line of text.split("\n")) {
    const m = /^\s*([A-Za-z_]+)\s+(.*?)\s*$/.exec(line);
    if (m && !line.trimStart().startsWith("#")) out.set(m[1].toUpperCase(), m[2]);
  }
  return out;
}

const PROTOCOL_MIN: Record<string, ConnectionOptions["minVersion"]> = {
  "3.1": "TLSv1",
  "3.2": "TLSv1.1",
  "3.3": "TLSv1.2",
  "3.4": "TLSv1.3",
};

function readCaDir(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    try {
      const text = readFileSync(join(dir, name), "utf8");
      if (text.includes("-----BEGIN CERTIFICATE-----")) out.push(text);
    } catch {}
  }
  return out;
}

/** TLS options for connecting to `host`; throws a message naming the setting on unreadable files. */
export function ldapTlsOptions(env: Lookup, host: string): ConnectionOptions {
  const conf = ldapConf(env);
  const get = (name: string) => env(`LDAPTLS_${name}`) ?? conf.get(`TLS_${name}`);
  const file = (name: string) => {
    const path = get(name);
    if (!path) return undefined;
    try {
      return readFileSync(path);
    } catch (e) {
      throw new Error(`LDAPTLS_${name}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
  };
  const opts: ConnectionOptions = { host };
  if (!isIP(host)) opts.servername = host;
  const ca: (string | Buffer)[] = [];
  const cafile = file("CACERT");
  if (cafile) ca.push(cafile);
  const cadir = get("CACERTDIR");
  if (cadir) ca.push(...readCaDir(cadir));
  if (ca.length) opts.ca = ca;
  const cert = file("CERT");
  const key = file("KEY");
  if (cert) opts.cert = cert;
  if (key) opts.key = key;
  const reqcert = (get("REQCERT") ?? "demand").toLowerCase();
  if (reqcert === "never" || reqcert === "allow") opts.rejectUnauthorized = false;
  const min = get("PROTOCOL_MIN");
  if (min && PROTOCOL_MIN[min]) opts.minVersion = PROTOCOL_MIN[min];
  return opts;
}
