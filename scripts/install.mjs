#!/usr/bin/env node
// Installs the suite into a prefix laid out as Courier's, and runs install-configure.
//
//   node scripts/install.mjs [install] [--prefix=/usr/local] [--bindir=…] [--sbindir=…]
//        [--libexecdir=…] [--sysconfdir=…] [--localstatedir=…] [--datadir=…] [--mandir=…]
//        [--runstatedir=…] [--configure]
//   node scripts/install.mjs install-configure [--sysconfdir=…]
//   DESTDIR=/tmp/pkg node scripts/install.mjs …    (staged install for packagers)
//
// Layout (defaults from --prefix, as autoconf's):
//   $datadir/courier-imap-ts/   the programs: bin/ launchers, packages/*/dist, node_modules
//   $bindir      imapd pop3d maildirmake deliverquota makedat
//   $sbindir     couriertcpd courierlogger authdaemond makeimapaccess mkimapdcert mkpop3dcert
//                userdb makeuserdb userdbpw pw2userdb vchkpw2userdb authtest authenumerate
//                authinfo authpasswd sysconftool
//   $libexecdir  imapd.rc imapd-ssl.rc pop3d.rc pop3d-ssl.rc (Courier's rc scripts)
//   $sysconfdir  *.dist (paths rewritten for this layout), imapd.cnf, pop3d.cnf, imapaccess/
//   $localstatedir, $runstatedir (pid files, authdaemon socket)
//   $mandir      (no manual pages yet: --help of each program)
// Every launcher is a small sh script that runs node on the installed program with
// COURIER_SYSCONFDIR (and AUTHDAEMONRC) defaulting to $sysconfdir.
// install-configure runs sysconftool on each $sysconfdir/*.dist (spec/config-upgrade.md §4).

import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = ["imapd", "pop3d", "maildirmake", "deliverquota", "makedat"];
const SBIN = [
  "couriertcpd",
  "courierlogger",
  "authdaemond",
  "makeimapaccess",
  "mkimapdcert",
  "mkpop3dcert",
  "userdb",
  "makeuserdb",
  "userdbpw",
  "pw2userdb",
  "vchkpw2userdb",
  "authtest",
  "authenumerate",
  "authinfo",
  "authpasswd",
  "sysconftool",
];
const RC = ["imapd.rc", "imapd-ssl.rc", "pop3d.rc", "pop3d-ssl.rc"];

const HELP = readFileSync(fileURLToPath(import.meta.url), "utf8")
  .split("\n")
  .slice(1)
  .filter((l) => l.startsWith("//"))
  .map((l) => l.slice(3))
  .join("\n");

function options(argv) {
  const o = { command: "install" };
  for (const a of argv) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(a);
    if (a === "install" || a === "install-configure") o.command = a;
    else if (m) o[m[1]] = m[2] ?? true;
    else throw new Error(`unknown argument ${a} (see --help)`);
  }
  const prefix = o.prefix ?? "/usr/local";
  const d = {
    prefix,
    bindir: o.bindir ?? `${prefix}/bin`,
    sbindir: o.sbindir ?? `${prefix}/sbin`,
    libexecdir: o.libexecdir ?? `${prefix}/libexec/courier-imap-ts`,
    sysconfdir: o.sysconfdir ?? `${prefix}/etc/courier`,
    localstatedir: o.localstatedir ?? `${prefix}/var`,
    datadir: o.datadir ?? `${prefix}/share`,
    mandir: o.mandir ?? `${prefix}/share/man`,
  };
  d.runstatedir = o.runstatedir ?? (prefix === "/usr" ? "/run/courier" : `${d.localstatedir}/run/courier`);
  d.appdir = `${d.datadir}/courier-imap-ts`;
  return { ...o, dirs: d };
}

const dest = (p) => join(process.env.DESTDIR ?? "/", p);
const q = (s) => `'${s.replace(/'/g, "'\\''")}'`;

/** Node options on a bin/ script's `#!/usr/bin/env -S node …` line, which the launcher must pass itself. */
function nodeOptions(name) {
  const first = readFileSync(join(root, "bin", name), "utf8").split("\n", 1)[0];
  const m = /^#!\/usr\/bin\/env -S node\s+(.+)$/.exec(first);
  return m ? m[1].trim().split(/\s+/).map(q) : [];
}

function launcher(target, d, name, rc = false) {
  const lines = [
    "#!/bin/sh",
    `# ${name}: installed by courier-imap-ts scripts/install.mjs`,
    `: "\${COURIER_SYSCONFDIR:=${d.sysconfdir}}"`,
    `: "\${AUTHDAEMONRC:=${d.sysconfdir}/authdaemonrc}"`,
    "export COURIER_SYSCONFDIR AUTHDAEMONRC",
  ];
  if (rc) lines.push(`COURIER_BINDIR=${q(`${d.appdir}/bin`)} exec ${q(`${d.appdir}/bin/${name}`)} "$@"`);
  else
    lines.push(
      [`exec ${q(process.execPath)}`, ...nodeOptions(name), `${q(`${d.appdir}/bin/${name}`)} "$@"`].join(" "),
    );
  writeFileSync(dest(target), `${lines.join("\n")}\n`);
  chmodSync(dest(target), 0o755);
}

/** The shipped .dist with its Debian-style paths rewritten for this layout. */
function distText(file, d) {
  return readFileSync(file, "utf8")
    .replaceAll("/etc/courier/", `${d.sysconfdir}/`)
    .replaceAll("/run/courier/", `${d.runstatedir}/`)
    .replaceAll("/var/lib/courier/", `${d.localstatedir}/lib/courier/`);
}

function install(d) {
  const built = existsSync(join(root, "packages", "tcpd", "dist"));
  if (!built) throw new Error('not built: run "npm run build" first');
  for (const k of ["bindir", "sbindir", "libexecdir", "sysconfdir", "localstatedir", "mandir", "appdir"])
    mkdirSync(dest(d[k]), { recursive: true });
  mkdirSync(dest(d.runstatedir), { recursive: true, mode: 0o775 });
  mkdirSync(dest(`${d.localstatedir}/lib/courier`), { recursive: true });
  const app = dest(d.appdir);
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  for (const f of ["package.json", "pnpm-workspace.yaml"]) cpSync(join(root, f), join(app, f));
  cpSync(join(root, "bin"), join(app, "bin"), { recursive: true });
  // build and lint tools are not needed at run time
  const devOnly = (p) => /node_modules\/(\.pnpm\/)?(@biomejs|typescript|@types|esbuild|@esbuild)/.test(p);
  cpSync(join(root, "node_modules"), join(app, "node_modules"), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (p) => !devOnly(p),
  });
  for (const pkg of readdirSync(join(root, "packages"))) {
    const src = join(root, "packages", pkg);
    if (!existsSync(join(src, "dist"))) continue;
    // sources and compiled tests stay behind
    const skip = (p) => /^\/(src|test|dist\/test)(\/|$)|\.tsbuildinfo$/.test(p.slice(src.length));
    cpSync(src, join(app, "packages", pkg), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (p) => !skip(p),
    });
  }
  for (const n of BIN) if (existsSync(join(root, "bin", n))) launcher(`${d.bindir}/${n}`, d, n);
  for (const n of SBIN) if (existsSync(join(root, "bin", n))) launcher(`${d.sbindir}/${n}`, d, n);
  for (const n of RC) launcher(`${d.libexecdir}/${n}`, d, n, true);
  for (const f of readdirSync(join(root, "config"))) {
    const from = join(root, "config", f);
    const to = dest(`${d.sysconfdir}/${f}`);
    if (f.endsWith(".dist")) writeFileSync(to, distText(from, d), { mode: 0o644 });
    else if (!existsSync(to)) cpSync(from, to); // imapd.cnf, pop3d.cnf: never overwritten
  }
  mkdirSync(dest(`${d.sysconfdir}/imapaccess`), { recursive: true, mode: 0o750 });
  process.stdout.write(`installed into ${process.env.DESTDIR ?? ""}${d.prefix}\n`);
}

function installConfigure(d) {
  const dir = dest(d.sysconfdir);
  const dists = readdirSync(dir)
    .filter((f) => f.endsWith(".dist"))
    .map((f) => join(dir, f));
  if (!dists.length) throw new Error(`no *.dist files in ${dir}`);
  const r = spawnSync(process.execPath, [join(root, "bin", "sysconftool"), ...dists], { stdio: "inherit" });
  return r.status ?? 1;
}

try {
  if (process.argv.includes("--help")) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const o = options(process.argv.slice(2));
  if (o.command === "install") install(o.dirs);
  if (o.command === "install-configure" || o.configure) process.exit(installConfigure(o.dirs));
} catch (e) {
  process.stderr.write(`install: ${e.message}\n`);
  process.exit(1);
}
