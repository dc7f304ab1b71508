// makedat: compiles an access list source (file or directory) into the database couriertcpd
// -access= reads, as Courier's makedat does (same options). Ours is a sorted text file.

import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { MAGIC, parseSource, sourceFiles, strayFile } from "../access-load.js";
import { expandNet } from "../cidr.js";

const HELP = `Usage: makedat -src=SOURCE -file=DBFILE -tmp=TMPFILE [-hup=PIDFILE] [-cidr]

Compiles SOURCE (a text file, or a directory whose regular files are read in
name order, skipping *~) of "key<TAB>value" lines into DBFILE, written to
TMPFILE first and renamed. Blank and # lines are ignored; a key alone gets
the value 1; a duplicate key is an error. With -cidr, keys written as
a.b.c.d/nn or first-last (IPv4 or IPv6) are expanded into address prefixes.
With -hup, the process whose PID is in PIDFILE gets SIGHUP afterwards.
Leftover package-manager files (*.dpkg-*, *.rpmsave, *.rpmnew, *.dist) in a
SOURCE directory abort the run, naming the file.
`;

function usage(): number {
  process.stderr.write("Usage: makedat -src=src -file=file -tmp=tmpfile -hup=hupfile [-cidr]\n");
  return 1;
}

function sourceText(src: string): string {
  if (!statSync(src).isDirectory()) return readFileSync(src, "utf8");
  const stray = readdirSync(src).find(strayFile);
  if (stray) throw new Error(`${src}/${stray}: leftover file from a package upgrade; merge or remove it`);
  return sourceFiles(src)
    .map((f) => readFileSync(f, "utf8"))
    .map((t) => (t.endsWith("\n") || !t ? t : `${t}\n`))
    .join("");
}

function expandCidr(text: string): string {
  return text
    .split("\n")
    .flatMap((line) => {
      const m = /^(\S+)\s+(.*)$/.exec(line) ?? /^(\S+)()$/.exec(line);
      const keys = m && !line.startsWith("#") ? expandNet(m[1]) : undefined;
      return keys ? keys.map((k) => `${k}\t${m![2] || "1"}`) : [line];
    })
    .join("\n");
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help")) {
    process.stdout.write(HELP);
    return 0;
  }
  const o: Record<string, string> = {};
  let cidr = false;
  for (const a of argv) {
    const m = /^-(src|file|tmp|hup)=(.*)$/.exec(a);
    if (m) o[m[1]] = m[2];
    else if (a === "-cidr") cidr = true;
    else return usage();
  }
  if (!o.src || !o.file || !o.tmp) return usage();
  if (!existsSync(o.src)) {
    process.stderr.write(`makedat: ${o.src}: no such file or directory\n`);
    return 1;
  }
  let text = sourceText(o.src);
  if (cidr) text = expandCidr(text);
  const map = parseSource(text, basename(o.src));
  const lines = [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}\t${v}\n`);
  writeFileSync(o.tmp, `${MAGIC}\n${lines.join("")}`, { mode: 0o644 });
  renameSync(o.tmp, o.file);
  if (o.hup && existsSync(o.hup)) {
    const pid = Number.parseInt(readFileSync(o.hup, "utf8"), 10);
    if (pid > 1) process.kill(pid, "SIGHUP");
  }
  return 0;
}
