// Installs the peers the suite compares against, from Debian's packages, when they are
// missing: Courier's courier-imap, courier-pop and courier-authdaemon, Dovecot's
// dovecot-core (dovecot-imapd and dovecot-pop3d are unpacked by servers.mjs, since they
// conflict with courier-imap). Package scripts must not start the system's own daemons
// on the standard ports: a policy-rc.d that refuses every start is put in place for the
// install when the machine has none. courier-imap itself, when dovecot-imapd is installed
// (they conflict), is unpacked into bench/.servers/courier instead.

import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const POLICY = "/usr/sbin/policy-rc.d";

const installed = (pkg) =>
  spawnSync("dpkg-query", ["-W", "-f", "${Status}", pkg], { encoding: "utf8" }).stdout?.includes(
    "install ok installed",
  );

function aptGet(args, log) {
  log(`apt-get ${args.join(" ")}`);
  const r = spawnSync("apt-get", args, {
    encoding: "utf8",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (r.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed: ${(r.stderr || r.stdout).trim()}`);
}

function installPackages(pkgs, log) {
  if (!pkgs.length) return;
  if (process.getuid?.() !== 0)
    throw new Error(`missing ${pkgs.join(", ")}: run as root, or apt-get install ${pkgs.join(" ")}`);
  const ownPolicy = !existsSync(POLICY);
  if (ownPolicy) {
    writeFileSync(
      POLICY,
      "#!/bin/sh\n# bench/lib/install.mjs: no daemon starts during its install\nexit 101\n",
    );
    chmodSync(POLICY, 0o755);
  }
  try {
    aptGet(["update", "-qq"], log);
    aptGet(["install", "-y", "-qq", "--no-install-recommends", ...pkgs], log);
  } finally {
    if (ownPolicy) rmSync(POLICY, { force: true });
  }
}

/** Where Courier's imapd and imaplogin are: installed, or unpacked beside a dovecot-imapd. */
export function courierImapDir(serversDir) {
  for (const root of ["/", "/opt/courier-imap-extract", join(serversDir, "courier")])
    if (
      existsSync(join(root, "usr/bin/imapd")) &&
      existsSync(join(root, "usr/lib/courier/courier/imaplogin"))
    )
      return root;
  return undefined;
}

function unpackCourierImap(serversDir, log) {
  const debs = join(serversDir, "debs");
  mkdirSync(debs, { recursive: true });
  log("apt-get download courier-imap (it conflicts with the installed dovecot-imapd)");
  const r = spawnSync("sh", ["-c", `cd '${debs}' && apt-get download courier-imap`]);
  if (r.status !== 0) throw new Error("apt-get download courier-imap failed");
  const deb = readdirSync(debs).find((f) => f.startsWith("courier-imap_") && f.endsWith(".deb"));
  spawnSync("dpkg-deb", ["-x", join(debs, deb), join(serversDir, "courier")]);
}

/** Makes sure every peer in `wanted` can start; throws with the reason when it cannot. */
export function ensurePeers(wanted, serversDir, log) {
  const pkgs = [];
  if (wanted.includes("courier")) {
    for (const p of ["courier-authdaemon", "courier-authlib-userdb", "courier-pop"])
      if (!installed(p)) pkgs.push(p);
    if (!courierImapDir(serversDir) && !installed("dovecot-imapd")) pkgs.push("courier-imap");
  }
  if (wanted.includes("dovecot") && !installed("dovecot-core")) pkgs.push("dovecot-core");
  installPackages(pkgs, log);
  if (wanted.includes("courier") && !courierImapDir(serversDir)) unpackCourierImap(serversDir, log);
}
