// makeimapaccess: compiles $IMAPACCESSFILE into $IMAPACCESSFILE.dat and tells both IMAP
// listeners ($PIDFILE, $SSLPIDFILE) to re-read it, as Courier's script does.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadConfigFiles } from "@courier-imap/config";
import { restartDaemon } from "@courier-imap/courierlogger";
import { main as makedat } from "./makedat.js";

const HELP = `Usage: makeimapaccess

Reads IMAPACCESSFILE, PIDFILE and SSLPIDFILE from the imapd and imapd-ssl
config files in $COURIER_SYSCONFDIR (default /etc/courier), runs
  makedat -src=$IMAPACCESSFILE -file=$IMAPACCESSFILE.dat -tmp=$IMAPACCESSFILE.tmp -cidr
and sends SIGHUP to the running IMAP listeners so that they re-read it.
`;

export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help")) {
    process.stdout.write(HELP);
    return 0;
  }
  const dir = process.env.COURIER_SYSCONFDIR || "/etc/courier";
  const files = ["imapd", "imapd-ssl"].map((f) => join(dir, f)).filter((f) => existsSync(f));
  const cfg = loadConfigFiles(files);
  const src = cfg.get("IMAPACCESSFILE");
  if (!src) {
    process.stderr.write(`ERROR: No IMAPACCESSFILE specified in ${dir}/imapd\n`);
    return 1;
  }
  process.umask(0o022);
  const rc = await makedat([`-src=${src}`, `-file=${src}.dat`, `-tmp=${src}.tmp`, "-cidr"]);
  if (rc !== 0) return rc;
  for (const pid of [cfg.get("PIDFILE"), cfg.get("SSLPIDFILE")]) if (pid) restartDaemon(pid);
  return 0;
}
