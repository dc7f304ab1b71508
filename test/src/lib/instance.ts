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
  user?: string;
  /** Owner of the account's mail; the worker drops to it after login. Default: our own. */
  uid?: number;
  gid?: number;
  /** Extra or changed settings for the imapd and authdaemonrc files. */
  imapd?: Record<string, string>;
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
  const name = `${Math.floor(now / 1000)}.M${(now % 1000) * 1000}P${process.pid}_${seq++}.${hostname()},S=${size}`;
  const tmp = join(maildir, "tmp", name);
  writeFileSync(tmp, text, { mode: 0o600 });
  utimesSync(tmp, date, date);
  renameSync(tmp, join(maildir, "new", name));
  return text;
}

/** Creates the instance's files; an existing instance in `dir` is reused as it is. */
export function createInstance(o: InstanceOptions): InstanceInfo {
  // The account password outlives runs of the demo, which rewrites demo.json each start.
  const stateFile = join(o.dir, "instance.json");
  const user = o.user ?? "demo@example.com";
  const home = join(o.dir, "mail", user.split("@")[0]);
  const info: InstanceInfo = {
    imap: o.imapPort,
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
  tcpd: ChildProcess;
  /** Everything the processes wrote to stderr so far. */
  log(): string;
  stop(): Promise<void>;
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
  const cfg = loadConfigFiles([join(info.config, "imapd")]);
  const tcpdOpts = (cfg.get("TCPDOPTS") ?? "").split(/\s+/).filter(Boolean);
  const tcpd = spawn(
    bin("couriertcpd"),
    [
      `-address=${cfg.get("ADDRESS") ?? "0"}`,
      `-maxprocs=${cfg.get("MAXDAEMONS") ?? "40"}`,
      `-maxperip=${cfg.get("MAXPERIP") ?? "4"}`,
      ...tcpdOpts,
      cfg.get("PORT") ?? "143",
      bin("imapd"),
      cfg.get("MAILDIRPATH") ?? "Maildir",
    ],
    { env: { ...base, ...cfg.toEnv() }, stdio: ["ignore", "ignore", "pipe"] },
  );
  collect("imapd", tcpd);
  const stop = async () => {
    const exited = [authdaemond, tcpd].map(
      (c) =>
        new Promise<void>((r) =>
          c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", () => r()),
        ),
    );
    authdaemond.kill("SIGTERM");
    tcpd.kill("SIGTERM");
    await Promise.all(exited);
  };
  for (let i = 0; ; i++) {
    // A socket file left by an earlier run exists before the new daemon binds it.
    if (listening(info.imap) && (await accepts(info.authsocket))) break;
    if (i > 300 || authdaemond.exitCode !== null || tcpd.exitCode !== null) {
      await stop();
      throw new Error(`instance did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { authdaemond, tcpd, log: () => log, stop };
}
