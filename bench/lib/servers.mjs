// The servers the suite compares, each started on free loopback ports with the same
// account (user and password of our instance) and its own copy of the generated mail:
//
//   ours     our instance (test/dist/lib/instance.js): authdaemond, couriertcpd + imapd, pop3d
//   courier  Debian's Courier (couriertcpd + imaplogin + imapd; courierpop3login + courierpop3d),
//            installed by lib/install.mjs when missing (imapd unpacked beside a dovecot-imapd),
//            authenticating through Debian's courier-authdaemon (the same userdb, compiled by
//            its makeuserdb; ours when it is missing); in private mount namespaces, since its
//            binaries have /run/courier/authdaemon/socket and /etc/courier compiled in, and with
//            its own mail copy bind-mounted over the account's Maildir (needs root)
//   dovecot  Dovecot from Debian's dovecot-core (installed) plus dovecot-imapd/dovecot-pop3d
//            unpacked with dpkg-deb -x into bench/.servers/dovecot (they conflict with
//            courier-imap as packages), with a config of its own (-c): passwd-file with the
//            same account, mail_location = its own mail copy
//
// Each start() returns { name, version, imap, pop3, user, password, pids(), stop() }.
// Nothing outside the harness's own directories is touched; stop() ends only what start() began.

import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { courierImapDir } from "./install.mjs";
import { sleep } from "./stats.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SERVERS_DIR = join(ROOT, "bench", ".servers");
const DOVECOT_DIR = join(SERVERS_DIR, "dovecot");

const sh = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "";
};

async function testkit() {
  const instance = await import("../../test/dist/lib/instance.js");
  const net = await import("../../test/dist/lib/net.js");
  return { ...instance, ...net };
}

async function waitListening(listening, ports, what, child) {
  for (let i = 0; i < 300; i++) {
    if (ports.every((p) => listening(p))) return;
    if (child && child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode})`);
    await sleep(50);
  }
  throw new Error(`${what} did not listen on ${ports.join(", ")}`);
}

/** Replaces `dst` with a copy of maildir `src` (cp -a keeps names, mtimes and flags). */
export function copyMaildir(src, dst) {
  spawnSync("rm", ["-rf", dst]);
  mkdirSync(dirname(dst), { recursive: true });
  const r = spawnSync("cp", ["-a", src, dst]);
  if (r.status !== 0) throw new Error(`cp -a ${src} ${dst} failed`);
}

const killWait = (child, signal = "SIGTERM") =>
  new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) return r();
    child.once("exit", () => r());
    child.kill(signal);
    setTimeout(() => child.kill("SIGKILL"), 5000).unref();
  });

/** Child pids of `pid`, recursively, from /proc. */
export function descendants(pid) {
  const out = [];
  const kids = (p) => {
    try {
      return readFileSync(`/proc/${p}/task/${p}/children`, "utf8")
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  };
  const walk = (p) => {
    for (const k of kids(p)) {
      out.push(k);
      walk(k);
    }
  };
  walk(pid);
  return out;
}

/** Connections every server accepts, in all and from one address (the idlers need hundreds). */
export const CONNECTION_LIMIT = 1000;

/** The shared instance (authdaemond + our servers), created once in `work`/instance. */
let shared;
async function instance(work, profileDir) {
  if (shared) return shared;
  const tk = await testkit();
  const ports = { imap: await tk.freePort(), imaps: await tk.freePort(), pop3: await tk.freePort() };
  const limits = { MAXDAEMONS: String(CONNECTION_LIMIT), MAXPERIP: String(CONNECTION_LIMIT) };
  // --profile: every imapd worker writes a V8 CPU profile when it exits (after LOGOUT).
  // BENCH_NODE_OPTIONS: extra node options for our workers (e.g. to try V8 flags).
  const nodeOptions = [
    process.env.BENCH_NODE_OPTIONS ?? "",
    profileDir ? `--require=${join(ROOT, "bench", "lib", "cpu-profile.cjs")}` : "",
  ]
    .join(" ")
    .trim();
  const profile = {
    ...(nodeOptions ? { NODE_OPTIONS: `"${nodeOptions}"` } : {}), // a config-file value
    ...(profileDir ? { BENCH_CPU_PROFILE_DIR: profileDir } : {}),
  };
  const info = tk.createInstance({
    dir: join(work, "instance"),
    imapPort: ports.imap,
    imapsPort: ports.imaps,
    pop3Port: ports.pop3,
    certBits: 2048,
    imapd: { ...limits, IMAP_LOGIN_FAIL_DELAY: "0", ...profile },
    imapdSsl: { PRESPAWN: "0" },
    pop3d: { ...limits, ...profile },
  });
  shared = { tk, info };
  return shared;
}

const COURIER_AUTHDAEMOND = "/usr/lib/courier/courier-authlib/authdaemond";

/**
 * Debian's own authdaemond for Courier, serving the instance's userdb (same text format):
 * in a mount namespace with `dir`/etc over /etc/courier and `run` over /run, so its socket
 * appears in `run`/courier/authdaemon. Undefined when it is not installed or does not start.
 */
async function courierAuthdaemond(dir, run, userdb) {
  if (!existsSync(COURIER_AUTHDAEMOND) || !existsSync("/usr/sbin/makeuserdb")) return undefined;
  const etc = join(dir, "etc");
  mkdirSync(etc, { recursive: true });
  writeFileSync(join(etc, "userdb"), readFileSync(userdb), { mode: 0o600 });
  writeFileSync(join(etc, "authdaemonrc"), 'authmodulelist="authuserdb"\ndaemons=5\nDEBUG_LOGIN=0\n');
  // started directly it stays in the foreground (courierlogger is what backgrounds it)
  const script =
    `mount --make-rprivate / && mount --bind '${etc}' /etc/courier && mount --rbind '${run}' /run && ` +
    `/usr/sbin/makeuserdb && set -a && . /etc/courier/authdaemonrc && set +a && exec ${COURIER_AUTHDAEMOND}`;
  const child = spawn("unshare", ["-m", "sh", "-c", script], { stdio: "ignore" });
  const socket = join(run, "courier", "authdaemon", "socket");
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) return undefined;
    if (existsSync(socket)) return child;
    await sleep(50);
  }
  await killWait(child);
  return undefined;
}

export const servers = {
  async ours({ work, mail, profileDir }) {
    const { tk, info } = await instance(work, profileDir);
    copyMaildir(mail, info.maildir);
    const running = await tk.startInstance(info);
    const rev = sh("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"]);
    const dirty = sh("git", ["-C", ROOT, "status", "--porcelain"]) ? "+dirty" : "";
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    // bin/imapd and bin/pop3d run their bundles only when current (scripts/bundle.mjs)
    const { currentBundle } = createRequire(import.meta.url)(join(ROOT, "bin", "_run.cjs"));
    const fromDist = ["imapd", "pop3d"].filter((w) => !currentBundle(`packages/${w}/dist/bundle/${w}.cjs`));
    if (fromDist.length)
      process.stderr.write(
        `bench: ours: ${fromDist.join(", ")} run from dist/, not a bundle (missing or stale: npm run build)\n`,
      );
    return {
      name: "ours",
      version: `${pkg.name} ${pkg.version} (${rev}${dirty}${fromDist.length ? ", unbundled" : ""}), node ${process.version}`,
      imap: info.imap,
      pop3: info.pop3,
      user: info.user,
      password: info.password,
      maildir: info.maildir,
      pids: () =>
        [running.tcpd, running.tcpdPop3].filter(Boolean).flatMap((c) => [c.pid, ...descendants(c.pid)]),
      log: () => running.log(),
      stop: () => running.stop(),
    };
  },

  async courier({ work, mail }) {
    if (process.getuid?.() !== 0) throw new Error("Courier needs root (a private mount namespace)");
    const imapRoot = courierImapDir(SERVERS_DIR);
    if (!imapRoot || !existsSync("/usr/lib/courier/courier/courierpop3d"))
      throw new Error("Debian's courier-imap / courier-pop are not installed");
    const imapBin = (p) => join(imapRoot, p);
    const { tk, info } = await instance(work);
    const copy = join(work, "courier", "Maildir");
    copyMaildir(mail, copy);
    const run = join(work, "courier", "run");
    mkdirSync(join(run, "courier", "authdaemon"), { recursive: true });
    const authd = await courierAuthdaemond(join(work, "courier"), run, info.userdb);
    // without Debian's authdaemond (or its makeuserdb), Courier authenticates through ours
    const running = authd ? undefined : await tk.startInstance(info);
    const imap = await tk.freePort();
    const pop3 = await tk.freePort();
    const ownSocket = authd
      ? ""
      : `mount --bind '${dirname(info.authsocket)}' '${run}/courier/authdaemon' && `;
    const ns =
      `mount --make-rprivate / && ${ownSocket}` +
      `mount --rbind '${run}' /run && mount --bind '${copy}' '${info.maildir}' && cd '${work}/courier' && exec env -i PATH=/usr/bin:/bin `;
    const tcpd = (port) =>
      `/usr/sbin/couriertcpd -nodnslookup -noidentlookup -maxprocs=${CONNECTION_LIMIT} -maxperip=${CONNECTION_LIMIT} -address=127.0.0.1 ${port} `;
    const children = [
      spawn(
        "unshare",
        [
          "-m",
          "sh",
          "-c",
          ns +
            'IMAP_CAPABILITY="IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE" ' +
            "IMAP_MAILBOX_SANITY_CHECK=0 IMAP_KEYWORDS=1 " +
            tcpd(imap) +
            `${imapBin("usr/lib/courier/courier/imaplogin")} ${imapBin("usr/bin/imapd")} Maildir`,
        ],
        { stdio: "ignore" },
      ),
      spawn(
        "unshare",
        [
          "-m",
          "sh",
          "-c",
          ns +
            "POP3_PROXY=0 " +
            tcpd(pop3) +
            "/usr/lib/courier/courier/courierpop3login /usr/lib/courier/courier/courierpop3d Maildir",
        ],
        { stdio: "ignore" },
      ),
    ];
    const stop = async () => {
      await Promise.all(children.map((c) => killWait(c)));
      if (authd) await killWait(authd);
      await running?.stop();
    };
    try {
      await waitListening(tk.listening, [imap, pop3], "Courier's couriertcpd");
    } catch (e) {
      await stop();
      throw e;
    }
    return {
      name: "courier",
      version:
        `Courier-IMAP ${sh("dpkg-query", ["-W", "-f", "${Version}", "courier-imap"]) || `unpacked in ${imapRoot}`} (Debian), ` +
        (authd
          ? `courier-authdaemon ${sh("dpkg-query", ["-W", "-f", "${Version}", "courier-authdaemon"])}`
          : "through our authdaemond"),
      imap,
      pop3,
      user: info.user,
      password: info.password,
      maildir: copy,
      pids: () => children.flatMap((c) => [c.pid, ...descendants(c.pid)]),
      stop,
    };
  },

  async dovecot({ work, mail }) {
    const binary = "/usr/sbin/dovecot";
    if (!existsSync(binary)) throw new Error("dovecot-core is not installed (/usr/sbin/dovecot)");
    const libexec = join(DOVECOT_DIR, "usr", "lib", "dovecot");
    if (!existsSync(join(libexec, "imap")) || !existsSync(join(libexec, "pop3"))) {
      // Unpack Debian's dovecot-imapd and dovecot-pop3d (same version as dovecot-core) here.
      const debs = join(SERVERS_DIR, "debs");
      mkdirSync(debs, { recursive: true });
      const version = sh("dpkg-query", ["-W", "-f", "${Version}", "dovecot-core"]);
      for (const p of ["dovecot-imapd", "dovecot-pop3d"]) {
        const r = spawnSync("apt-get", ["download", `${p}=${version}`], { cwd: debs, encoding: "utf8" });
        if (r.status !== 0) throw new Error(`apt-get download ${p}: ${r.stderr}`);
      }
      for (const f of sh("ls", [debs])
        .split("\n")
        .filter((f) => f.endsWith(".deb")))
        spawnSync("dpkg-deb", ["-x", join(debs, f), DOVECOT_DIR]);
    }
    const { tk, info } = await instance(work);
    const dir = join(work, "dovecot");
    const home = join(dir, "home");
    copyMaildir(mail, join(home, "Maildir"));
    mkdirSync(join(dir, "state"), { recursive: true });
    // Login processes run as dovenull and must reach base_dir's sockets.
    chmodSync(work, 0o711);
    chmodSync(dir, 0o711);
    // Dovecot refuses mail access as root: the copy belongs to nobody (65534) when we are root.
    const uid = process.getuid() === 0 ? 65534 : process.getuid();
    const gid = process.getuid() === 0 ? 65534 : process.getgid();
    spawnSync("chown", ["-R", `${uid}:${gid}`, home]);
    writeFileSync(join(dir, "passwd"), `${info.user}:{PLAIN}${info.password}:${uid}:${gid}::${home}::\n`, {
      mode: 0o600,
    });
    const imap = await tk.freePort();
    const pop3 = await tk.freePort();
    const conf = join(dir, "dovecot.conf");
    writeFileSync(
      conf,
      `# Written by bench/lib/servers.mjs: a private Dovecot for the benchmark suite.
instance_name = bench-${process.pid}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = ${dir}/passwd
}
protocol imap {
  mail_max_userip_connections = ${CONNECTION_LIMIT}
}
protocol pop3 {
  mail_max_userip_connections = ${CONNECTION_LIMIT}
}
service imap-login {
  executable = ${libexec}/imap-login
  inet_listener imap {
    address = 127.0.0.1
    port = ${imap}
  }
  inet_listener imaps {
    port = 0
  }
}
service imap {
  executable = ${libexec}/imap
  process_limit = ${CONNECTION_LIMIT}
}
service pop3-login {
  executable = ${libexec}/pop3-login
  inet_listener pop3 {
    address = 127.0.0.1
    port = ${pop3}
  }
  inet_listener pop3s {
    port = 0
  }
}
service pop3 {
  executable = ${libexec}/pop3
}
# The passwd-file is root's own (mode 0600) in the harness's directory.
service auth {
  user = root
}
${["imap-urlauth", "imap-urlauth-login", "imap-urlauth-worker", "imap-hibernate"]
  .map((x) => `service ${x} {\n  executable = ${libexec}/${x}\n}\n`)
  .join("")}`,
    );
    const master = spawn(binary, ["-F", "-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    master.stderr.on("data", (d) => (err += d));
    try {
      await waitListening(tk.listening, [imap, pop3], "Dovecot", master);
    } catch (e) {
      await killWait(master);
      const log = existsSync(join(dir, "dovecot.log")) ? readFileSync(join(dir, "dovecot.log"), "utf8") : "";
      throw new Error(`${e.message}\n${err}${log.split("\n").slice(-20).join("\n")}`);
    }
    return {
      name: "dovecot",
      version: `Dovecot ${sh(binary, ["--version"])} (Debian)`,
      imap,
      pop3,
      user: info.user,
      password: info.password,
      maildir: join(home, "Maildir"),
      pids: () => [master.pid, ...descendants(master.pid)],
      log: () => (existsSync(join(dir, "dovecot.log")) ? readFileSync(join(dir, "dovecot.log"), "utf8") : ""),
      stop: () => killWait(master),
    };
  },
};
