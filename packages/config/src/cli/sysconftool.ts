// sysconftool [-n] [-f] [-v] file.dist ...: install-configure's merge (spec/config-upgrade.md §4).

import { chmodSync, chownSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { mergeConf, parseConf } from "../sysconftool.js";

export const SYSCONFTOOL_VERSION = "0.21";

const HELP = `Usage: sysconftool [-n] [-f] [-v] [-r VERSION] FILE.dist ...

Installs or upgrades FILE from FILE.dist, as Courier's "make install-configure":
  - no FILE yet: FILE.dist is copied;
  - FILE has the same ##VERSION line: nothing is done (unless -f);
  - otherwise each ##NAME: label:revision block of FILE.dist is written with the
    old value when FILE has the same label and revision ("unchanged"), with
    the new value and the old one as a comment when the revision differs
    ("UPDATED"), or as it is ("new"). Settings FILE.dist no longer has are
    dropped. FILE is kept as FILE.bak.
A FILE without a ##VERSION line is only backed up (its settings are ignored).

  -n   report only; write nothing      -f   merge even when the versions match
  -v   print the version               -r V fail unless this tool is at least V
Exit status 9 when a file could not be processed.
`;

function cmpVersion(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** Merges one .dist; returns false when it could not be processed. */
export function installConfigure(
  distFile: string,
  opts: { dryRun?: boolean; force?: boolean } = {},
): boolean {
  const target = distFile.replace(/\.dist$/, "");
  const distText = readFileSync(distFile, "utf8");
  const dist = parseConf(distText);
  if (!dist.header) {
    process.stderr.write(`${distFile}: configuration header not found.\n`);
    return false;
  }
  const oldText = existsSync(target) ? readFileSync(target, "utf8") : undefined;
  const old = oldText === undefined ? undefined : parseConf(oldText);
  if (old?.version === dist.version && !opts.force) return true;
  const { text, report } = mergeConf(distText, old?.header ? oldText : undefined, basename(distFile));
  process.stdout.write(`${basename(target)}:\n`);
  for (const r of report) process.stdout.write(`  ${r.name}: ${r.status}\n`);
  if (opts.dryRun) return true;
  const st = statSync(distFile);
  writeFileSync(`${target}.new`, text, { mode: st.mode & 0o7777 });
  chmodSync(`${target}.new`, st.mode & 0o7777);
  try {
    chownSync(`${target}.new`, st.uid, st.gid);
  } catch {}
  if (oldText !== undefined) renameSync(target, `${target}.bak`);
  renameSync(`${target}.new`, target);
  return true;
}

export async function main(argv: string[]): Promise<number> {
  const opts = { dryRun: false, force: false };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      process.stdout.write(HELP);
      return 0;
    }
    if (a === "-v") process.stdout.write(`sysconftool ${SYSCONFTOOL_VERSION}\n`);
    else if (a === "-n") opts.dryRun = true;
    else if (a === "-f") opts.force = true;
    else if (a === "-r") {
      const want = argv[++i] ?? "";
      if (cmpVersion(SYSCONFTOOL_VERSION, want) < 0) {
        process.stderr.write(`sysconftool: version ${want} required, this is ${SYSCONFTOOL_VERSION}\n`);
        return 1;
      }
    } else files.push(a);
  }
  let status = 0;
  for (const f of files) {
    try {
      if (!installConfigure(f, opts)) status = 9;
    } catch (e) {
      process.stderr.write(`${f}: ${(e as Error).message}\n`);
      status = 9;
    }
  }
  return status;
}
