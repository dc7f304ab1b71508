// A private OpenLDAP slapd for the tests and the benchmark: a generated slapd.conf in a temp
// directory (mdb backend, core/cosine/nis/inetorgperson plus the small Courier schema below),
// data loaded with slapadd before the start, ldap:// and ldaps:// on free ports of 127.0.0.1.
// Never touches /etc/ldap's live configuration.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "@courier-imap/testkit";

export const SLAPD = "/usr/sbin/slapd";
export const SLAPADD = "/usr/sbin/slapadd";
export const SUFFIX = "dc=example,dc=com";
export const ADMIN_DN = `cn=admin,${SUFFIX}`;
export const ADMIN_PW = "adminsecret";

/** Why slapd-based tests cannot run here, or undefined. */
export { freePort };

export function slapdMissing(): string | undefined {
  if (!existsSync(SLAPD) || !existsSync(SLAPADD))
    return "OpenLDAP slapd is not installed (Debian package slapd)";
  if (spawnSync("openssl", ["version"]).status !== 0) return "openssl is not installed";
  return undefined;
}

// Courier's authldap.schema, reduced to what the tests use (same OIDs and names).
const COURIER_SCHEMA = `
attributetype ( 1.3.6.1.4.1.10018.1.1.1 NAME 'mailbox' EQUALITY caseExactIA5Match
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.10018.1.1.2 NAME 'quota' EQUALITY caseExactIA5Match
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.10018.1.1.3 NAME 'clearPassword' EQUALITY octetStringMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.40{128} )
attributetype ( 1.3.6.1.4.1.10018.1.1.6 NAME 'disableimap' EQUALITY integerMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.10018.1.1.7 NAME 'disablepop3' EQUALITY integerMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.10018.1.1.9 NAME 'sharedgroup' EQUALITY caseExactIA5Match
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.10018.1.1.14 NAME 'defaultDelivery' EQUALITY caseExactIA5Match
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 )
attributetype ( 1.3.6.1.4.1.10018.1.1.20 NAME 'handle' EQUALITY caseIgnoreIA5Match
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.10018.1.1.21 NAME 'realm' EQUALITY caseIgnoreIA5Match
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.10018.1.2.1 NAME 'CourierMailAccount' SUP top AUXILIARY
  MUST ( mail $ homeDirectory )
  MAY ( uidNumber $ gidNumber $ mailbox $ quota $ userPassword $ clearPassword $
        defaultDelivery $ disableimap $ disablepop3 $ sharedgroup ) )
objectclass ( 1.3.6.1.4.1.10018.1.2.3 NAME 'CourierEmailMap' SUP top AUXILIARY
  MUST ( realm $ handle ) )
`;

function run(cmd: string, args: string[], input?: string): void {
  const r = spawnSync(cmd, args, { input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr || r.stdout}`);
}

export interface TestCa {
  caCert: string;
  serverCert: string;
  serverKey: string;
}

/** A self-signed CA and a server certificate for 127.0.0.1 / localhost, made with openssl. */
export function makeCa(dir: string): TestCa {
  const p = (n: string) => join(dir, n);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  run("openssl", [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    p("ca.key"),
    "-out",
    p("ca.crt"),
    "-days",
    "3",
    "-subj",
    "/CN=authldap test CA",
  ]);
  run("openssl", [
    "req",
    ...ec,
    "-keyout",
    p("server.key"),
    "-out",
    p("server.csr"),
    "-subj",
    "/CN=localhost",
  ]);
  writeFileSync(p("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  run("openssl", [
    "x509",
    "-req",
    "-in",
    p("server.csr"),
    "-CA",
    p("ca.crt"),
    "-CAkey",
    p("ca.key"),
    "-CAcreateserial",
    "-out",
    p("server.crt"),
    "-days",
    "3",
    "-extfile",
    p("ext.cnf"),
  ]);
  return { caCert: p("ca.crt"), serverCert: p("server.crt"), serverKey: p("server.key") };
}

export class Slapd {
  readonly url: string;
  readonly ldapsUrl: string;
  private proc: ChildProcess | undefined;
  private log = "";
  private readonly conf: string;

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly ldapsPort: number,
  ) {
    this.url = `ldap://127.0.0.1:${port}`;
    this.ldapsUrl = `ldaps://127.0.0.1:${ldapsPort}`;
    this.conf = join(dir, "slapd.conf");
  }

  /** Writes the configuration, loads `ldif` with slapadd and starts the server. */
  static async create(dir: string, ldif: string, ca: TestCa): Promise<Slapd> {
    const s = new Slapd(dir, await freePort(), await freePort());
    mkdirSync(join(dir, "db"), { recursive: true });
    writeFileSync(join(dir, "courier.schema"), COURIER_SCHEMA);
    writeFileSync(
      s.conf,
      [
        ...["core", "cosine", "nis", "inetorgperson"].map((n) => `include /etc/ldap/schema/${n}.schema`),
        `include ${join(dir, "courier.schema")}`,
        "modulepath /usr/lib/ldap",
        "moduleload back_mdb",
        `pidfile ${join(dir, "slapd.pid")}`,
        `argsfile ${join(dir, "slapd.args")}`,
        `TLSCACertificateFile ${ca.caCert}`,
        `TLSCertificateFile ${ca.serverCert}`,
        `TLSCertificateKeyFile ${ca.serverKey}`,
        "sizelimit 500",
        "database mdb",
        "maxsize 1073741824",
        `suffix "${SUFFIX}"`,
        `rootdn "${ADMIN_DN}"`,
        `rootpw ${ADMIN_PW}`,
        `directory ${join(dir, "db")}`,
        "index objectClass eq",
        "index mail,uid,realm eq",
        // Users may change their own passwords (LDAP_AUTHBIND); nobody else reads them.
        "access to attrs=userPassword,clearPassword by self write by anonymous auth by * none",
        "access to * by * read",
        "",
      ].join("\n"),
    );
    const ldifFile = join(dir, "data.ldif");
    writeFileSync(ldifFile, ldif);
    run(SLAPADD, ["-q", "-f", s.conf, "-l", ldifFile]);
    await s.start();
    return s;
  }

  get stderr(): string {
    return this.log;
  }

  async start(): Promise<void> {
    const urls = `${this.url}/ ${this.ldapsUrl}/`;
    this.proc = spawn(SLAPD, ["-f", this.conf, "-h", urls, "-d", "0"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.proc.stderr?.on("data", (d) => {
      this.log += d;
    });
    const end = Date.now() + 15000;
    while (Date.now() < end) {
      if (this.proc.exitCode !== null) throw new Error(`slapd exited at start:\n${this.log}`);
      if (await canConnect(this.port)) return;
      await sleep(50);
    }
    throw new Error(`slapd did not start listening:\n${this.log}`);
  }

  /** Stops the server (SIGTERM, SIGKILL after 5 s) and waits until it has exited. */
  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once("exit", r));
    p.kill("SIGTERM");
    const timer = setTimeout(() => p.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }

  /** SIGSTOP / SIGCONT: a server that accepts connections but never answers. */
  pause(stopped: boolean): void {
    this.proc?.kill(stopped ? "SIGSTOP" : "SIGCONT");
    // kill() only queues the signal: on a busy machine slapd could still answer the next
    // request. Wait (up to 2 s) until the kernel shows the process stopped (or running again).
    const pid = this.proc?.pid;
    if (!pid) return;
    const until = Date.now() + 2000;
    while (Date.now() < until) {
      let state = "";
      try {
        state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "";
      } catch {
        return;
      }
      if ((state === "T") === stopped) return;
    }
  }

  /** For `finally`: never leaves a slapd behind, even when stop() was not reached. */
  kill(): void {
    if (this.proc && this.proc.exitCode === null) this.proc.kill("SIGKILL");
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
