// scripts/install.mjs: Courier's prefix layout, working launchers, install-configure.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT } from "./lib/instance.js";

const install = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [join(ROOT, "scripts", "install.mjs"), ...args], { encoding: "utf8", env });

test("install lays out a prefix; launchers run; install-configure keeps the admin's values", () => {
  const prefix = mkdtempSync(join(tmpdir(), "install-test-"));
  const r = install([`--prefix=${prefix}`, `--sysconfdir=${prefix}/etc/courier`, "--configure"]);
  assert.equal(r.status, 0, r.stderr);
  for (const p of [
    "bin/imapd",
    "bin/makedat",
    "sbin/couriertcpd",
    "sbin/courierlogger",
    "sbin/authdaemond",
    "libexec/courier-imap-ts/imapd.rc",
    "etc/courier/imapd.dist",
    "etc/courier/imapd",
    "etc/courier/imapd-ssl",
    "etc/courier/authdaemonrc",
    "etc/courier/imapd.cnf",
    "var/run/courier",
    "share/courier-imap-ts/packages/tcpd/dist/src/cli/couriertcpd.js",
  ])
    assert.ok(existsSync(join(prefix, p)), p);
  assert.ok(!existsSync(join(prefix, "share/courier-imap-ts/node_modules/typescript")), "no build tools");
  assert.match(
    readFileSync(join(prefix, "etc/courier/imapd"), "utf8"),
    new RegExp(`^PIDFILE=${prefix}/var/run/courier/imapd\\.pid$`, "m"),
  );

  for (const p of [
    "sbin/couriertcpd",
    "sbin/courierlogger",
    "bin/makedat",
    "libexec/courier-imap-ts/imapd.rc",
  ]) {
    const h = spawnSync(join(prefix, p), ["--help"], { encoding: "utf8" });
    assert.equal(h.status, 0, `${p}: ${h.stderr}`);
    assert.match(h.stdout, /Usage|usage/);
  }
  const rc = spawnSync(join(prefix, "libexec/courier-imap-ts/imapd.rc"), ["--help"], { encoding: "utf8" });
  assert.match(
    rc.stdout,
    new RegExp(`${prefix}/etc/courier/imapd-ssl then`),
    "rc scripts default to the installed sysconfdir",
  );

  // the admin edits a value; a reinstall + install-configure keeps it
  const imapd = join(prefix, "etc/courier/imapd");
  writeFileSync(imapd, readFileSync(imapd, "utf8").replace(/^MAXDAEMONS=40$/m, "MAXDAEMONS=77"));
  const dist = join(prefix, "etc/courier/imapd.dist");
  writeFileSync(
    dist,
    readFileSync(dist, "utf8").replace(/^##VERSION: .*$/m, "##VERSION: $Id: next-release$"),
  );
  const again = install(["install-configure", `--prefix=${prefix}`, `--sysconfdir=${prefix}/etc/courier`]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /^imapd:\n( {2}\S+: \S+\n)* {2}MAXDAEMONS: unchanged\n/m);
  assert.match(readFileSync(imapd, "utf8"), /^MAXDAEMONS=77$/m);
  assert.match(readFileSync(imapd, "utf8"), /^#MAXDAEMONS=40$/m);
  assert.ok(existsSync(`${imapd}.bak`));

  const staged = mkdtempSync(join(tmpdir(), "install-destdir-"));
  const s = install(["--prefix=/usr", "--sysconfdir=/etc/courier"], { ...process.env, DESTDIR: staged });
  assert.equal(s.status, 0, s.stderr);
  assert.ok(existsSync(join(staged, "usr/sbin/couriertcpd")));
  assert.match(
    readFileSync(join(staged, "etc/courier/imapd.dist"), "utf8"),
    /^PIDFILE=\/run\/courier\/imapd\.pid$/m,
  );
  assert.match(
    readFileSync(join(staged, "usr/sbin/couriertcpd"), "utf8"),
    /'\/usr\/share\/courier-imap-ts\/bin\/couriertcpd'/,
  );
});
