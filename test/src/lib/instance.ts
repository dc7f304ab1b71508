// Builds and runs a complete server instance in a directory: config files made from
// config/*.dist, a userdb account, a maildir with messages, and authdaemond plus
// couriertcpd/imapd as real processes. The demo (scripts/demo.mjs) and the end-to-end
// tests both use it, so the demo is exactly what the tests exercise.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { hostname } from "node:os";
import { join } from "node:path";
import { loadConfigFiles } from "@courier-imap/config";
import { listening } from "./net.js";

export const ROOT = join(import.meta.dirname, "..", "..", "..");
export const bin = (name: string) => join(ROOT, "bin", name);

/** What demo.json holds. */
export interface InstanceInfo {
  imap: number;
  /** pop3d (STLS offered with the instance certificate); absent when not configured. */
  pop3?: number;
  /** pop3d-ssl, implicit TLS with the instance certificate; absent when not configured. */
  pop3s?: number;
  /** imapd-ssl, implicit TLS (0: not run). */
  imaps: number;
  /** The self-signed certificate (PEM) every TLS service uses; a client's CA file. */
  certificate: string;
  user: string;
  password: string;
  maildir: string;
  userdb: string;
  authsocket: string;
  config: string;
  log: string;
}

export interface InstanceOptions {
  dir: string;
  imapPort: number;
  /** imapd-ssl's port; without one, only the plain service (with STARTTLS) runs. */
  imapsPort?: number;
  /** Also run pop3d on this port. */
  pop3Port?: number;
  /** Also run pop3d-ssl (implicit TLS) on this port. */
  pop3sPort?: number;
  /** RSA key size of the certificate made at first start (default: imapd.cnf's, 4096). */
  certBits?: number;
  user?: string;
  /** Owner of the account's mail; the worker drops to it after login. Default: our own. */
  uid?: number;
  gid?: number;
  /** Extra or changed settings for the imapd, imapd-ssl, pop3d, pop3d-ssl and authdaemonrc files. */
  imapd?: Record<string, string>;
  imapdSsl?: Record<string, string>;
  pop3d?: Record<string, string>;
  pop3dSsl?: Record<string, string>;
  authdaemonrc?: Record<string, string>;
}

export function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { input, encoding: "utf8" });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Writes `config/<name>` from the shipped .dist file with `settings` replaced. */
export function configure(dir: string, name: string, settings: Record<string, string>): void {
  let text = readFileSync(join(ROOT, "config", `${name}.dist`), "utf8");
  for (const [key, value] of Object.entries(settings)) {
    const line = `${key}=${value}`;
    const re = new RegExp(`^${key}=.*$`, "m");
    text = re.test(text) ? text.replace(re, () => line) : `${text}\n${line}\n`;
  }
  mkdirSync(join(dir, "config"), { recursive: true });
  writeFileSync(join(dir, "config", name), text);
}

/** Adds an account to the text userdb with the instance's own tools and recompiles it. */
export function addAccount(
  info: Pick<InstanceInfo, "userdb">,
  user: string,
  password: string,
  home: string,
  uid = process.getuid!(),
  gid = process.getgid!(),
): void {
  run(bin("userdb"), [
    "-f",
    info.userdb,
    user,
    "set",
    `uid=${uid}`,
    `gid=${gid}`,
    `home=${home}`,
    "mail=Maildir",
  ]);
  const hash = run(bin("userdbpw"), [], `${password}\n`).trim();
  run(bin("userdb"), ["-f", info.userdb, user, "set", "systempw"], `${hash}\n`);
  run(bin("makeuserdb"), ["-f", info.userdb]);
}

export function makeMaildir(path: string): void {
  for (const sub of ["cur", "new", "tmp"]) mkdirSync(join(path, sub), { recursive: true, mode: 0o700 });
}

let seq = 0;
/** Drops a message into new/ the way a delivery agent does; returns its text. */
export function deliver(
  maildir: string,
  to: string,
  subject: string,
  body: string,
  date = new Date(),
): string {
  const text = [
    "From: Courier-IMAP demo <postmaster@example.com>",
    `To: <${to}>`,
    `Subject: ${subject}`,
    `Date: ${date.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <demo.${date.getTime()}.${seq}@example.com>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    body,
    "",
  ].join("\n");
  const now = Date.now();
  const size = Buffer.byteLength(text);
  // Microseconds zero-padded (Courier does not pad) so that messages delivered within one
  // second sort, and so get UIDs and POP3 numbers, in delivery order.
  const usec = String((now % 1000) * 1000).padStart(6, "0");
  const name = `${Math.floor(now / 1000)}.M${usec}P${process.pid}_${String(seq++).padStart(6, "0")}.${hostname()},S=${size}`;
  const tmp = join(maildir, "tmp", name);
  writeFileSync(tmp, text, { mode: 0o600 });
  utimesSync(tmp, date, date);
  renameSync(tmp, join(maildir, "new", name));
  return text;
}

/** The first start makes the certificate with mkimapdcert, from imapd.cnf beside it. */
function makeCertificate(info: InstanceInfo, bits?: number): void {
  if (existsSync(info.certificate)) return;
  let cnf = readFileSync(join(ROOT, "config", "imapd.cnf"), "utf8");
  if (bits) cnf = cnf.replace(/^default_bits\s*=.*$/m, `default_bits = ${bits}`);
  writeFileSync(join(info.config, "imapd.cnf"), cnf);
  run(bin("mkimapdcert"), [info.certificate]);
}

/** Creates the instance's files; an existing instance in `dir` is reused as it is. */
export function createInstance(o: InstanceOptions): InstanceInfo {
  // The account password outlives runs of the demo, which rewrites demo.json each start.
  const stateFile = join(o.dir, "instance.json");
  const user = o.user ?? "demo@example.com";
  const home = join(o.dir, "mail", user.split("@")[0]);
  const info: InstanceInfo = {
    imap: o.imapPort,
    ...(o.pop3Port ? { pop3: o.pop3Port } : {}),
    ...(o.pop3sPort ? { pop3s: o.pop3sPort } : {}),
    imaps: o.imapsPort ?? 0,
    certificate: join(o.dir, "config", "imapd.pem"),
    user,
    password: existsSync(stateFile)
      ? JSON.parse(readFileSync(stateFile, "utf8")).password
      : randomBytes(12)
          .toString("base64")
          .replace(/[^A-Za-z0-9]/g, "")
          .slice(0, 12),
    maildir: join(home, "Maildir"),
    userdb: join(o.dir, "userdb"),
    authsocket: join(o.dir, "run", "authdaemon", "socket"),
    config: join(o.dir, "config"),
    log: join(o.dir, "demo.log"),
  };
  configure(o.dir, "authdaemonrc", {
    authmodulelist: '"authuserdb"',
    daemons: "2",
    authdaemonvar: join(o.dir, "run", "authdaemon"),
    USERDB: info.userdb,
    ...o.authdaemonrc,
  });
  configure(o.dir, "imapd", {
    ADDRESS: "127.0.0.1",
    PORT: String(o.imapPort),
    PIDFILE: join(o.dir, "run", "imapd.pid"),
    AUTHDAEMONSOCKET: info.authsocket,
    ...o.imapd,
  });
  configure(o.dir, "imapd-ssl", {
    SSLADDRESS: "127.0.0.1",
    SSLPORT: String(o.imapsPort ?? 993),
    SSLPIDFILE: join(o.dir, "run", "imapd-ssl.pid"),
    TLS_CERTFILE: info.certificate,
    TLS_DHPARAMS: join(o.dir, "config", "dhparams.pem"),
    TLS_CACHEFILE: join(o.dir, "run", "couriersslimapcache"),
    ...o.imapdSsl,
  });
  if (o.pop3Port || o.pop3sPort) {
    configure(o.dir, "pop3d", {
      ADDRESS: "127.0.0.1",
      PORT: String(o.pop3Port ?? 110),
      PIDFILE: join(o.dir, "run", "pop3d.pid"),
      AUTHDAEMONSOCKET: info.authsocket,
      ...o.pop3d,
    });
    configure(o.dir, "pop3d-ssl", {
      SSLADDRESS: "127.0.0.1",
      SSLPORT: String(o.pop3sPort ?? 995),
      SSLPIDFILE: join(o.dir, "run", "pop3d-ssl.pid"),
      TLS_CERTFILE: info.certificate,
      TLS_DHPARAMS: join(o.dir, "config", "dhparams.pem"),
      TLS_CACHEFILE: join(o.dir, "run", "couriersslpop3cache"),
      ...o.pop3dSsl,
    });
  }
  // couriertcpd checks TLS_CACHEFILE's directory at start, maybe before authdaemond makes run/
  mkdirSync(join(o.dir, "run"), { recursive: true });
  makeCertificate(info, o.certBits);
  if (!existsSync(stateFile))
    writeFileSync(stateFile, `${JSON.stringify({ password: info.password })}\n`, { mode: 0o600 });
  if (!existsSync(info.userdb)) {
    writeFileSync(info.userdb, "", { mode: 0o600 });
    makeMaildir(info.maildir);
    const uid = o.uid ?? process.getuid!();
    const gid = o.gid ?? process.getgid!();
    addAccount(info, user, info.password, home, uid, gid);
    const day = 86_400_000;
    const now = Date.now();
    deliver(
      info.maildir,
      user,
      "Welcome to Courier-IMAP (TypeScript)",
      "This is your demo mailbox.",
      new Date(now - 2 * day),
    );
    deliver(info.maildir, user, "Your account", `You are logged in as ${user}.`, new Date(now - day));
    deliver(
      info.maildir,
      user,
      "Adding accounts",
      "Use bin/userdb, bin/userdbpw and bin/makeuserdb.",
      new Date(now),
    );
    if (uid !== process.getuid!() || gid !== process.getgid!()) {
      // The worker runs as the account after login, so it must be able to reach its home.
      chmodSync(o.dir, 0o711);
      chmodSync(join(o.dir, "mail"), 0o711);
      run("chown", ["-R", `${uid}:${gid}`, home]);
    }
  }
  return info;
}

export interface Running {
  authdaemond: ChildProcess;
  /** couriertcpd of the plain IMAP service (STARTTLS). */
  tcpd: ChildProcess;
  /** couriertcpd of imapd-ssl, when it runs. */
  tcpdTls?: ChildProcess;
  /** couriertcpd of pop3d, when the instance has a POP3 port. */
  tcpdPop3?: ChildProcess;
  /** couriertcpd of pop3d-ssl, when the instance has a POP3S port. */
  tcpdPop3s?: ChildProcess;
  /** Everything the processes wrote to stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

type Config = ReturnType<typeof loadConfigFiles>;

/** couriertcpd for one service, with the options the rc script derives from its config. */
function startTcpd(
  cfg: Config,
  base: Record<string, string>,
  portVar: string,
  addressVar: string,
  overrides: Record<string, string>,
  program = "imapd",
): ChildProcess {
  const tcpdOpts = (cfg.get("TCPDOPTS") ?? "").split(/\s+/).filter(Boolean);
  const prespawn = cfg.get("PRESPAWN");
  if (prespawn) tcpdOpts.push(`-prespawn=${prespawn}`);
  return spawn(
    bin("couriertcpd"),
    [
      `-address=${cfg.get(addressVar) ?? "0"}`,
      `-maxprocs=${cfg.get("MAXDAEMONS") ?? "40"}`,
      `-maxperip=${cfg.get("MAXPERIP") ?? "4"}`,
      ...tcpdOpts,
      cfg.get(portVar) ?? "143",
      bin(program),
      cfg.get("MAILDIRPATH") ?? "Maildir",
    ],
    { env: { ...base, ...cfg.toEnv(), ...overrides }, stdio: ["ignore", "ignore", "pipe"] },
  );
}

function accepts(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(socketPath, () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
}

/** Starts authdaemond and couriertcpd as the rc scripts would, and waits until both serve. */
export async function startInstance(
  info: InstanceInfo,
  onLine?: (who: string, line: string) => void,
): Promise<Running> {
  let log = "";
  const base = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  const collect = (who: string, child: ChildProcess) => {
    let partial = "";
    child.stderr!.on("data", (d: Buffer) => {
      partial += d.toString();
      const lines = partial.split("\n");
      partial = lines.pop()!;
      for (const l of lines) {
        log += `${who}: ${l}\n`;
        onLine?.(who, l);
      }
    });
  };
  const authrc = join(info.config, "authdaemonrc");
  const authdaemond = spawn(bin("authdaemond"), [], {
    env: { ...base, ...loadConfigFiles([authrc]).toEnv(), AUTHDAEMONRC: authrc },
    stdio: ["ignore", "ignore", "pipe"],
  });
  collect("authdaemond", authdaemond);
  const imapd = join(info.config, "imapd");
  const ssl = join(info.config, "imapd-ssl");
  // As Courier's rc scripts: the plain service sources imapd-ssl then imapd and offers
  // STARTTLS per IMAPDSTARTTLS; imapd-ssl sources imapd then imapd-ssl and sets IMAP_TLS=1.
  const plainCfg = loadConfigFiles([ssl, imapd]);
  const plain = startTcpd(plainCfg, base, "PORT", "ADDRESS", {
    IMAP_STARTTLS: plainCfg.get("IMAPDSTARTTLS") ?? "",
    TLS_PROTOCOL: plainCfg.get("TLS_STARTTLS_PROTOCOL") ?? "",
  });
  collect("imapd", plain);
  const tls = info.imaps
    ? startTcpd(loadConfigFiles([imapd, ssl]), base, "SSLPORT", "SSLADDRESS", { IMAP_TLS: "1" })
    : undefined;
  if (tls) collect("imapd-ssl", tls);
  const children = [authdaemond, plain, ...(tls ? [tls] : [])];
  // As pop3d.rc: pop3d-ssl then pop3d, STLS per POP3_STARTTLS (set in pop3d-ssl itself);
  // pop3d-ssl.rc: pop3d then pop3d-ssl with POP3_TLS=1 POP3_STARTTLS=NO POP3_TLS_REQUIRED=0.
  const pop3dFile = join(info.config, "pop3d");
  const pop3dSslFile = join(info.config, "pop3d-ssl");
  let pop3: ChildProcess | undefined;
  if (info.pop3) {
    const cfg = loadConfigFiles([pop3dSslFile, pop3dFile]);
    pop3 = startTcpd(
      cfg,
      base,
      "PORT",
      "ADDRESS",
      { TLS_PROTOCOL: cfg.get("TLS_STARTTLS_PROTOCOL") ?? "" },
      "pop3d",
    );
    collect("pop3d", pop3);
    children.push(pop3);
  }
  let pop3s: ChildProcess | undefined;
  if (info.pop3s) {
    pop3s = startTcpd(
      loadConfigFiles([pop3dFile, pop3dSslFile]),
      base,
      "SSLPORT",
      "SSLADDRESS",
      { POP3_TLS: "1", POP3_STARTTLS: "NO", POP3_TLS_REQUIRED: "0" },
      "pop3d",
    );
    collect("pop3d-ssl", pop3s);
    children.push(pop3s);
  }
  const stop = async () => {
    const exited = children.map(
      (c) =>
        new Promise<void>((r) =>
          c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", () => r()),
        ),
    );
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(exited);
  };
  for (let i = 0; ; i++) {
    // A socket file left by an earlier run exists before the new daemon binds it.
    const pop3Up = (!info.pop3 || listening(info.pop3)) && (!info.pop3s || listening(info.pop3s));
    if (listening(info.imap) && listening(info.imaps) && pop3Up && (await accepts(info.authsocket))) break;
    if (i > 300 || children.some((c) => c.exitCode !== null)) {
      await stop();
      throw new Error(`instance did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { authdaemond, tcpd: plain, tcpdTls: tls, tcpdPop3: pop3, tcpdPop3s: pop3s, log: () => log, stop };
}
